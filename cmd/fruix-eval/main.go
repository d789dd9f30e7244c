// Command fruix-eval evaluates Scheme programs with Fruix's evaluator and
// standard library:
//
//	fruix-eval [OPTION]... [-e EXPR]... [FILE]... [-- ARG...]
//	fruix-eval [-L DIR]... -s FILE [ARG...]
//
// It prints the value of the last expression with write and exits 0; on
// an error it prints `file:line:col: message` and the Scheme backtrace on
// standard error and exits 1; bad usage exits 2 and (exit n) exits n.
// When the last value lowers to the store (a derivation, a file-like
// object), it prints its derivation graph instead, or builds it with
// --build (see docs/commands.md). With -s it runs FILE as a script, as
// its #! line does: the arguments after FILE are the program's, and its
// last value is neither printed nor lowered.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"fruix.dev/fruix/cmd/internal/frontend"
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// run is the whole command, with its environment passed in so tests can
// drive it. It returns the exit status.
func run(argv []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	inv, err := parseArgs(argv, stderr)
	if err != nil {
		return 2
	}
	if inv.help {
		io.WriteString(stdout, usageText)
		return 0
	}

	tuneGC(inv, getenv)
	defer startProfile(getenv, stderr)()

	// Output is buffered for speed unless it goes to a terminal, where a
	// program's output should appear as it is written.
	out := stdout
	var buffered *bufio.Writer
	if f, ok := stdout.(*os.File); !ok || !isTerminal(f) {
		buffered = bufio.NewWriterSize(stdout, 64<<10)
		out = buffered
	}
	flush := func() {
		if buffered != nil {
			buffered.Flush()
		}
	}
	defer flush()

	th := stdlib.New(eval.Options{
		LoadPath: append(inv.loadPath, splitLoadPath(getenv("FRUIX_LOAD_PATH"))...),
		Stdin:    stdin,
		Stdout:   out,
		Stderr:   stderr,
		Args:     append([]string{programName(inv)}, inv.args...),
	})

	// --system and --store-dir apply before anything is evaluated, so
	// that the paths computed are those of the system and store asked for.
	if err := frontend.Configure(th, inv.graph.system, frontend.Location{StoreDir: inv.graph.storeDir, StateDir: inv.graph.stateDir}); err != nil {
		fmt.Fprintf(stderr, "fruix-eval: %v\n", err)
		return 2
	}
	last, err := evaluate(th, inv, stdin)
	if err != nil {
		flush()
		var exit *eval.Exit
		if errors.As(err, &exit) {
			return exit.Code
		}
		printError(stderr, err)
		return 1
	}
	if inv.script != "" {
		return 0
	}
	if lowerable(th, last) {
		return showGraph(th, &inv.graph, last, out, flush, stderr)
	}
	if inv.graph.explicit {
		flush()
		fmt.Fprintf(stderr, "fruix-eval: %v\n", notLowerable(inv, last))
		return 1
	}
	printValues(out, last)
	return 0
}

// evaluate runs the files in order, then the -e expressions, and returns
// the value of the last expression.
func evaluate(th *eval.Thread, inv *invocation, stdin io.Reader) (lang.Value, error) {
	var last lang.Value = lang.Unspec
	for _, file := range inv.files {
		var err error
		if file == "-" {
			var text []byte
			text, err = io.ReadAll(stdin)
			if err != nil {
				return nil, fmt.Errorf("reading the program from standard input: %w", err)
			}
			last, err = th.EvalString(&lang.Source{Name: "<stdin>"}, string(text))
		} else {
			if st, statErr := os.Stat(file); statErr != nil {
				return nil, fmt.Errorf("fruix-eval: cannot read %s: %w", file, underlying(statErr))
			} else if st.IsDir() {
				return nil, fmt.Errorf("fruix-eval: cannot read %s: it is a directory", file)
			}
			last, err = th.LoadFile(file)
		}
		if err != nil {
			return nil, err
		}
	}
	for _, expr := range inv.exprs {
		var err error
		last, err = th.EvalString(&lang.Source{Name: "<command line>"}, expr)
		if err != nil {
			return nil, err
		}
	}
	return last, nil
}

// underlying strips the operation and path from a file system error:
// "no such file or directory".
func underlying(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// printValues writes v as fruix-eval shows a result: nothing when it is
// unspecified, each of several values on its own line.
func printValues(w io.Writer, v lang.Value) {
	for _, x := range eval.ValuesOf(v) {
		if x == lang.Value(lang.Unspec) {
			continue
		}
		lang.Write(w, x)
		io.WriteString(w, "\n")
	}
}

// programName is what (command-line) returns first: the script, or the
// first file, as Guile returns the script's name.
func programName(inv *invocation) string {
	if inv.script != "" {
		return inv.script
	}
	if len(inv.files) > 0 {
		return inv.files[0]
	}
	return "fruix-eval"
}

// splitLoadPath splits a colon-separated FRUIX_LOAD_PATH, dropping empty
// entries.
func splitLoadPath(s string) []string {
	var dirs []string
	for _, d := range filepath.SplitList(s) {
		if d != "" {
			dirs = append(dirs, d)
		}
	}
	return dirs
}

// isTerminal reports whether f is a character device such as a terminal.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
