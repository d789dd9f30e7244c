package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fruix.dev/fruix/store/builtins"
)

// schemeContext writes program to a file and returns a builtin context
// running it, as the re-executed fruix would see it.
func schemeContext(t *testing.T, program string) (*builtins.Context, *bytes.Buffer) {
	t.Helper()
	dir := t.TempDir()
	script := filepath.Join(dir, "x-builder")
	if err := os.WriteFile(script, []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	var log bytes.Buffer
	return &builtins.Context{Name: "scheme", Args: []string{script}, Env: map[string]string{"out": out}, Out: out, Stderr: &log}, &log
}

func TestSchemeBuilderRunsTheProgram(t *testing.T) {
	c, log := schemeContext(t, `(call-with-output-file (string-append (dirname (car (command-line))) "/out") (lambda (p) (display "built" p)))`)
	if err := runSchemeBuild(c); err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	if b, _ := os.ReadFile(c.Out); string(b) != "built" {
		t.Errorf("output %q", b)
	}
}

func TestSchemeBuilderExitAndErrors(t *testing.T) {
	c, _ := schemeContext(t, `(exit 0)`)
	if err := runSchemeBuild(c); err != nil {
		t.Errorf("(exit 0): %v", err)
	}
	c, _ = schemeContext(t, `(exit 3)`)
	if err := runSchemeBuild(c); err == nil || err.Error() != "the build program called (exit 3)" {
		t.Errorf("(exit 3): %v", err)
	}
	c, log := schemeContext(t, "(define (f x) (vector-ref x 5))\n(f (vector 1))")
	err := runSchemeBuild(c)
	want := "builtin:scheme: " + c.Args[0] + ":1:15: vector-ref: argument 2: index 5 out of range for vector of length 1\n  in the form: (vector-ref x 5)\nBacktrace (most recent call last):\n"
	if !errors.Is(err, builtins.ErrReported) || !strings.HasPrefix(log.String(), want) || !strings.Contains(log.String(), c.Args[0]+":2:1: in f") {
		t.Errorf("error: %v, log:\n%s\nwant it to start with:\n%s", err, log, want)
	}
	long := "(begin (define v (vector 1)) (vector-ref v (+ 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)))"
	c, log = schemeContext(t, long)
	runSchemeBuild(c)
	if !strings.Contains(log.String(), "\n  in the form: (vector-ref v (+ 1 1 1") || !strings.Contains(log.String(), " ...\nBacktrace") {
		t.Errorf("a long form is cut:\n%s", log)
	}
	c.Args = nil
	if err := runSchemeBuild(c); err == nil || !strings.Contains(err.Error(), "want one argument, the store path of the build program") {
		t.Errorf("no program: %v", err)
	}
}
