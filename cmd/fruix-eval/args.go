package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// invocation is what the command line of fruix-eval asks for.
type invocation struct {
	loadPath []string // -L directories, in order
	exprs    []string // -e expressions, evaluated after the files
	files    []string // programs to evaluate in order; "-" is standard input
	args     []string // what follows -- or -s FILE, for (command-line)
	script   string   // -s FILE: the program run as a script, the last of files
	help     bool

	graph graphOptions // what to do when the last value can be lowered
}

// graphOptions say how fruix-eval shows or builds the derivation graph of
// a last value that can be lowered.
type graphOptions struct {
	format      string // text, json, dot or tree
	build       bool
	dryRun      bool
	drvsOnly    bool
	system      string
	storeDir    string
	stateDir    string
	jobs        int
	keepFailed  bool
	keepGoing   bool
	explicit    bool // one of the options above was given
	formatGiven bool
}

const usageText = `usage: fruix-eval [OPTION]... [-e EXPR]... [FILE]... [-- ARG...]
       fruix-eval [-L DIR]... -s FILE [ARG...]

Evaluates the Scheme FILEs in order, then each EXPR, and prints the value
of the last expression with write (nothing when it is unspecified; one
line per value when there are several). FILE "-" reads the program from
standard input. ARGs are passed to the program: (command-line) returns
the first FILE followed by them.

When the last value is a derivation, a file-like object or a record that
lowers to one, fruix-eval prints its derivation graph instead: the output
paths first, then each derivation (inputs first) with its outputs, then
the source files, and, when a store exists, which are valid and which
would be built or added. Computing the graph writes nothing.

Options:
  -L DIR    add DIR to the front of the module load path (repeatable);
            FRUIX_LOAD_PATH (colon-separated) is searched after them
  -e EXPR   evaluate the expressions in EXPR after the files (repeatable)
  -s FILE   run FILE as a script, as its #! line does: the arguments after
            FILE go to the program ((command-line) is FILE, then them), and
            its last value is neither printed nor lowered
  -h, --help  show this help

Graph options (for a last value that lowers):
  --format FORMAT     text (the default), json, dot (Graphviz) or tree
  --derivations-only  print only the .drv paths, inputs first
  --dry-run           print what --build would build and add; write nothing
  --build             add the sources and .drv files to the store, build,
                      and print the output paths (progress on stderr)
  -j N                with --build: how many builds run at once
  --keep-failed       with --build: keep the build directory of failed builds
  --keep-going        with --build: after a failure, build what does not
                      depend on it
  --system SYSTEM     the value of %current-system (default x86_64-freebsd)
  --store-dir DIR     the store (default $FRUIX_STORE_DIR or /frx/store)
  --state-dir DIR     its state directory (default $FRUIX_STATE_DIR or
                      /frx/var/fruix)
The store is checked and built through the fruix command installed beside
fruix-eval, or else the first in PATH.

Exit status: 0 on success, 1 when evaluation fails, 2 for bad usage,
n for (exit n).
`

// errUsage marks a command line that fruix-eval cannot make sense of.
var errUsage = errors.New("bad usage")

