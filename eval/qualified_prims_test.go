package eval_test

import (
	"bytes"
	"strings"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// TestQualifiedPrimitiveCalls checks calls of builtins through module-
// qualified references, as match expansions write them: same results and
// errors as plain calls, a later set! of the variable is obeyed, and they
// are compiled inline like plain calls (no more allocation).
func TestQualifiedPrimitiveCalls(t *testing.T) {
	th := newTestThread(&bytes.Buffer{})
	mustEval(t, th, `
(define kar car)
(define (f x) ((@@ (guile-user) kar) x))
(define (g x y) ((@ (guile) +) x y))`)
	for _, c := range []struct{ src, want string }{
		{"(f '(1 2))", "1"},
		{"(g 2 3)", "5"},
		{"(g 1.5 2)", "3.5"},
		{"((@ (guile) cons) 1 2)", "(1 . 2)"},
		{"(begin (set! kar cdr) (f '(1 2)))", "(2)"},
	} {
		if got := lang.WriteString(mustEval(t, th, c.src)); got != c.want {
			t.Errorf("%s = %s; want %s", c.src, got, c.want)
		}
	}
	_, err := th.EvalString(&lang.Source{Name: "q.scm"}, "(define (h x)\n  ((@ (guile) car) x))\n(h 5)")
	if msg := eval.FormatError(err); err == nil || !strings.HasPrefix(msg, "q.scm:2:3: car:") {
		t.Errorf("(h 5): error %q; want one from car at q.scm:2:3", msg)
	}

	const walk = "(define (walk l acc) (if (null? l) acc (walk (cdr l) (+ acc (car l)))))"
	plain := allocsOfWalk(t, walk)
	qualified := allocsOfWalk(t, "(define (walk l acc) (if ((@ (guile) null?) l) acc (walk ((@ (guile) cdr) l) ((@ (guile) +) acc ((@ (guile) car) l)))))")
	if qualified > plain {
		t.Errorf("a walk through (@ (guile) ...) allocates %.0f times; plain calls %.0f: the qualified calls are not inlined", qualified, plain)
	}
}

func allocsOfWalk(t *testing.T, def string) float64 {
	t.Helper()
	th := newTestThread(&bytes.Buffer{})
	mustEval(t, th, "(define lst (list 1 2 3 4 5 6 7 8 9 10))"+def)
	expr, err := lang.ReadString(&lang.Source{Name: "run"}, "(walk lst 0)")
	if err != nil {
		t.Fatal(err)
	}
	return testing.AllocsPerRun(20, func() {
		if _, err := th.Eval(expr, nil); err != nil {
			t.Fatal(eval.FormatError(err))
		}
	})
}
