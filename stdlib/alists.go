package stdlib

import (
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// Guile's association-list procedures. Note the argument order of the
// -ref procedures: the alist comes first, as in Guile.
var alistBuiltins = []*eval.Builtin{
	{Name: "acons", MinArgs: 3, MaxArgs: 3, Fn: builtinAcons, Doc: "(acons key value alist): (cons (cons key value) alist)."},
	{Name: "assq-ref", MinArgs: 2, MaxArgs: 2, Fn: alistRef("assq-ref", eqPred), Doc: "(assq-ref alist key): the value for key (by eq?), or #f."},
	{Name: "assv-ref", MinArgs: 2, MaxArgs: 2, Fn: alistRef("assv-ref", eqvPred), Doc: "(assv-ref alist key): the value for key (by eqv?), or #f."},
	{Name: "assoc-ref", MinArgs: 2, MaxArgs: 2, Fn: alistRef("assoc-ref", equalPred), Doc: "(assoc-ref alist key): the value for key (by equal?), or #f."},
	{Name: "assq-set!", MinArgs: 3, MaxArgs: 3, Fn: alistSet("assq-set!", eqPred), Doc: "(assq-set! alist key value): alist with key's entry changed to value, or a new entry in front."},
	{Name: "assv-set!", MinArgs: 3, MaxArgs: 3, Fn: alistSet("assv-set!", eqvPred), Doc: "(assv-set! alist key value): like assq-set! by eqv?."},
	{Name: "assoc-set!", MinArgs: 3, MaxArgs: 3, Fn: alistSet("assoc-set!", equalPred), Doc: "(assoc-set! alist key value): like assq-set! by equal?."},
	{Name: "assq-remove!", MinArgs: 2, MaxArgs: 2, Fn: alistRemove("assq-remove!", eqPred), Doc: "(assq-remove! alist key): alist without the entries for key (by eq?)."},
	{Name: "assv-remove!", MinArgs: 2, MaxArgs: 2, Fn: alistRemove("assv-remove!", eqvPred), Doc: "(assv-remove! alist key): alist without the entries for key (by eqv?)."},
	{Name: "assoc-remove!", MinArgs: 2, MaxArgs: 2, Fn: alistRemove("assoc-remove!", equalPred), Doc: "(assoc-remove! alist key): alist without the entries for key (by equal?)."},
}

func builtinAcons(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lang.Cons(lang.Cons(args[0], args[1]), args[2]), nil
}

// findEntry returns the first entry of alist whose key matches, or nil.
// Like Guile, it skips elements that are not pairs.
func findEntry(proc string, alist, key lang.Value, eq func(a, b lang.Value) (bool, error)) (*lang.Pair, error) {
	l := alist
	w := newWalker(l)
	for {
		p, ok := l.(*lang.Pair)
		if !ok {
			if isNull(l) {
				return nil, nil
			}
			return nil, wrongType(proc, 0, "association list", alist)
		}
		if e, ok := p.Car.(*lang.Pair); ok {
			same, err := eq(key, e.Car)
			if err != nil {
				return nil, err
			}
			if same {
				return e, nil
			}
		}
		l = p.Cdr
		if w.circular(l) {
			return nil, rangeErrorf(proc, 0, "circular list")
		}
	}
}

func alistRef(name string, eq func(a, b lang.Value) (bool, error)) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		e, err := findEntry(name, args[0], args[1], eq)
		if err != nil {
			return nil, err
		}
		if e == nil {
			return lang.False, nil
		}
		return e.Cdr, nil
	}
}

func alistSet(name string, eq func(a, b lang.Value) (bool, error)) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		e, err := findEntry(name, args[0], args[1], eq)
		if err != nil {
			return nil, err
		}
		if e == nil {
			return lang.Cons(lang.Cons(args[1], args[2]), args[0]), nil
		}
		e.Cdr = args[2]
		return args[0], nil
	}
}

func alistRemove(name string, eq func(a, b lang.Value) (bool, error)) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		var out []lang.Value
		err := eachElement(name, args, 0, func(p *lang.Pair) (bool, error) {
			if e, ok := p.Car.(*lang.Pair); ok {
				same, err := eq(args[1], e.Car)
				if err != nil || same {
					return true, err
				}
			}
			out = append(out, p.Car)
			return true, nil
		})
		if err != nil {
			return nil, err
		}
		return sliceToList(out, lang.Nil), nil
	}
}
