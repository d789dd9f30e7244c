package eval_test

import (
	"testing"
	"testing/fstest"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// TestEmbeddedSchemeOnlyModule checks that a module found in
// Options.Sources with no Go half, whose file starts with its
// define-module (after a comment), loads as the same file does from a
// load-path directory: define-module is found before the module imports
// (guile), and its body sees (guile) and its #:use-module imports.
func TestEmbeddedSchemeOnlyModule(t *testing.T) {
	src := fstest.MapFS{
		"emb/base.scm": {Data: []byte(";;; A helper module.\n(define-module (emb base) #:export (base-value))\n(define base-value 40)\n")},
		"emb/top.scm": {Data: []byte(`(define-module (emb top)
  #:use-module (emb base)
  #:export (answer))
(define (answer) (+ base-value 2))
`)},
		"emb/lib.sld": {Data: []byte("(define-library (emb lib) (export g) (import (scheme base)) (begin (define (g) (* 6 7))))\n")},
	}
	newThread := func() *eval.Thread { return newSourcesThread(src) }
	for _, c := range []struct{ src, want string }{
		{"(use-modules (emb top)) (answer)", "42"},
		{"((@ (emb top) answer))", "42"},
		{"(import (emb lib)) (g)", "42"},
	} {
		if got := lang.WriteString(mustEval(t, newThread(), c.src)); got != c.want {
			t.Errorf("%s = %s; want %s", c.src, got, c.want)
		}
	}
	m, err := newThread().FindModule([]string{"emb", "top"})
	if err != nil {
		t.Fatalf("FindModule (emb top): %s", eval.FormatError(err))
	}
	if v, ok := m.Lookup("answer"); !ok || !eval.IsProcedure(v) {
		t.Errorf("(emb top) answer = %v, %v; want a procedure", v, ok)
	}
}
