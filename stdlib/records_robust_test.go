package stdlib

import (
	"bytes"
	"math/rand"
	"strings"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// TestDerivationBuiltinsNeverPanic calls the procedures of (fruix
// derivations) and (fruix records) with many combinations of arguments,
// right and wrong: each must return a value or an error, never panic.
func TestDerivationBuiltinsNeverPanic(t *testing.T) {
	var out bytes.Buffer
	th := New(eval.Options{Stdout: &out, Stderr: &out})
	v, err := th.EvalString(&lang.Source{Name: "t.scm"}, `(use-modules (fruix derivations) (fruix records))
(define-record-type* <t> t make-t t? (a t-a (default 1)))
(list (derivation "a" "/bin/sh" '() #:outputs '("out" "dev")) (t))`)
	if err != nil {
		t.Fatal(err)
	}
	drv, rec := v.(*lang.Pair).Car, v.(*lang.Pair).Cdr.(*lang.Pair).Car
	pool := []lang.Value{
		lang.MakeInt(0), lang.MakeInt(-1), lang.True, lang.False, lang.Nil, lang.Unspec,
		lang.NewString(""), lang.NewString("a b"), lang.NewString("/frx/store/00000000000000000000000000000000-x"),
		lang.NewString("out"), lang.NewString("sha256:00"), lang.Intern("sha256"), lang.Intern("nope"),
		lang.InternKeyword("inputs"), lang.InternKeyword("hash"), lang.InternKeyword("hash-algo"),
		lang.InternKeyword("outputs"), lang.InternKeyword("env-vars"), lang.InternKeyword("bogus"),
		lang.InternKeyword("recursive?"), lang.InternKeyword("system"), lang.InternKeyword("sources"),
		lang.List(drv), lang.List(lang.List(drv, lang.NewString("dev"))), lang.List(lang.List(drv, lang.MakeInt(1))),
		lang.List(lang.Cons(lang.NewString("k"), lang.NewString("v"))), lang.List(lang.MakeInt(1)),
		lang.Cons(lang.MakeInt(1), lang.MakeInt(2)), &lang.Bytevector{Bytes: make([]byte, 32)},
		&lang.Bytevector{Bytes: []byte{1}}, drv, rec,
	}
	r := rand.New(rand.NewSource(1))
	tables := append(append([]*eval.Builtin{}, derivationBuiltins...), recordStarBuiltins...)
	for _, b := range tables {
		maxArgs := b.MaxArgs
		if maxArgs < 0 || maxArgs > b.MinArgs+6 {
			maxArgs = b.MinArgs + 6
		}
		for try := 0; try < 300; try++ {
			n := b.MinArgs + r.Intn(maxArgs-b.MinArgs+1)
			args := make([]lang.Value, n)
			for i := range args {
				args[i] = pool[r.Intn(len(pool))]
			}
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("%s %s: panic: %v", b.Name, lang.WriteString(lang.List(args...)), p)
					}
				}()
				th.Call(b, args...)
			}()
		}
	}
}

// TestRecordMacrosNeverPanic expands mangled uses of the record macros.
func TestRecordMacrosNeverPanic(t *testing.T) {
	var out bytes.Buffer
	th := New(eval.Options{Stdout: &out, Stderr: &out})
	if _, err := th.EvalString(&lang.Source{Name: "t.scm"}, `(use-modules (fruix records))
(define-record-type* <t> t make-t t? this-t (a t-a (default 1)) (b t-b (thunked) (default 2)))`); err != nil {
		t.Fatal(err)
	}
	parts := []string{"", "a", "b", "(a 1)", "(b 2)", "(a)", "(inherit (t))", "(inherit 1)", "1", "()", "(a . 1)",
		"<t>", "t", "(a t-a)", "(c t-c (default 1))", "(x t-x (thunked) (delayed))", "(d t-d (sanitize))", "this-t", "(this-t)", "'x"}
	heads := []string{"t", "define-record-type* <u> u make-u u?", "match-record (t) <t>", "record-update (t)", "match-record (t) <t> (a (b x))", "define-record-type*"}
	r := rand.New(rand.NewSource(2))
	for try := 0; try < 2000; try++ {
		var b strings.Builder
		b.WriteString("(" + heads[r.Intn(len(heads))])
		for i := r.Intn(5); i > 0; i-- {
			b.WriteString(" " + parts[r.Intn(len(parts))])
		}
		b.WriteString(")")
		src := b.String()
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("%s: panic: %v", src, p)
				}
			}()
			th.EvalString(&lang.Source{Name: "t.scm"}, src)
		}()
	}
}