// listFlag collects the values of a repeatable option.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// parseArgs parses the command line (without the program name). Options
// and files may be interleaved; everything after the first -- that is not
// the value of an option goes to the program. Errors are reported on
// errOut and returned as errUsage.
func parseArgs(argv []string, errOut io.Writer) (*invocation, error) {
	inv := &invocation{}
	fs := flag.NewFlagSet("fruix-eval", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.Usage = func() { io.WriteString(errOut, usageText) }
	fs.Var((*listFlag)(&inv.loadPath), "L", "add `DIR` to the module load path")
	fs.Var((*listFlag)(&inv.exprs), "e", "evaluate `EXPR` after the files")
	fs.BoolVar(&inv.help, "h", false, "show this help")
	fs.BoolVar(&inv.help, "help", false, "show this help")
	g := &inv.graph
	fs.StringVar(&g.format, "format", "text", "")
	fs.BoolVar(&g.build, "build", false, "")
	fs.BoolVar(&g.dryRun, "dry-run", false, "")
	fs.BoolVar(&g.drvsOnly, "derivations-only", false, "")
	fs.StringVar(&g.system, "system", "", "")
	fs.StringVar(&g.storeDir, "store-dir", "", "")
	fs.StringVar(&g.stateDir, "state-dir", "", "")
	fs.IntVar(&g.jobs, "j", 0, "")
	fs.BoolVar(&g.keepFailed, "keep-failed", false, "")
	fs.BoolVar(&g.keepGoing, "keep-going", false, "")

	own, rest, scripted, script := splitArgv(fs, argv)
	inv.args = rest
	for {
		if err := fs.Parse(own); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				inv.help = true
				return inv, nil
			}
			return nil, errUsage
		}
		positional := fs.Args()
		if len(positional) == 0 {
			break
		}
		inv.files = append(inv.files, positional[0])
		own = positional[1:]
	}
	if scripted {
		if script == "" {
			fmt.Fprintln(errOut, "fruix-eval: -s: want the FILE of the script to run")
			io.WriteString(errOut, usageText)
			return nil, errUsage
		}
		inv.script = script
		inv.files = append(inv.files, script)
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "format":
			inv.graph.formatGiven = true
			inv.graph.explicit = true
		case "build", "dry-run", "derivations-only", "j", "keep-failed", "keep-going":
			inv.graph.explicit = true
		}
	})
	switch inv.graph.format {
	case "text", "json", "dot", "tree":
	default:
		fmt.Fprintf(errOut, "fruix-eval: --format %q: want text, json, dot or tree\n", inv.graph.format)
		return nil, errUsage
	}
	if inv.script != "" && (inv.graph.explicit || len(inv.exprs) > 0) {
		fmt.Fprintln(errOut, "fruix-eval: -s runs a script for its effects: -e and the graph options do not go with it")
		io.WriteString(errOut, usageText)
		return nil, errUsage
	}
	if inv.graph.jobs < 0 {
		fmt.Fprintf(errOut, "fruix-eval: -j %d: want a positive number of builds\n", inv.graph.jobs)
		return nil, errUsage
	}
	if !inv.help && len(inv.files) == 0 && len(inv.exprs) == 0 {
		io.WriteString(errOut, "fruix-eval: nothing to evaluate: give a FILE, - for standard input, or -e EXPR\n")
		io.WriteString(errOut, usageText)
		return nil, errUsage
	}
	return inv, nil
}

// splitArgv splits argv into fruix-eval's own arguments and the
// program's: those after the first "--", or after -s FILE, whichever
// comes first. scripted says that -s came, and script is its FILE ("" when
// it is missing). An option's value ("-e --") does not split: fs says
// which options take one.
func splitArgv(fs *flag.FlagSet, argv []string) (own, rest []string, scripted bool, script string) {
	for i := 0; i < len(argv); i++ {
		switch a := argv[i]; {
		case a == "--":
			return argv[:i], argv[i+1:], false, ""
		case a == "-s" || a == "--s":
			if i+1 == len(argv) {
				return argv[:i], nil, true, ""
			}
			if rest = argv[i+2:]; len(rest) == 0 {
				rest = nil
			}
			return argv[:i], rest, true, argv[i+1]
		case takesValue(fs, a):
			i++ // skip the option's value, whatever it is
		}
	}
	return argv, nil, false, ""
}

// takesValue reports whether arg is an option of fs whose value is the
// next argument: -NAME or --NAME, not a boolean, without "=VALUE".
func takesValue(fs *flag.FlagSet, arg string) bool {
	name, ok := strings.CutPrefix(arg, "-")
	if !ok || strings.Contains(name, "=") {
		return false
	}
	f := fs.Lookup(strings.TrimPrefix(name, "-"))
	if f == nil {
		return false
	}
	b, isBool := f.Value.(interface{ IsBoolFlag() bool })
	return !isBool || !b.IsBoolFlag()
}
