package stdlib

import (
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// The compositions of car and cdr of (scheme cxr), caar through cddddr,
// plus caar/cadr/cdar/cddr that (scheme base) has. Each is built from its
// name: the letters between c and r, applied right to left.
var cxrBuiltins = makeCxrBuiltins()

func makeCxrBuiltins() []*eval.Builtin {
	var out []*eval.Builtin
	var gen func(path string)
	gen = func(path string) {
		if len(path) >= 2 {
			out = append(out, cxrBuiltin(path))
		}
		if len(path) < 4 {
			gen(path + "a")
			gen(path + "d")
		}
	}
	gen("")
	return out
}

func cxrBuiltin(path string) *eval.Builtin {
	name := "c" + path + "r"
	return &eval.Builtin{
		Name: name, MinArgs: 1, MaxArgs: 1,
		Doc: "(" + name + " pair): the composition of car and cdr its name spells.",
		Fn: func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
			v := args[0]
			for i := len(path) - 1; i >= 0; i-- {
				p, ok := v.(*lang.Pair)
				if !ok {
					// Like Guile, name the value that was not a pair, which
					// may be the argument or a part of it.
					return nil, wrongType(name, 0, "pair", v)
				}
				if path[i] == 'a' {
					v = p.Car
				} else {
					v = p.Cdr
				}
			}
			return v, nil
		},
	}
}
