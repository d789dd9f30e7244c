package eval_test

import (
	"testing"
	"testing/fstest"

	"fruix.dev/fruix/lang"
)

// TestImportedNamesFollowUseModules checks that a name looked up through
// the imports once is found again through the imports as they are when
// it is used: a later use-modules takes precedence, a later own
// definition shadows the import, and a reference compiled before either
// keeps the binding it found.
func TestImportedNamesFollowUseModules(t *testing.T) {
	src := fstest.MapFS{
		"imp/a.scm": {Data: []byte("(define-module (imp a) #:export (x only-a))\n(define x 'from-a)\n(define only-a 'a)\n")},
		"imp/b.scm": {Data: []byte("(define-module (imp b) #:export (x))\n(define x 'from-b)\n")},
	}
	th := newSourcesThread(src)
	for _, c := range []struct{ src, want string }{
		{"(use-modules (imp a)) x", "from-a"},
		{"(define (get-x) x) (get-x)", "from-a"},
		{"(use-modules (imp b)) x", "from-b"},
		{"only-a", "a"},
		{"(get-x)", "from-a"},
		{"(define only-a 'mine) only-a", "mine"},
	} {
		if got := lang.WriteString(mustEval(t, th, c.src)); got != c.want {
			t.Errorf("%s = %s; want %s", c.src, got, c.want)
		}
	}
}

// TestModuleRefFollowsItsName checks that an (@ (module) name) form
// compiled again refers to the module its name says then, also when the
// list holding the module name was changed in between.
func TestModuleRefFollowsItsName(t *testing.T) {
	src := fstest.MapFS{
		"imp/a.scm": {Data: []byte("(define-module (imp a) #:export (x))\n(define x 'from-a)\n")},
		"imp/b.scm": {Data: []byte("(define-module (imp b) #:export (x))\n(define x 'from-b)\n")},
	}
	th := newSourcesThread(src)
	name := lang.List(lang.Intern("imp"), lang.Intern("a")).(*lang.Pair)
	ref := &lang.Pair{Car: lang.Intern("@"), Cdr: lang.List(name, lang.Intern("x"))}
	for _, want := range []string{"from-a", "from-a"} {
		v, err := th.Eval(ref, nil)
		if err != nil || lang.WriteString(v) != want {
			t.Fatalf("%s = %v, %v; want %s", lang.WriteString(ref), v, err, want)
		}
	}
	name.Cdr.(*lang.Pair).Car = lang.Intern("b")
	if v, err := th.Eval(ref, nil); err != nil || lang.WriteString(v) != "from-b" {
		t.Errorf("%s = %v, %v; want from-b", lang.WriteString(ref), v, err)
	}
}
