package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
	"fruix.dev/fruix/store/builtins"
)

// schemeBuiltinVersion is the version of builtin:scheme this fruix runs:
// the one the derivations written by (fruix gexp) ask for, so that the two
// cannot drift apart. Bump stdlib.SchemeBuiltinVersion when what a build
// program means changes: the build-side library's behaviour, what the
// thread can see, how the program is run.
const schemeBuiltinVersion = stdlib.SchemeBuiltinVersion

// modulesVar names the environment variable holding the store path of the
// module tree a builtin:scheme derivation ships (absent when none).
const modulesVar = "FRUIX_MODULES"

// runSchemeBuild runs a builtin:scheme derivation's program (its one
// argument, a file of the store) in a build-side thread, in the build
// directory, with the shipped modules on the load path. An error prints
// its position in the program and the backtrace to the build log.
func runSchemeBuild(c *builtins.Context) error {
	if len(c.Args) != 1 {
		return fmt.Errorf("want one argument, the store path of the build program; the derivation has %d", len(c.Args))
	}
	script := c.Args[0]
	th := stdlib.NewBuildSide(eval.Options{Stdout: os.Stdout, Stderr: c.Stderr, Args: []string{script}}, c.Env[modulesVar])
	_, err := th.LoadFile(script)
	if err == nil {
		return nil
	}
	var exit *eval.Exit
	if errors.As(err, &exit) {
		if exit.Code == 0 {
			return nil
		}
		return fmt.Errorf("the build program called (exit %d)", exit.Code)
	}
	first, rest, _ := strings.Cut(eval.FormatError(err), "\n")
	if errors.Is(err, eval.ErrNoModule) { // on the build side, usually a module the G-expression did not ship
		first += "; a build sees only the modules its G-expression ships (with-imported-modules), and no host-side (fruix ...) module"
	}
	fmt.Fprintf(c.Stderr, "builtin:scheme: %s\n", first)
	var ex *eval.Exception
	if errors.As(err, &ex) && ex.Pos.Known() && ex.Pos.Src.Name == script {
		if form := formAt(script, int(ex.Pos.Line), int(ex.Pos.Col)); form != "" {
			fmt.Fprintf(c.Stderr, "  in the form: %s\n", form)
		}
	}
	fmt.Fprint(c.Stderr, rest)
	return builtins.ErrReported
}

// formAt returns the form that starts at line:col of file, written on one
// line and cut to a readable length, or "". Build programs written from
// G-expressions are one long line, where a column alone is hard to read.
// It reads the file a second time, on failure only: the thread's LoadFile
// reads it and keeps the text, and loading the text through EvalString
// instead would lose the program's directory that include resolves
// against.
func formAt(file string, line, col int) string {
	text, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(text[off:], '\n')
		if i < 0 {
			return ""
		}
		off += i + 1
	}
	for c := 1; c < col && off < len(text); c++ {
		_, size := utf8.DecodeRune(text[off:])
		off += size
	}
	v, err := lang.NewReader(&lang.Source{Name: file}, text[off:]).Read()
	if err != nil {
		return ""
	}
	form := []rune(lang.WriteString(v))
	const max = 160
	if len(form) > max {
		return string(form[:max]) + " ..."
	}
	return string(form)
}
