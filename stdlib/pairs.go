package stdlib

import (
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// The pairs and lists of R7RS (scheme base).
var pairBuiltins = []*eval.Builtin{
	{Name: "cons", MinArgs: 2, MaxArgs: 2, Fn: builtinCons, Doc: "(cons a d): a new pair whose car is a and cdr is d."},
	{Name: "car", MinArgs: 1, MaxArgs: 1, Fn: builtinCar, Doc: "(car pair): the first element of pair."},
	{Name: "cdr", MinArgs: 1, MaxArgs: 1, Fn: builtinCdr, Doc: "(cdr pair): the rest of pair."},
	{Name: "set-car!", MinArgs: 2, MaxArgs: 2, Fn: builtinSetCar, Doc: "(set-car! pair v): store v in the car of pair."},
	{Name: "set-cdr!", MinArgs: 2, MaxArgs: 2, Fn: builtinSetCdr, Doc: "(set-cdr! pair v): store v in the cdr of pair."},
	{Name: "pair?", MinArgs: 1, MaxArgs: 1, Fn: builtinPairP, Doc: "(pair? v): whether v is a pair."},
	{Name: "null?", MinArgs: 1, MaxArgs: 1, Fn: builtinNullP, Doc: "(null? v): whether v is the empty list."},
	{Name: "list?", MinArgs: 1, MaxArgs: 1, Fn: builtinListP, Doc: "(list? v): whether v is a proper (finite, '()-terminated) list."},
	{Name: "list", MinArgs: 0, MaxArgs: -1, Fn: builtinList, Doc: "(list v ...): a new list of the arguments."},
	{Name: "make-list", MinArgs: 1, MaxArgs: 2, Fn: builtinMakeList, Doc: "(make-list k [fill]): a new list of k elements, each fill."},
	{Name: "length", MinArgs: 1, MaxArgs: 1, Fn: builtinLength, Doc: "(length list): the number of elements of a proper list."},
	{Name: "append", MinArgs: 0, MaxArgs: -1, Fn: builtinAppend, Doc: "(append list ... obj): the lists concatenated; the last argument is shared, not copied."},
	{Name: "reverse", MinArgs: 1, MaxArgs: 1, Fn: builtinReverse, Doc: "(reverse list): a new list of the elements in reverse order."},
	{Name: "list-tail", MinArgs: 2, MaxArgs: 2, Fn: builtinListTail, Doc: "(list-tail list k): the sublist after the first k elements."},
	{Name: "list-ref", MinArgs: 2, MaxArgs: 2, Fn: builtinListRef, Doc: "(list-ref list k): element k (from 0) of list."},
	{Name: "list-set!", MinArgs: 3, MaxArgs: 3, Fn: builtinListSet, Doc: "(list-set! list k v): store v as element k of list."},
	{Name: "list-copy", MinArgs: 1, MaxArgs: 1, Fn: builtinListCopy, Doc: "(list-copy obj): a fresh copy of the spine of a list (improper tails kept)."},
	{Name: "memq", MinArgs: 2, MaxArgs: 2, Fn: builtinMemq, Doc: "(memq x list): the first sublist whose car is eq? to x, or #f."},
	{Name: "memv", MinArgs: 2, MaxArgs: 2, Fn: builtinMemv, Doc: "(memv x list): the first sublist whose car is eqv? to x, or #f."},
	{Name: "member", MinArgs: 2, MaxArgs: 3, Fn: builtinMember, Doc: "(member x list [compare]): the first sublist whose car equals x (equal? or compare), or #f."},
	{Name: "assq", MinArgs: 2, MaxArgs: 2, Fn: builtinAssq, Doc: "(assq key alist): the first pair of alist whose car is eq? to key, or #f."},
	{Name: "assv", MinArgs: 2, MaxArgs: 2, Fn: builtinAssv, Doc: "(assv key alist): the first pair of alist whose car is eqv? to key, or #f."},
	{Name: "assoc", MinArgs: 2, MaxArgs: 3, Fn: builtinAssoc, Doc: "(assoc key alist [compare]): the first pair of alist whose car equals key (equal? or compare), or #f."},
	{Name: "map", MinArgs: 2, MaxArgs: -1, Fn: builtinMap, Doc: "(map proc list ...): a list of proc applied to the elements of the lists in turn; stops at the shortest list."},
	{Name: "for-each", MinArgs: 2, MaxArgs: -1, Fn: builtinForEach, Doc: "(for-each proc list ...): apply proc to the elements of the lists in turn, for effect; stops at the shortest list."},
}

func builtinCons(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lang.Cons(args[0], args[1]), nil
}

func builtinCar(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if p, ok := args[0].(*lang.Pair); ok {
		return p.Car, nil
	}
	return nil, wrongType("car", 0, "pair", args[0])
}

func builtinCdr(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if p, ok := args[0].(*lang.Pair); ok {
		return p.Cdr, nil
	}
	return nil, wrongType("cdr", 0, "pair", args[0])
}

func builtinSetCar(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := argPair("set-car!", args, 0)
	if err != nil {
		return nil, err
	}
	p.Car = args[1]
	return lang.Unspec, nil
}

func builtinSetCdr(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := argPair("set-cdr!", args, 0)
	if err != nil {
		return nil, err
	}
	p.Cdr = args[1]
	return lang.Unspec, nil
}

func builtinPairP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	_, ok := args[0].(*lang.Pair)
	return lang.MakeBool(ok), nil
}

