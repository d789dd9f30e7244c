package eval_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// FuzzEval evaluates mutated programs with a step limit and a small depth
// limit: whatever the input, evaluation must end with a value or an
// error (never a Go panic, never a hang), and errors must format. The
// seeds are the conformance files and the programs below; they run in
// the normal test suite.
func FuzzEval(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.scm")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(string(b))
		}
	}
	for _, s := range []string{
		"(define (f x) (if (< x 1) x (f (- x 1)))) (f 10)",
		"(let loop ((i 0)) (loop (+ i 1)))",
		"(define-syntax m (syntax-rules () ((_ a ...) (list a ... ...))))",
		"(define-syntax m (syntax-rules () ((_ (a b ...) ...) '((b ... a) ...)))) (m (1 2 3) (4))",
		"`(1 ,@(list 2 3) . ,(+ 1 3))",
		"(guard (e ((string? e) e)) (raise-continuable \"x\"))",
		"(call/cc (lambda (k) (dynamic-wind (lambda () 1) (lambda () (k 2)) (lambda () 3))))",
		"(define* (f #:key (a 1) #:rest r) (list a r)) (f #:a 2 #:b)",
		"(define-values (a . b) (values 1 2 3)) (list a b)",
		"(let-syntax ((f (syntax-rules () ((_ x) (x x))))) (f (lambda (y) y)))",
		"((lambda (x) (x x)) (lambda (x) (x x)))",
		"(define-record-type t (mk a) t? (a ta set-ta!)) (set-ta! (mk 1) 2)",
		"(parameterize ((1 2)) 3)",
		"(case-lambda)",
		"(define-library (x) (export y) (begin (define y 1)))",
		"(import (only (scheme base) car)) (car '(1))",
		"(use-modules ((guile) #:select (car) #:prefix p:)) (p:car '(1))",
		"(do ((i 0 (+ i 1))) ((= i 3) 'done) (display i))",
		"(letrec ((a (lambda () b)) (b 1)) (a))",
		"(eval '(define z 1) (interaction-environment)) z",
		"(@ (guile) car)",
		"(force (delay-force (delay 1)))",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var out bytes.Buffer
		th := eval.New(eval.Options{Stdout: &out, Stderr: &out, StepLimit: 200_000, MaxDepth: 2000})
		th.RegisterNativeModule([]string{"guile"}, func(th *eval.Thread, m *eval.Module) error {
			m.DefineBuiltins(testBuiltins)
			return nil
		})
		if strings.Contains(src, "load") || strings.Contains(src, "include") {
			// Do not let mutated programs read arbitrary files.
			return
		}
		v, err := th.EvalString(&lang.Source{Name: "fuzz"}, src)
		if err != nil {
			if msg := eval.FormatError(err); msg == "" {
				t.Fatalf("empty error message for %T", err)
			}
			return
		}
		_ = lang.WriteString(v)
	})
}
