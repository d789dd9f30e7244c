package main

import (
	"errors"
	"flag"
	"io"
	"strings"
)

// invocation is what the command line of fruix-eval asks for.
type invocation struct {
	loadPath []string // -L directories, in order
	exprs    []string // -e expressions, evaluated after the files
	files    []string // programs to evaluate in order; "-" is standard input
	args     []string // what follows --, for (command-line)
	help     bool
}

const usageText = `usage: fruix-eval [-L DIR]... [-e EXPR]... [FILE]... [-- ARG...]

Evaluates the Scheme FILEs in order, then each EXPR, and prints the value
of the last expression with write (nothing when it is unspecified; one
line per value when there are several). FILE "-" reads the program from
standard input. ARGs are passed to the program: (command-line) returns
the first FILE followed by them.

Options:
  -L DIR    add DIR to the front of the module load path (repeatable);
            FRUIX_LOAD_PATH (colon-separated) is searched after them
  -e EXPR   evaluate the expressions in EXPR after the files (repeatable)
  -h, --help  show this help

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

	own, rest := splitAtDoubleDash(argv)
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
	if !inv.help && len(inv.files) == 0 && len(inv.exprs) == 0 {
		io.WriteString(errOut, "fruix-eval: nothing to evaluate: give a FILE, - for standard input, or -e EXPR\n")
		io.WriteString(errOut, usageText)
		return nil, errUsage
	}
	return inv, nil
}

// splitAtDoubleDash splits argv at the first "--" that is an argument of
// its own rather than the value of -L or -e.
func splitAtDoubleDash(argv []string) (own, rest []string) {
	for i := 0; i < len(argv); i++ {
		switch a := argv[i]; a {
		case "--":
			return argv[:i], argv[i+1:]
		case "-L", "--L", "-e", "--e":
			i++ // skip the option's value, whatever it is
		}
	}
	return argv, nil
}
