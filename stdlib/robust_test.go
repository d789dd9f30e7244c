package stdlib

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"testing"
	"time"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// TestBuiltinsNeverPanic calls every builtin with many combinations of
// arguments of every type, right and wrong: a builtin must return a value
// or an error, never panic.
func TestBuiltinsNeverPanic(t *testing.T) {
	var out bytes.Buffer
	th := New(eval.Options{Stdin: strings.NewReader("(a) b"), Stdout: &out, Stderr: &out})
	circular := lang.List(lang.MakeInt(1), lang.MakeInt(2))
	circular.(*lang.Pair).Cdr.(*lang.Pair).Cdr = circular
	pool := func() []lang.Value {
		return []lang.Value{
			lang.MakeInt(0), lang.MakeInt(1), lang.MakeInt(2), lang.MakeInt(-1), lang.MakeInt(100),
			lang.MakeBig(new(bigInt).Lsh(bigOne(), 70)), lang.MakeFloat(1.5), lang.MakeFloat(-0.0),
			lang.MakeFloat(nan()), lang.True, lang.False, lang.Nil, lang.Unspec, lang.EOF,
			lang.Char('a'), lang.Char('λ'), lang.NewString(""), lang.NewString("a,b λ"),
			lang.Intern("sym"), lang.InternKeyword("key"),
			lang.List(lang.MakeInt(3), lang.MakeInt(1), lang.MakeInt(2)),
			lang.List(lang.Cons(lang.Intern("a"), lang.MakeInt(1))),
			lang.Cons(lang.MakeInt(1), lang.MakeInt(2)), circular,
			&lang.Vector{Items: []lang.Value{lang.MakeInt(2), lang.MakeInt(1)}}, &lang.Vector{},
			&lang.Bytevector{Bytes: []byte{1, 2, 3}}, newHashTable(equivEqual, nil, nil),
			NewStringInputPort("x y"), NewStringOutputPort(), standardCharSets[4],
			eqBuiltin, builtinsByName["car"], builtinsByName["list"], builtinsByName["<"],
			builtinsByName["char-alphabetic?"],
		}
	}
	skip := map[string]bool{
		// They create or delete files in the working directory.
		"open-output-file": true, "open-binary-output-file": true, "call-with-output-file": true,
		"with-output-to-file": true, "delete-file": true,
	}
	r := rand.New(rand.NewSource(1))
	for name, b := range builtinsByName {
		if skip[name] {
			continue
		}
		maxArgs := b.MaxArgs
		if maxArgs < 0 || maxArgs > b.MinArgs+3 {
			maxArgs = b.MinArgs + 3
		}
		start := time.Now()
		for try := 0; try < 60; try++ {
			n := b.MinArgs + r.Intn(maxArgs-b.MinArgs+1)
			vals := pool()
			args := make([]lang.Value, n)
			for i := range args {
				args[i] = vals[r.Intn(len(vals))]
			}
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("(%s %s) panicked: %v", name, describe(args), p)
					}
				}()
				b.Fn(th, args)
			}()
		}
		if d := time.Since(start); d > time.Second {
			fmt.Fprintf(os.Stderr, "%s took %v\n", name, d)
		}
	}
}

func describe(args []lang.Value) string {
	parts := make([]string, len(args))
	for i, a := range args {
		if a == nil {
			parts[i] = "<nil>"
			continue
		}
		if p, ok := a.(*lang.Pair); ok && listLength(p) == -2 {
			parts[i] = "#<circular list>"
			continue
		}
		parts[i] = fmt.Sprint(lang.WriteString(a))
	}
	return strings.Join(parts, " ")
}
