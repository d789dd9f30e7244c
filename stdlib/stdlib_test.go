package stdlib_test

import (
	"bytes"
	"errors"
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
			_, err = th.EvalString(&lang.Source{Name: f}, string(text))
			if want, ok := expectedError(string(text)); ok {
				// An error-case file: it must fail with this position
				// and message.
				if err == nil {
					t.Fatalf("no error, want %q", want)
				}
				got := strings.SplitN(eval.FormatError(err), "\n", 2)[0]
				if got != f+":"+want {
					t.Fatalf("error\n  %s\nwant\n  %s", got, f+":"+want)
				}
				return
			}
			if err != nil {
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

// expectedError returns the error an error-case file announces on its
// first line: ";; expect-error: LINE:COL: message".
func expectedError(text string) (string, bool) {
	first, _, _ := strings.Cut(text, "\n")
	return strings.CutPrefix(first, ";; expect-error: ")
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
