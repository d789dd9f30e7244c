package eval_test

import (
	"bytes"
	iofs "io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// TestUnboundSuggestsModule checks that an unbound variable's error
// names the modules of SuggestModules that export it, and only those
// that load and export it bound; other names keep their "did you mean".
func TestUnboundSuggestsModule(t *testing.T) {
	src := fstest.MapFS{
		"hint/a.scm":      {Data: []byte("(define-module (hint a) #:export (helper shared))\n(define (helper) 1)\n(define shared 'a)\n")},
		"hint/b.scm":      {Data: []byte("(define-module (hint b) #:export (shared declared))\n(define shared 'b)\n")},
		"hint/broken.scm": {Data: []byte("(define-module (hint broken) #:export (helper))\n(car '())\n")},
	}
	th := newSourcesThread(src)
	th.SuggestModules([]string{"hint", "broken"}, []string{"hint", "a"}, []string{"hint", "b"}, []string{"hint", "absent"})
	for _, c := range []struct{ program, want string }{
		{"(helper)", "unbound variable `helper'; (hint a) exports it: add (use-modules (hint a))"},
		{"shared", "unbound variable `shared'; (hint a) and (hint b) export it: add (use-modules (hint a))"},
		{"declared", "unbound variable `declared'"},
		{"(define helpr 1) helpe", "unbound variable `helpe'; did you mean `helpr'?"},
	} {
		_, err := th.EvalString(&lang.Source{Name: "main.scm"}, c.program)
		first, _, _ := strings.Cut(eval.FormatError(err), "\n")
		if err == nil || !strings.HasPrefix(first, "main.scm:1:") || !strings.HasSuffix(first, c.want) {
			t.Errorf("%s: error %q, want one ending in %q", c.program, first, c.want)
		}
	}
	if _, err := th.EvalString(&lang.Source{Name: "main.scm"}, "(use-modules (hint a)) (helper)"); err != nil {
		t.Errorf("after importing the module suggested: %s", eval.FormatError(err))
	}
}

// TestUnboundHintTriesBrokenModuleOnce checks that a suggested module
// that does not load is not loaded again at every unbound variable.
func TestUnboundHintTriesBrokenModuleOnce(t *testing.T) {
	var out bytes.Buffer
	th := eval.New(eval.Options{Stdout: &out, Sources: []iofs.FS{fstest.MapFS{
		"hint/broken.scm": {Data: []byte("(define-module (hint broken) #:export (helper))\n(display \"loading\")\n(car '())\n")},
	}}})
	th.RegisterNativeModule([]string{"guile"}, func(th *eval.Thread, m *eval.Module) error {
		m.DefineBuiltins(testBuiltins)
		return nil
	})
	th.SuggestModules([]string{"hint", "broken"})
	for range 3 {
		if _, err := th.EvalString(&lang.Source{Name: "main.scm"}, "helper"); err == nil {
			t.Fatal("helper is bound")
		}
	}
	if got := strings.Count(out.String(), "loading"); got != 1 {
		t.Errorf("the broken module was loaded %d times, want once", got)
	}
}
