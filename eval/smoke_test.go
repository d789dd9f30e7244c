package eval_test

import (
	"bytes"
	iofs "io/fs"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

func newTestThread(out *bytes.Buffer) *eval.Thread { return newTestThreadDepth(out, 0) }

// newTestThreadDepth makes a Thread with the test builtins and a call
// depth limit (0: the default).
func newTestThreadDepth(out *bytes.Buffer, maxDepth int) *eval.Thread {
	th := eval.New(eval.Options{Stdout: out, Stderr: out, LoadPath: []string{"testdata/modules"}, MaxDepth: maxDepth})
	for _, name := range [][]string{{"guile"}, {"scheme", "base"}} {
		th.RegisterNativeModule(name, func(th *eval.Thread, m *eval.Module) error {
			m.DefineBuiltins(testBuiltins)
			return nil
		})
	}
	return th
}

// newSourcesThread makes a Thread whose library is src, with the test
// builtins as (guile) and (scheme base).
func newSourcesThread(src iofs.FS) *eval.Thread {
	th := eval.New(eval.Options{Stdout: &bytes.Buffer{}, Sources: []iofs.FS{src}})
	for _, name := range [][]string{{"guile"}, {"scheme", "base"}} {
		th.RegisterNativeModule(name, func(th *eval.Thread, m *eval.Module) error {
			m.DefineBuiltins(testBuiltins)
			return nil
		})
	}
	return th
}

func TestSmoke(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"(+ 1 2)", "3"},
		{"(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2))))) (fib 20)", "6765"},
		{"(let loop ((i 0)) (if (< i 100000) (loop (+ i 1)) i))", "100000"},
		{"`(1 ,(+ 1 1) ,@(list 3 4))", "(1 2 3 4)"},
		{"(define-syntax my-or (syntax-rules () ((_) #f) ((_ e) e) ((_ e r ...) (let ((t e)) (if t t (my-or r ...)))))) (let ((t 5)) (my-or #f t))", "5"},
		{"(call/cc (lambda (k) (+ 1 (k 42))))", "42"},
		{"(guard (e (#t (error-object-message e))) (error \"boom\" 1 2))", "\"boom\""},
		{"(define-record-type point (make-point x y) point? (x point-x) (y point-y set-point-y!)) (make-point 1 2)", "#<point x: 1 y: 2>"},
		{"(do ((i 0 (+ i 1)) (acc '() (cons i acc))) ((= i 3) acc))", "(2 1 0)"},
		{"(define* (f a #:optional (b 2) #:key (c 3)) (list a b c)) (list (f 1) (f 1 5) (f 1 5 #:c 9))", "((1 2 3) (1 5 3) (1 5 9))"},
		{"(case 3 ((1 2) 'low) ((3 4) 'mid) (else 'high))", "mid"},
		{"(let-values (((a b) (values 1 2)) ((c) (values 3))) (list a b c))", "(1 2 3)"},
		{"(define p (make-parameter 1)) (parameterize ((p 2)) (p))", "2"},
		{"(force (delay (+ 1 2)))", "3"},
	} {
		var out bytes.Buffer
		th := newTestThread(&out)
		v, err := th.EvalString(&lang.Source{Name: "t"}, c.src)
		if err != nil {
			t.Errorf("%s: %s", c.src, eval.FormatError(err))
			continue
		}
		if got := lang.WriteString(v); got != c.want {
			t.Errorf("%s: got %s, want %s", c.src, got, c.want)
		}
	}
}
