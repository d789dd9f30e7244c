package eval_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// TestSyntaxUsedAsVariablePosition checks that using a keyword as a
// variable is reported at the nearest enclosing form (or at the keyword
// itself when it stands alone at top level), wherever it occurs.
func TestSyntaxUsedAsVariablePosition(t *testing.T) {
	src := fstest.MapFS{
		"bad/bare.scm":  {Data: []byte("(define-module (bad bare))\n(define x 1)\n  when\n")},
		"bad/begin.scm": {Data: []byte("(define-module (bad begin))\n(begin 1\n  when)\n")},
	}
	for _, c := range []struct{ program, want string }{
		{"(begin 1\n  when)", "main.scm:1:1: syntax `when' used as a variable"},
		// The nearest form is the begin of the template, as for other
		// errors inside syntax-rules expansions.
		{"(define-syntax two (syntax-rules () ((_ a b) (begin a b))))\n(two 1\n  when)", "main.scm:1:46: syntax `when' used as a variable"},
		{"(define (f)\n  (list 1\n    when))", "main.scm:2:3: syntax `when' used as a variable"},
		{"(use-modules (bad bare))", "bad/bare.scm:3:3: syntax `when' used as a variable"},
		{"(use-modules (bad begin))", "bad/begin.scm:2:1: syntax `when' used as a variable"},
	} {
		th := newSourcesThread(src)
		_, err := th.EvalString(&lang.Source{Name: "main.scm"}, c.program)
		if err == nil {
			t.Errorf("%s: no error", c.program)
			continue
		}
		if msg := eval.FormatError(err); !strings.HasPrefix(msg, c.want) {
			t.Errorf("%s:\nerror %s\nwant %s", c.program, msg, c.want)
		}
	}
}

// TestBareSymbolPosition checks that an unbound symbol standing alone at
// top level is reported where it is written, also when its name is not
// spelled as written (|...| and \x escapes) or it is not the last datum
// on its line.
func TestBareSymbolPosition(t *testing.T) {
	for _, c := range []struct{ program, want string }{
		{"1\n  nowhere", "main.scm:2:3: unbound variable `nowhere'"},
		{"1\n  |hello world|", "main.scm:2:3: unbound variable `hello world'"},
		{"1\n  |\\x3bb;x|", "main.scm:2:3: unbound variable `λx'"},
		{"1\n  nowhere ; a comment\n", "main.scm:2:3: unbound variable `nowhere'"},
		{"#;(skipped) nowhere 2", "main.scm:1:13: unbound variable `nowhere'"},
	} {
		th := eval.New(eval.Options{})
		_, err := th.EvalString(&lang.Source{Name: "main.scm"}, c.program)
		if msg := eval.FormatError(err); err == nil || !strings.HasPrefix(msg, c.want) {
			t.Errorf("%q: error %q, want %s", c.program, msg, c.want)
		}
	}
}
