package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/store"
	"fruix.dev/fruix/store/realize"
	"fruix.dev/fruix/store/sandbox"
)

func init() {
	register("build", "build derivations (.drv files) and print their output paths", runBuild)
}

// buildDurationFlag accepts "90s", "2h" or a plain number of seconds.
type buildDurationFlag struct{ d *time.Duration }

func (f buildDurationFlag) String() string {
	if f.d == nil || *f.d == 0 {
		return "0"
	}
	return f.d.String()
}

func (f buildDurationFlag) Set(s string) error {
	if n, err := strconv.ParseUint(s, 10, 63); err == nil {
		*f.d = time.Duration(n) * time.Second
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return fmt.Errorf("want a duration such as 90s, 2h or a number of seconds")
	}
	*f.d = d
	return nil
}

func runBuild(args []string) int {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: fruix build [options] DRV...

Builds the outputs of each derivation that are not valid yet, with their
missing inputs, and prints every output path, one per line. DRV is a .drv
file of the store or any .drv file, which is then added to the store.

options:
`)
		fs.PrintDefaults()
	}
	storeDir := fs.String("store-dir", "", "the store directory (default $"+store.EnvStoreDir+" or "+string(derivation.DefaultStoreDir)+")")
	stateDir := fs.String("state-dir", "", "the state directory (default $"+store.EnvStateDir+" or "+store.DefaultStateDir+")")
	var opts realize.Options
	fs.IntVar(&opts.Jobs, "j", 0, "how many builds run at once (default: the number of CPUs)")
	fs.BoolVar(&opts.KeepFailed, "keep-failed", false, "keep the build directory of failed builds and say where")
	fs.BoolVar(&opts.KeepGoing, "keep-going", false, "after a failure, build everything that does not depend on it")
	fs.Var(buildDurationFlag{&opts.Timeout}, "timeout", "kill a build that runs longer than this (default: no limit)")
	fs.Var(buildDurationFlag{&opts.MaxSilent}, "max-silent-time", "kill a build that prints nothing for this long (default: no limit)")
	fs.BoolVar(&opts.Check, "check", false, "rebuild valid outputs and report whether the results are bit-identical")
	sandboxName := fs.String("sandbox", "auto", "how builds are isolated: auto, linux, jail or none (none isolates nothing)")
	quiet := fs.Bool("quiet", false, "print only the output paths and errors")
	root := fs.String("root", "", "make `FILE` a symbolic link to the output and register it as a GC root\n(further derivations get FILE-1, FILE-2...; outputs other than out get -NAME)")
	fs.StringVar(root, "r", "", "short for --root `FILE`")
	printLogs := fs.Bool("print-build-logs", false, "show the builders' output as it comes, prefixed with the derivation's name")
	fs.BoolVar(printLogs, "L", false, "short for --print-build-logs")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "fruix build: no derivation given (see fruix build --help)")
		return 2
	}
	sb, err := sandbox.New(*sandboxName)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fruix build: %v\n", err)
		return 2
	}
	opts.Sandbox = sb
	if !*quiet {
		opts.Progress = os.Stderr
	}
	if *printLogs {
		opts.BuildLogs = os.Stderr
	}
	st, err := store.Open(store.Options{StoreDir: derivation.StoreDir(*storeDir), StateDir: *stateDir})
	if err != nil {
		fmt.Fprintf(os.Stderr, "fruix build: %v\n", err)
		return 1
	}
	defer st.Close()
	drvs := make([]string, 0, fs.NArg())
	for _, arg := range fs.Args() {
		p, err := buildDrvArg(st, arg)
		if err != nil {
			fmt.Fprintf(os.Stderr, "fruix build: %v\n", err)
			return 1
		}
		drvs = append(drvs, p)
	}
	r, err := realize.New(st, opts)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fruix build: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	outs, checks, err := r.Realize(ctx, drvs...)
	for _, p := range drvs {
		o, ok := outs[p]
		if !ok {
			continue
		}
		names := make([]string, 0, len(o))
		for name := range o {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			fmt.Println(o[name])
		}
	}
	status := 0
	if *root != "" {
		if err := addResultRoots(st, *root, drvs, outs); err != nil {
			fmt.Fprintf(os.Stderr, "fruix build: --root: %v\n", err)
			status = 1
		}
	}
	if err != nil {
		var failures realize.Failures
		if errors.As(err, &failures) {
			fmt.Fprintf(os.Stderr, "fruix build: %v\n", failures)
		} else {
			fmt.Fprintf(os.Stderr, "fruix build: %v\n", err)
		}
		status = 1
	}
	for _, c := range checks {
		if !c.Identical {
			fmt.Fprintf(os.Stderr, "fruix build: --check: %s is not reproducible: outputs %s differ\n", c.Drv, strings.Join(c.Differing, ", "))
			status = 1
		}
	}
	return status
}

// addResultRoots makes root a symbolic link to each output built, kept
// alive by the collector until the link is removed: root for the first
// derivation's out, root-1, root-2... for the next derivations, with
// -NAME appended for other outputs.
func addResultRoots(st *store.Store, root string, drvs []string, outs map[string]realize.Outputs) error {
	for i, p := range drvs {
		base := root
		if i > 0 {
			base = fmt.Sprintf("%s-%d", root, i)
		}
		for name, out := range outs[p] {
			link := base
			if name != "out" {
				link += "-" + name
			}
			if err := st.AddPermRoot(link, out); err != nil {
				return err
			}
		}
	}
	return nil
}

// buildDrvArg resolves a command-line argument to a .drv path of the
// store: a store path is used as is; another .drv file is read and added.
func buildDrvArg(st *store.Store, arg string) (string, error) {
	abs, err := filepath.Abs(arg)
	if err != nil {
		return "", err
	}
	if !strings.HasSuffix(abs, ".drv") {
		return "", fmt.Errorf("%s: not a derivation (want a .drv file)", arg)
	}
	if st.Dir().IsStorePath(abs) {
		if ok, err := st.IsValid(abs); err != nil {
			return "", err
		} else if ok {
			return abs, nil
		}
	}
	d, err := derivation.ReadFile(abs)
	if err != nil {
		return "", err
	}
	p, err := st.AddDerivation(d)
	if err != nil {
		return "", fmt.Errorf("%s: %w", arg, err)
	}
	return p, nil
}
