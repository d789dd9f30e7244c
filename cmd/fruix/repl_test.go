package main

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/stdlib"
)

func newTestRepl(input string) (*repl, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	th := stdlib.New(eval.Options{Stdout: &out, Stderr: &errOut})
	return newRepl(th, newPlainInput(strings.NewReader(input)), &out, &errOut), &out, &errOut
}

func TestReplCompletion(t *testing.T) {
	r, _, _ := newTestRepl("")
	r.handle("(define (frobnicate x) x) (define frob-count 0)")
	tests := []struct {
		line string
		pos  int
		head string
		want []string
	}{
		{"(frob", 5, "(", []string{"frob-count", "frobnicate"}},
		{"(string-up", 10, "(", []string{"string-upcase"}},
		{"(map car-and-cdr", 8, "(map ", []string{"car"}},
		{",de", 3, ",", []string{"describe "}},
		{"(", 1, "(", nil},
	}
	for _, tt := range tests {
		head, got, tail := r.complete(tt.line, tt.pos)
		if head != tt.head || tail != tt.line[tt.pos:] || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("complete(%q, %d) = %q, %q, %q; want %q, %q", tt.line, tt.pos, head, got, tail, tt.head, tt.want)
		}
	}
}

func TestReplMultiLineAndMeta(t *testing.T) {
	r, out, errOut := newTestRepl("(define (f x)\n  (* x\n     2))\n(f 4) (f 5)\n,time (f\n 6)\n,use (no such module)\n,describe\n,load /no/such/file.scm\n,describe define\n,q\n")
	if code := r.run(); code != 0 {
		t.Errorf("exit status %d", code)
	}
	for _, want := range []string{"$1 = 8\n$2 = 10\n", "$3 = 12\n;; ", "define: #<syntax define>\n  syntax: a special form or macro\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	for _, want := range []string{"no code for module (no such module)", "<repl>:8:10: ,describe: want ,describe NAME", ",load: cannot read /no/such/file.scm: no such file or directory"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("errors lack %q:\n%s", want, errOut.String())
		}
	}
}

func TestArityText(t *testing.T) {
	for _, tt := range []struct {
		min, max int
		want     string
	}{
		{0, 0, "no arguments"}, {1, 1, "1 argument"}, {2, 2, "2 arguments"},
		{1, 3, "1 to 3 arguments"}, {0, -1, "any number of arguments"}, {1, -1, "at least 1 argument"},
	} {
		if got := arityText(tt.min, tt.max); got != tt.want {
			t.Errorf("arityText(%d, %d) = %q, want %q", tt.min, tt.max, got, tt.want)
		}
	}
}

// TestReplLowerMeta: ,lower ,path and ,graph on a derivation, and their
// errors at the session's line.
func TestReplLowerMeta(t *testing.T) {
	t.Setenv("FRUIX_STATE_DIR", t.TempDir()+"/none")
	r, out, errOut := newTestRepl(strings.Join([]string{
		"(use-modules (fruix derivations))",
		`(define d (derivation "d" "/bin/sh" '() #:outputs '("out" "lib" "doc")))`,
		",lower d",
		",path d",
		",graph d",
		",lower 42",
		",path (car '())",
		",graph d d",
		",graph h h",
		",lower",
	}, "\n") + "\n")
	if code := r.run(); code != 0 {
		t.Errorf("exit status %d", code)
	}
	for _, want := range []string{
		"$1 = #<derivation /frx/store/", "-d.drv => /frx/store/",
		"$2 = \"/frx/store/", "-d\"\n;; output doc: /frx/store/",
		"d  /frx/store/", "1 derivation, 0 source files; no store at ",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if doc, lib := strings.Index(out.String(), ";; output doc:"), strings.Index(out.String(), ";; output lib:"); doc < 0 || lib < doc {
		t.Errorf(",path: want the other outputs by name, doc before lib:\n%s", out.String())
	}
	for _, want := range []string{
		"<repl>:6:8: ,lower: want a derivation or file-like object, got 42\n",
		"<repl>:7:7: car: argument 1: want pair",
		"<repl>:8:8: ,graph: want one expression, got 2\n",
		"<repl>:10:7: ,lower: want ,lower EXPR\n",
		"<repl>:9:8: ,graph: want one expression, got 2\n", // not at the h of graph
	} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("errors lack %q:\n%s", want, errOut.String())
		}
	}
}
