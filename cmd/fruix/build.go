package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"fruix.dev/fruix/cmd/internal/batchheap"
	"fruix.dev/fruix/cmd/internal/frontend"
	"fruix.dev/fruix/cmd/internal/storeside"
	"fruix.dev/fruix/stdlib"
	"fruix.dev/fruix/store"
	"fruix.dev/fruix/store/realize"
	"fruix.dev/fruix/store/sandbox"
)

func init() {
	register("build", "build derivations, Scheme files (-f) or expressions (-e) and print the output paths", runBuild)
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

func runBuild(args []string) int { return build("fruix build", false, args) }

// build is fruix build, and fruix __build-graph when graphFromStdin is
// set: that builds for fruix-eval a graph read from standard input.
// buildName begins the messages: the command the user typed.
func build(buildName string, graphFromStdin bool, args []string) int {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: fruix build [options] [-f FILE]... [-e EXPR]... [DRV]...

Builds what is asked for, with its missing inputs, and prints every
output path, one per line:
  -f FILE  the value of the last expression of the Scheme file FILE
  -e EXPR  the value of the Scheme expression EXPR, which sees the
           modules (fruix gexp) and (fruix derivations)
  DRV      a .drv file of the store, or any .drv file, which is then
           added to the store
A value to build is a derivation, a file-like object, or a record that
lowers to one; its sources and .drv files are added to the store first.

options:
`)
		fs.PrintDefaults()
	}
	loc := addStoreLocationFlags(fs)
	var progs []buildProgram
	fs.Var(buildPrograms{list: &progs}, "f", "build the value of the last expression of `FILE`")
	fs.Var(buildPrograms{list: &progs, expr: true}, "e", "build the value of the Scheme expression `EXPR`")
	var evalOpts evalOptions
	fs.Var((*replDirList)(&evalOpts.loadPath), "load-path", "add `DIR` to the module load path for -f and -e")
	fs.StringVar(&evalOpts.system, "system", "", "evaluate -f and -e for `SYSTEM` (the value of %current-system)")
	dryRun := fs.Bool("dry-run", false, "show what would be built and added to the store, and build nothing")
	fs.BoolVar(dryRun, "n", false, "short for --dry-run")
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
	if fs.NArg() == 0 && len(progs) == 0 && !graphFromStdin {
		fmt.Fprintln(os.Stderr, buildName+": nothing to build: give -f FILE, -e EXPR or a .drv file (see fruix build --help)")
		return 2
	}
	evalOpts.loc = *loc
	var graph *stdlib.Graph
	switch {
	case graphFromStdin && len(progs) > 0:
		fmt.Fprintln(os.Stderr, buildName+": a graph on standard input cannot be given with -f or -e")
		return 2
	case graphFromStdin:
		var err error
		if graph, err = frontend.DecodeGraph(os.Stdin); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", buildName, err)
			return 1
		}
	case len(progs) > 0:
		var files []string
		for _, p := range progs {
			if p.file != "" {
				files = append(files, p.file)
			}
		}
		// Go's usual collector target once the evaluation is done: the
		// builds that follow may run for hours.
		batchheap.PrepareForPrograms(batchheap.ProgramBytes(files), 100, os.Getenv)
		var err error
		if graph, err = lowerPrograms(progs, evalOpts); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %s\n", buildName, formatEvalError(err))
			return 1
		}
	}
	if *dryRun {
		plan, err := planDryRun(graph, *loc, fs.Args())
		if err == nil {
			err = frontend.WriteDryRun(os.Stdout, plan)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", buildName, err)
			return 1
		}
		return 0
	}
	sb, err := sandbox.New(*sandboxName)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", buildName, err)
		return 2
	}
	opts.Sandbox = sb
	if !*quiet {
		opts.Progress = os.Stderr
		noteJobsCap(os.Stderr, buildName, opts.Jobs)
	}
	if *printLogs {
		opts.BuildLogs = os.Stderr
	}
	st, err := storeside.Open(*loc)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", buildName, err)
		return 1
	}
	defer st.Close()
	r, err := realizerFor(st, graph, opts)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", buildName, err)
		return 1
	}
	var drvs, sourceRoots []string
	if graph != nil {
		for _, root := range graph.Roots {
			if root.Source != nil {
				sourceRoots = append(sourceRoots, root.Source.Path)
			}
		}
		drvs = frontend.RootDerivations(graph)
	}
	for _, arg := range fs.Args() {
		p, err := buildDrvArg(st, arg)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", buildName, err)
			return 1
		}
		drvs = append(drvs, p)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	outs, checks, err := r.Realize(ctx, drvs...)
	for _, p := range sourceRoots {
		fmt.Println(p)
	}
	for _, p := range drvs {
		o, ok := outs[p]
		if !ok {
			continue
		}
		for _, name := range frontend.OutputOrder(o) {
			fmt.Println(o[name])
		}
	}
	status := 0
	if *root != "" {
		if err := addResultRoots(st, *root, sourceRoots, drvs, outs); err != nil {
			fmt.Fprintf(os.Stderr, "%s: --root: %v\n", buildName, err)
			status = 1
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", buildName, err)
		status = 1
	}
	for _, c := range checks {
		if !c.Identical {
			fmt.Fprintf(os.Stderr, "%s: --check: %s is not reproducible: outputs %s differ\n", buildName, c.Drv, strings.Join(c.Differing, ", "))
			status = 1
		}
	}
	return status
}

// addResultRoots makes root a symbolic link to each source and output
// built, kept alive by the collector until the link is removed: root for
// the first item, root-1, root-2... for the next ones (sources first,
// then each derivation's outputs), with -NAME appended for outputs other
// than out.
func addResultRoots(st *store.Store, root string, sources, drvs []string, outs map[string]realize.Outputs) error {
	linkName := func(i int) string {
		if i == 0 {
			return root
		}
		return fmt.Sprintf("%s-%d", root, i)
	}
	for i, p := range sources {
		if err := st.AddPermRoot(linkName(i), p); err != nil {
			return err
		}
	}
	for i, p := range drvs {
		base := linkName(len(sources) + i)
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
	d, err := readDrvArg(arg, abs)
	if err != nil {
		return "", err
	}
	p, err := st.AddDerivation(d)
	if err != nil {
		return "", fmt.Errorf("%s: %w", arg, err)
	}
	return p, nil
}

// noteJobsCap says, when -j asks for more builds at once than the
// realizer runs, what the limit is: the realizer gives each build its own
// user of the build-user pool and runs no more builds than the pool has
// users, whatever the sandbox.
func noteJobsCap(w io.Writer, name string, jobs int) {
	if jobs > sandbox.BuildPoolSize {
		fmt.Fprintf(w, "%s: -j %d: at most %d builds run at once, one per build user\n", name, jobs, sandbox.BuildPoolSize)
	}
}
