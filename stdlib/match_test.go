package stdlib_test

import (
	"strings"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/eval/evaltest"
	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
)

func newMatchThread() *eval.Thread {
	return stdlib.New(eval.Options{})
}

// TestMatchConformance runs testdata/match/*.scm: (ice-9 match), cut and
// cute, and the combinators.
func TestMatchConformance(t *testing.T) {
	evaltest.RunDir(t, "testdata/match", newMatchThread)
}

// TestMatchSyntaxErrors checks that malformed match forms are rejected
// when they are expanded, with a message naming what is wrong and the
// position of the form.
func TestMatchSyntaxErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"(match)", "match: bad syntax: want (match expression (pattern body ...) ...)"},
		{"(match 1 (x))", "match: bad clause (x): want (pattern body ...)"},
		{"(match 1 x)", "match: bad clause x: want (pattern body ...)"},
		{"(match 1 ((a ... b ... ) 1))", "match: more than one ellipsis in the same list pattern"},
		{"(match 1 ((... a) 1))", "match: misplaced ellipsis `...` in pattern"},
		{"(match 1 ((a ... . b) 1))", "match: a dotted tail after `...` is not supported"},
		{"(match 1 ((=) 1))", "match: bad pattern (=): want (= procedure pattern)"},
		{"(match 1 ((not) 1))", "match: bad pattern (not): want (not pattern)"},
		{"(match 1 ((set! x) 1))", "match: pattern (set! x): the value has no location"},
		{"(match 1 (x (=> 5) 1))", "match: bad failure clause (=> 5): want (=> identifier)"},
		{"(match 1 (x (=> f)))", "match: clause (x (=> f)) has no body"},
		{"(match 1 (#(a ... b ...) 1))", "match: more than one ellipsis in vector pattern"},
		{"(match 1 (`(a ,@b c) 1))", "match: `,@` is only allowed last in a quasi-pattern list"},
		{"(match-let ((a)) a)", "match-let: bad binding (a): want (pattern expression)"},
		{"(match-let* x)", "match-let*: bad syntax"},
		{"(cut)", "cut: bad syntax: want (cut procedure slot-or-expression ...)"},
		{"(cut list <...> 1)", "cut: `<...>` must be the last slot"},
	}
	for _, tt := range tests {
		th := newMatchThread()
		if err := th.UseModules([]string{"ice-9", "match"}, []string{"srfi", "srfi-26"}); err != nil {
			t.Fatal(err)
		}
		_, err := th.EvalString(&lang.Source{Name: "test.scm"}, "\n  "+tt.src)
		if err == nil {
			t.Errorf("%s: no error, want %q", tt.src, tt.want)
			continue
		}
		msg := eval.FormatError(err)
		if !strings.Contains(msg, tt.want) {
			t.Errorf("%s: error\n%s\nwant it to contain %q", tt.src, msg, tt.want)
		}
		if !strings.HasPrefix(msg, "test.scm:2:3: ") {
			t.Errorf("%s: error\n%s\nwant the position of the form, test.scm:2:3", tt.src, msg)
		}
	}
}

// TestMatchNeedsImport: as in Guile, match is not in the default
// environment.
func TestMatchNeedsImport(t *testing.T) {
	th := newMatchThread()
	_, err := th.EvalString(&lang.Source{Name: "test.scm"}, "(match 1 (x x))")
	if err == nil || !strings.Contains(err.Error(), "unbound variable") {
		t.Errorf("match without (use-modules (ice-9 match)): err = %v, want unbound variable", err)
	}
}

// BenchmarkMatch measures a match over a list of pairs with a predicate
// and an ellipsis, compiled once and run b.N times.
func BenchmarkMatch(b *testing.B) {
	th := newMatchThread()
	src := `(use-modules (ice-9 match))
(define data (map (lambda (i) (list 'item i (number->string i))) (iota 100)))
(define (run)
  (match data
    ((('item (? number? n) s) ...) (length n))
    (_ 'no)))`
	if _, err := th.EvalString(&lang.Source{Name: "bench.scm"}, src); err != nil {
		b.Fatal(err)
	}
	run, _ := th.Lookup("run")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := th.Call(run); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatchDispatch measures match as a dispatcher over several
// clauses, the way an interpreter or a configuration walker uses it.
func BenchmarkMatchDispatch(b *testing.B) {
	th := newMatchThread()
	src := `(use-modules (ice-9 match))
(define (ev e)
  (match e
    ((? number? n) n)
    (('+ a b) (+ (ev a) (ev b)))
    (('* a b) (* (ev a) (ev b)))
    (('- a) (- (ev a)))
    (('if c t f) (if (= (ev c) 0) (ev f) (ev t)))))
(define expr '(+ (* 2 (- 3)) (if (+ 1 -1) (* 4 5) (+ 6 (* 7 8)))))
(define (run) (ev expr))`
	if _, err := th.EvalString(&lang.Source{Name: "bench.scm"}, src); err != nil {
		b.Fatal(err)
	}
	run, _ := th.Lookup("run")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if v, err := th.Call(run); err != nil || v != lang.Value(lang.Fixnum(56)) {
			b.Fatal(v, err)
		}
	}
}
