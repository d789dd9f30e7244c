package stdlib_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
)

// prelude is the assertion library the conformance files use until
// eval/evaltest provides the shared one.
const prelude = `
(define %failures '())
(define (%show v) (call-with-output-string (lambda (p) (write v p))))
(define (%why e)
  (if (error-object? e)
      (error-object-message e)
      (%show e)))
(define (%fail name msg) (set! %failures (cons (string-append name ": " msg) %failures)))
(define-syntax test-equal
  (syntax-rules ()
    ((_ name expected expr)
     (guard (e (#t (%fail name (string-append "raised " (%why e)))))
       (let ((got expr) (want expected))
         (unless (equal? got want)
           (%fail name (string-append "got " (%show got) ", want " (%show want)))))))))
(define-syntax test-assert
  (syntax-rules ()
    ((_ name expr)
     (guard (e (#t (%fail name (string-append "raised " (%why e)))))
       (unless expr (%fail name "false"))))))
(define-syntax test-error
  (syntax-rules ()
    ((_ name expr)
     (when (guard (e (#t #f)) expr #t)
       (%fail name "no error raised")))))
`

func newThread(out *bytes.Buffer) *eval.Thread {
	return stdlib.New(eval.Options{Stdout: out, Stderr: out, Args: []string{"fruix-eval", "a", "b"}})
}

func TestConformance(t *testing.T) {
	files, err := filepath.Glob("testdata/*.scm")
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			text, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			th := newThread(&out)
			if _, err := th.EvalString(&lang.Source{Name: "prelude"}, prelude); err != nil {
				t.Fatalf("prelude: %s", eval.FormatError(err))
			}
			if _, err := th.EvalString(&lang.Source{Name: f}, string(text)); err != nil {
				t.Fatalf("%s", eval.FormatError(err))
			}
			fails, _ := th.Lookup("%failures")
			for l := fails; ; {
				p, ok := l.(*lang.Pair)
				if !ok {
					break
				}
				t.Error(p.Car.(*lang.String).String())
				l = p.Cdr
			}
			if t.Failed() && out.Len() > 0 {
				t.Logf("output:\n%s", strings.TrimSpace(out.String()))
			}
		})
	}
}