func builtinNullP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lang.MakeBool(isNull(args[0])), nil
}

func builtinListP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lang.MakeBool(listLength(args[0]) >= 0), nil
}

func builtinList(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return sliceToList(args, lang.Nil), nil
}

func builtinMakeList(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	n, err := argNonNeg("make-list", args, 0)
	if err != nil {
		return nil, err
	}
	var fill lang.Value = lang.Unspec
	if len(args) > 1 {
		fill = args[1]
	}
	var l lang.Value = lang.Nil
	for ; n > 0; n-- {
		l = lang.Cons(fill, l)
	}
	return l, nil
}

func builtinLength(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	switch n := listLength(args[0]); n {
	case -1:
		return nil, wrongType("length", 0, "proper list", args[0])
	case -2:
		return nil, rangeErrorf("length", 0, "circular list")
	default:
		return makeInt(n), nil
	}
}

func builtinAppend(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if len(args) == 0 {
		return lang.Nil, nil
	}
	result := args[len(args)-1]
	for i := len(args) - 2; i >= 0; i-- {
		items, err := listToSlice("append", args, i)
		if err != nil {
			return nil, err
		}
		result = sliceToList(items, result)
	}
	return result, nil
}

func builtinReverse(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	var r lang.Value = lang.Nil
	l := args[0]
	n := 0
	slow := l
	for {
		p, ok := l.(*lang.Pair)
		if !ok {
			break
		}
		r = lang.Cons(p.Car, r)
		l = p.Cdr
		n++
		if n&1 == 0 {
			slow = slow.(*lang.Pair).Cdr
			if slow == l {
				return nil, rangeErrorf("reverse", 0, "circular list")
			}
		}
	}
	if !isNull(l) {
		return nil, wrongType("reverse", 0, "proper list", args[0])
	}
	return r, nil
}

// listTail walks k pairs down args[0] for proc, with a range error naming
// the length when the list is too short.
func listTail(proc string, args []lang.Value, k int) (lang.Value, error) {
	l := args[0]
	for i := 0; i < k; i++ {
		p, ok := l.(*lang.Pair)
		if !ok {
			if isNull(l) {
				return nil, rangeErrorf(proc, 1, "index %d out of range for list of length %d", k, i)
			}
			return nil, wrongType(proc, 0, "list", args[0])
		}
		l = p.Cdr
	}
	return l, nil
}

func builtinListTail(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	k, err := argNonNeg("list-tail", args, 1)
	if err != nil {
		return nil, err
	}
	return listTail("list-tail", args, k)
}

func listPairAt(proc string, args []lang.Value) (*lang.Pair, error) {
	k, err := argNonNeg(proc, args, 1)
	if err != nil {
		return nil, err
	}
	l, err := listTail(proc, args, k)
	if err != nil {
		return nil, err
	}
	p, ok := l.(*lang.Pair)
	if !ok {
		if isNull(l) {
			return nil, rangeErrorf(proc, 1, "index %d out of range for list of length %d", k, k)
		}
		return nil, wrongType(proc, 0, "list", args[0])
	}
	return p, nil
}

func builtinListRef(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := listPairAt("list-ref", args)
	if err != nil {
		return nil, err
	}
	return p.Car, nil
}

func builtinListSet(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := listPairAt("list-set!", args)
	if err != nil {
		return nil, err
	}
	p.Car = args[2]
	return lang.Unspec, nil
}

func builtinListCopy(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return copySpine(args[0]), nil
}

// copySpine copies the pairs of a list, keeping an improper tail; a
// circular list is copied up to the point where it meets itself.
func copySpine(l lang.Value) lang.Value {
	head := &lang.Pair{}
	tail := head
	seen := 0
	slow := l
	for {
		p, ok := l.(*lang.Pair)
		if !ok {
			break
		}
		np := &lang.Pair{Car: p.Car, Cdr: lang.Nil}
		tail.Cdr = np
		tail = np
		l = p.Cdr
		seen++
		if seen&1 == 0 {
			slow = slow.(*lang.Pair).Cdr
			if slow == l {
				break
			}
		}
	}
	tail.Cdr = l
	return head.Cdr
}

// memGeneric walks list args[1] returning the first sublist whose car
// satisfies eq; it stops with a type error on an improper tail.
func memGeneric(proc string, args []lang.Value, eq func(a, b lang.Value) (bool, error)) (lang.Value, error) {
	x := args[0]
	l := args[1]
	w := newWalker(l)
	for {
		p, ok := l.(*lang.Pair)
		if !ok {
			if isNull(l) {
				return lang.False, nil
			}
			return nil, wrongType(proc, 1, "proper list", args[1])
		}
		same, err := eq(x, p.Car)
		if err != nil {
			return nil, err
		}
		if same {
			return p, nil
		}
		l = p.Cdr
		if w.circular(l) {
			return nil, rangeErrorf(proc, 1, "circular list")
		}
	}
}

