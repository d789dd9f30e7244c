package eval_test

import (
	"bytes"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

func benchProgram(b *testing.B, setup, run string) {
	th := newTestThread(&bytes.Buffer{})
	if _, err := th.EvalString(&lang.Source{Name: "setup"}, setup); err != nil {
		b.Fatal(eval.FormatError(err))
	}
	expr, err := lang.ReadString(&lang.Source{Name: "run"}, run)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := th.Eval(expr, nil); err != nil {
			b.Fatal(eval.FormatError(err))
		}
	}
}

// BenchmarkFib25 measures procedure calls and fixnum arithmetic.
func BenchmarkFib25(b *testing.B) {
	benchProgram(b, "(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))", "(fib 25)")
}

// BenchmarkClosures measures closure creation and calls through
// captured variables (a continuation-passing sum).
func BenchmarkClosures(b *testing.B) {
	benchProgram(b, `
(define (sum-cps n k) (if (= n 0) (k 0) (sum-cps (- n 1) (lambda (v) (k (+ v n))))))
(define (compose f g) (lambda (x) (f (g x))))
(define (run n) (let loop ((i 0) (acc 0))
  (if (= i n) acc (loop (+ i 1) (+ acc ((compose (lambda (x) (+ x 1)) (lambda (x) (* x 2))) i))))))`,
		"(+ (sum-cps 10000 (lambda (v) v)) (run 10000))")
}

// BenchmarkLoop measures a tail-recursive loop of a million iterations.
func BenchmarkLoop(b *testing.B) {
	benchProgram(b, "(define (count i n) (if (< i n) (count (+ i 1) n) i))", "(count 0 1000000)")
}

// BenchmarkTak measures deep non-tail calls with three arguments.
func BenchmarkTak(b *testing.B) {
	benchProgram(b, "(define (tak x y z) (if (not (< y x)) z (tak (tak (- x 1) y z) (tak (- y 1) z x) (tak (- z 1) x y))))", "(tak 18 12 6)")
}

// BenchmarkMacroExpansion measures compiling forms that use syntax-rules.
func BenchmarkMacroExpansion(b *testing.B) {
	benchProgram(b, `(define-syntax my-or (syntax-rules () ((_) #f) ((_ e) e) ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))`,
		"(eval '(lambda () (my-or #f #f #f #f #f #f #f #f 1)) (current-module))")
}

// listWalk sums a list of 1000 fixnums with car, cdr, null? and +,
// written plainly or through module-qualified references as match
// expansions write them.
const listWalk = "(define lst (let loop ((i 0) (acc '())) (if (= i 1000) acc (loop (+ i 1) (cons i acc)))))"

// BenchmarkListWalkPlain is the baseline of BenchmarkListWalkQualified.
func BenchmarkListWalkPlain(b *testing.B) {
	benchProgram(b, listWalk+"(define (walk l acc) (if (null? l) acc (walk (cdr l) (+ acc (car l)))))", "(walk lst 0)")
}

// BenchmarkListWalkQualified calls the same builtins through (@ (guile) x).
func BenchmarkListWalkQualified(b *testing.B) {
	benchProgram(b, listWalk+"(define (walk l acc) (if ((@ (guile) null?) l) acc (walk ((@ (guile) cdr) l) ((@ (guile) +) acc ((@ (guile) car) l)))))", "(walk lst 0)")
}
