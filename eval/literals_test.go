package eval_test

import (
	"bytes"
	"strings"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
)

// TestStringLiteralsAreImmutable checks that string literals, and strings
// inside quoted data, are constants as in Guile and R7RS, while strings
// made at run time stay mutable.
func TestStringLiteralsAreImmutable(t *testing.T) {
	th := stdlib.New(eval.Options{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}})
	for _, src := range []string{
		`(string-set! "abc" 0 #\x)`,
		`(define (f) "abc") (string-set! (f) 0 #\x)`,
		`(string-fill! "abc" #\x)`,
		`(string-copy! "abc" 0 "xy")`,
		`(string-set! (car '("abc")) 0 #\x)`,
		`(string-set! (vector-ref '#("abc") 0) 0 #\x)`,
		`(string-set! (vector-ref #("abc") 0) 0 #\x)`,
	} {
		_, err := th.EvalString(&lang.Source{Name: "lit.scm"}, src)
		if err == nil {
			t.Errorf("%s: no error; want one about a mutable string", src)
			continue
		}
		if msg := eval.FormatError(err); !strings.Contains(msg, "mutable string") || !strings.Contains(msg, "lit.scm:1:") {
			t.Errorf("%s: error %q; want a positioned error about a mutable string", src, msg)
		}
	}
	for _, c := range []struct{ src, want string }{
		{`(let ((s (string-copy "abc"))) (string-set! s 0 #\x) s)`, `"xbc"`},
		{`(let ((s (make-string 2 #\a))) (string-fill! s #\b) s)`, `"bb"`},
		{`(let ((s (string #\a #\b))) (string-set! s 1 #\z) s)`, `"az"`},
		{`(let ((s (string-append "ab" "c"))) (string-set! s 2 #\z) s)`, `"abz"`},
	} {
		v := mustEval(t, th, c.src)
		if got := lang.WriteString(v); got != c.want {
			t.Errorf("%s = %s; want %s", c.src, got, c.want)
		}
	}
}
