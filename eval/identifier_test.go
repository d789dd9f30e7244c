package eval_test

import (
	"bytes"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// TestIdentifierSymbol checks that a native macro can read the symbol
// behind an identifier a syntax-rules template introduced (a renamed
// identifier), and behind a plain symbol, but not behind other data.
func TestIdentifierSymbol(t *testing.T) {
	th := newTestThread(&bytes.Buffer{})
	type seen struct {
		sym *lang.Symbol
		ok  bool
	}
	var got []seen
	gensym := th.Gensym("tmp")
	renamed := false
	m := th.CurrentModule()
	m.DefineNativeMacro("capture", func(th *eval.Thread, form *lang.Pair, env *eval.MacroEnv) (lang.Value, error) {
		for p, ok := form.Cdr.(*lang.Pair); ok; p, ok = p.Cdr.(*lang.Pair) {
			s, isID := eval.IdentifierSymbol(p.Car)
			got = append(got, seen{s, isID})
			if n, ok := p.Car.(lang.Named); ok && n.TypeName() == "identifier" {
				renamed = true
			}
		}
		return lang.Unspec, nil
	})
	mustEval(t, th, `
(define-syntax wrap
  (syntax-rules () ((_ x) (capture introduced x 12))))
(wrap user-name)`)
	if !renamed {
		t.Fatal("the template's identifier reached the native macro as a plain symbol; the test needs a renamed one")
	}
	want := []seen{{lang.Intern("introduced"), true}, {lang.Intern("user-name"), true}, {nil, false}}
	if len(got) != len(want) {
		t.Fatalf("capture saw %d arguments; want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("argument %d: IdentifierSymbol = %v, %v; want %v, %v", i, got[i].sym, got[i].ok, want[i].sym, want[i].ok)
		}
	}
	if s, ok := eval.IdentifierSymbol(gensym); !ok || s != gensym {
		t.Errorf("IdentifierSymbol(gensym) = %v, %v; want the same uninterned symbol", s, ok)
	}
}
