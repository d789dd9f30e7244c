package stdlib_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/eval/evaltest"
	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
)

func newThread(out *bytes.Buffer) *eval.Thread {
	return stdlib.New(eval.Options{Stdout: out, Stderr: out, Args: []string{"fruix-eval", "a", "b"}})
}

// TestConformance runs the Scheme conformance files, one subtest per
// area, with the whole library installed.
func TestConformance(t *testing.T) {
	evaltest.RunDir(t, "testdata", func() *eval.Thread {
		var out bytes.Buffer
		return newThread(&out)
	})
}

// TestExit checks that (exit n) ends the evaluation with an *eval.Exit
// that guard cannot catch, after the dynamic-wind after thunks ran.
func TestExit(t *testing.T) {
	for _, c := range []struct {
		src  string
		code int
	}{
		{"(exit)", 0},
		{"(exit #t)", 0},
		{"(exit #f)", 1},
		{"(exit 3)", 3},
		{"(guard (e (#t (display \"caught\"))) (dynamic-wind (lambda () #f) (lambda () (exit 4)) (lambda () (display \"after\"))))", 4},
		{"(emergency-exit 5)", 5},
	} {
		var out bytes.Buffer
		th := newThread(&out)
		_, err := th.EvalString(&lang.Source{Name: "exit.scm"}, c.src)
		var ex *eval.Exit
		if !errors.As(err, &ex) {
			t.Errorf("%s: got %v, want exit %d", c.src, err, c.code)
			continue
		}
		if ex.Code != c.code {
			t.Errorf("%s: exit %d, want %d", c.src, ex.Code, c.code)
		}
		if strings.Contains(out.String(), "caught") {
			t.Errorf("%s: guard caught the exit", c.src)
		}
		if strings.Contains(c.src, "after") && out.String() != "after" {
			t.Errorf("%s: output %q, want the after thunk's", c.src, out.String())
		}
	}
}
