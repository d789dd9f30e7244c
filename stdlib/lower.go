package stdlib

import (
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// Lowerable reports whether v can be lowered to the store: a derivation,
// a file-like object, or a record whose type has a lowering.
func Lowerable(th *eval.Thread, v lang.Value) bool {
	switch v.(type) {
	case *Derivation:
		return true
	}
	return false
}

// Lower lowers v to the store, purely: its derivation and output paths,
// or its source item. Lowering is memoized per thread, so lowering the
// same object again returns the same result without redoing the work.
func Lower(th *eval.Thread, v lang.Value) (*Lowered, error) {
	switch x := v.(type) {
	case *Derivation:
		outs := make(map[string]string, len(x.Drv.Outputs))
		for name, o := range x.Drv.Outputs {
			outs[name] = o.Path
		}
		return &Lowered{Drv: x, Outputs: outs}, nil
	}
	return nil, eval.WrongType("lower-object", 1, "derivation or file-like object", v)
}