func assGeneric(proc string, args []lang.Value, eq func(a, b lang.Value) (bool, error)) (lang.Value, error) {
	x := args[0]
	l := args[1]
	w := newWalker(l)
	for {
		p, ok := l.(*lang.Pair)
		if !ok {
			if isNull(l) {
				return lang.False, nil
			}
			return nil, wrongType(proc, 1, "association list", args[1])
		}
		entry, ok := p.Car.(*lang.Pair)
		if !ok {
			return nil, wrongType(proc, 1, "association list", args[1])
		}
		same, err := eq(x, entry.Car)
		if err != nil {
			return nil, err
		}
		if same {
			return entry, nil
		}
		l = p.Cdr
		if w.circular(l) {
			return nil, rangeErrorf(proc, 1, "circular list")
		}
	}
}

func eqPred(a, b lang.Value) (bool, error)    { return lang.Eq(a, b), nil }
func eqvPred(a, b lang.Value) (bool, error)   { return lang.Eqv(a, b), nil }
func equalPred(a, b lang.Value) (bool, error) { return lang.Equal(a, b), nil }

// callPred returns a two-argument predicate that calls the Scheme
// procedure proc.
func callPred(th *eval.Thread, proc lang.Value) func(a, b lang.Value) (bool, error) {
	return func(a, b lang.Value) (bool, error) {
		v, err := call(th, proc, a, b)
		if err != nil {
			return false, err
		}
		return lang.IsTrue(v), nil
	}
}

func builtinMemq(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return memGeneric("memq", args, eqPred)
}

func builtinMemv(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return memGeneric("memv", args, eqvPred)
}

func builtinMember(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if len(args) > 2 {
		if _, err := argProc("member", args, 2); err != nil {
			return nil, err
		}
		return memGeneric("member", args, callPred(th, args[2]))
	}
	return memGeneric("member", args, equalPred)
}

func builtinAssq(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return assGeneric("assq", args, eqPred)
}

func builtinAssv(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return assGeneric("assv", args, eqvPred)
}

func builtinAssoc(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if len(args) > 2 {
		if _, err := argProc("assoc", args, 2); err != nil {
			return nil, err
		}
		return assGeneric("assoc", args, callPred(th, args[2]))
	}
	return assGeneric("assoc", args, equalPred)
}

// mapLists calls f with the i-th elements of lists args[1:] for i = 0, 1,
// ... until the shortest list ends. Improper tails are errors.
func mapLists(proc string, args []lang.Value, f func(elems []lang.Value) error) error {
	if _, err := argProc(proc, args, 0); err != nil {
		return err
	}
	if len(args) == 2 {
		l := args[1]
		w := newWalker(l)
		var one [1]lang.Value
		for {
			p, ok := l.(*lang.Pair)
			if !ok {
				if isNull(l) {
					return nil
				}
				return wrongType(proc, 1, "proper list", args[1])
			}
			one[0] = p.Car
			if err := f(one[:]); err != nil {
				return err
			}
			l = p.Cdr
			if w.circular(l) {
				return rangeErrorf(proc, 1, "circular list")
			}
		}
	}
	// Several lists: some may be circular as long as one ends.
	allCircular := true
	for i, l := range args[1:] {
		switch listLength(l) {
		case -1:
			return wrongType(proc, i+1, "proper list", l)
		case -2:
		default:
			allCircular = false
		}
	}
	if allCircular {
		return rangeErrorf(proc, 1, "circular list")
	}
	lists := append([]lang.Value(nil), args[1:]...)
	elems := make([]lang.Value, len(lists))
	for {
		for i, l := range lists {
			p, ok := l.(*lang.Pair)
			if !ok {
				if isNull(l) {
					return nil
				}
				return wrongType(proc, i+1, "proper list", args[i+1])
			}
			elems[i] = p.Car
			lists[i] = p.Cdr
		}
		if err := f(elems); err != nil {
			return err
		}
	}
}

func builtinMap(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	head := &lang.Pair{Cdr: lang.Nil}
	tail := head
	proc := args[0]
	err := mapLists("map", args, func(elems []lang.Value) error {
		v, err := call(th, proc, elems...)
		if err != nil {
			return err
		}
		np := &lang.Pair{Car: v, Cdr: lang.Nil}
		tail.Cdr = np
		tail = np
		return nil
	})
	if err != nil {
		return nil, err
	}
	return head.Cdr, nil
}

func builtinForEach(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	proc := args[0]
	err := mapLists("for-each", args, func(elems []lang.Value) error {
		_, err := call(th, proc, elems...)
		return err
	})
	if err != nil {
		return nil, err
	}
	return lang.Unspec, nil
}
