package stdlib_test

import (
	"strings"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// TestGexpBadUsesFailCleanly feeds malformed uses of (fruix gexp) to the
// evaluator: each must fail with a message naming what went wrong and
// where, never panic.
func TestGexpBadUsesFailCleanly(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"(gexp)", "gexp: bad syntax"},
		{"(gexp a b)", "gexp: bad syntax"},
		{"#~(a (ungexp))", "gexp: bad ungexp"},
		{"#~(a (ungexp x y z))", "gexp: bad ungexp"},
		{"#~(a #$@output)", "not a list to splice"},
		{"#~(a (ungexp output \"doc\"))", "#$output takes its output name"},
		{"(define d 1) #~(a (ungexp d:out \"lib\"))", "output given twice"},
		{"(gexp->sexp #~(a #$(output 42)))", "want an output name"},
		{"(gexp->sexp #~(a #$(output \"a b\")))", "invalid output name"},
		{"(gexp->sexp #~(a (ungexp (plain-file \"a\" \"b\") 42)))", "want an output name"},
		{"(local-file)", "local-file: bad syntax"},
		{"(local-file 5)", "want file name"},
		{"(local-file \"testdata/gexp/files/motd\" #:recursive?)", "#:recursive? without a value"},
		{"(%make-gexp 1)", "called other than by the gexp macro"},
		{"(%local-file 1 2)", "called other than by the local-file macro"},
		{"(with-imported-modules)", "with-imported-modules: bad syntax"},
		{"(with-imported-modules 5 #~(a))", "want a list of module names"},
		{"(define-gexp-compiler)", "define-gexp-compiler: bad syntax"},
		{"(define-gexp-compiler (f x) 1)", "bad signature"},
		{"(define-gexp-compiler (f (x) system) 1)", "bad parameter"},
		{"(define-gexp-compiler f <t> compile => car)", "want `compiler => proc'"},
		{"(define-gexp-compiler (f (x 5) system) 1)", "want record type"},
		{"(gexp-input)", "wrong number"},
		{"(gexp-input 1 #:native)", "unknown keyword"},
		{"(gexp->derivation \"x\" #~(a) #:outputs 5)", "#:outputs"},
		{"(gexp->derivation \"x\" #~(a) #:env-vars '((1 . 2)))", "#:env-vars"},
		{"(gexp->derivation \"x\" #~(a) #:hash \"zz\")", "#:hash"},
		{"(gexp->derivation \"x\" #~(a) #:system 5)", "#:system"},
		{"(gexp->derivation \"x y\" #~(a))", "cannot name a store item"},
		{"(gexp->derivation \"x\" #~(a) #:modules '((no such module)))", "not found"},
		{"(computed-file \"x\" #~(a) #:options 5)", "#:options"},
		{"(lower-object (scheme-file \"x\" 5 #:splice? #t))", "wants a list of forms"},
		{"(lower-object (scheme-file \"x\" car))", "cannot insert"},
		{"(lower-object (mixed-text-file \"x\" (file-append (plain-file \"a\" \"b\") 5)))", "want string"},
		{"(file-union \"x\" '((\"a\")))", "want list of (target file-like)"},
		{"(file-union \"x\" '((a b)))", "want a target file name"},
		{"(directory-union \"x\" '(1))", "want file-like objects"},
		{"(define l (list 1 2)) (set-cdr! (cdr l) l) (gexp->sexp #~(f #$l))", "circular list"},
		{"(define l (list 1 2)) (set-car! l l) (gexp->sexp #~(f #$l))", "nested more than 10,000 deep"},
		{"(define v (vector 1)) (vector-set! v 0 v) (gexp->sexp #~(f #$v))", "nested more than 10,000 deep"},
		{"(define l (list 1 2)) (set-car! l l) (set-cdr! (cdr l) l) (gexp-imported-modules #~(f #$l)) (car 5)", "car"},
		{"(lower-object car)", "want derivation, file-like object"},
		{"(lower-object (directory-union \"d\" (list (gexp-input (computed-file \"c\" #~(x)) \"doc\") (plain-file \"a\" \"b\"))))", "directory-union \"d\": derivation c has no output `doc'"},
		{"(lower-object (plain-file \"a\" \"b\") \"\")", "want system name"},
		{"(program-file \"p\" #~(a) #:interpreter \"relative\")", "#:interpreter"},
		{"(lower-object (program-file \"p\" (with-imported-modules '((fruix build utils)) #~(a)) #:interpreter \"/bin/sh\"))", "only the default interpreter"},
		{"(with-imported-modules '(((my mod) => 5)) #~(a))", "file-like object after =>"},
		{"(lower-object (computed-file \"x\" (with-imported-modules `(((my mod) => ,(computed-file \"m\" #~(a)))) #~(a))))", "want a plain-file or a local-file"},
	} {
		th := newQuietThread()
		_, err := th.EvalString(&lang.Source{Name: "bad.scm"}, "(use-modules (fruix gexp) (fruix derivations) (fruix records))\n"+c.src)
		if err == nil {
			t.Errorf("%s: no error", c.src)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q, want it to mention %q", c.src, err, c.want)
		}
		if !strings.Contains(err.Error(), "bad.scm:2:") {
			t.Errorf("%s: error %q has no position on line 2", c.src, err)
		}
	}
}

// TestForgottenImportHint checks that a configuration using the gexp
// API without importing it is told which module to import.
func TestForgottenImportHint(t *testing.T) {
	th := newQuietThread()
	_, err := th.EvalString(&lang.Source{Name: "config.scm"}, "(define motd (plain-file \"motd\" \"hi\"))")
	want := "config.scm:1:14: unbound variable `plain-file'; (fruix gexp) exports it: add (use-modules (fruix gexp))"
	if first, _, _ := strings.Cut(eval.FormatError(err), "\n"); first != want {
		t.Errorf("error %q, want %q", first, want)
	}
}
