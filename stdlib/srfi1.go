package stdlib

import (
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// SRFI-1 list procedures, in (srfi srfi-1); those Guile has in its core
// are also in (guile).
var srfi1Builtins = []*eval.Builtin{
	{Name: "xcons", MinArgs: 2, MaxArgs: 2, Fn: builtinXcons, Doc: "(xcons d a): (cons a d)."},
	{Name: "cons*", MinArgs: 1, MaxArgs: -1, Fn: builtinConsStar, Doc: "(cons* a ... tail): the elements consed onto tail."},
	{Name: "list-tabulate", MinArgs: 2, MaxArgs: 2, Fn: builtinListTabulate, Doc: "(list-tabulate n proc): the list (proc 0) ... (proc n-1)."},
	{Name: "iota", MinArgs: 1, MaxArgs: 3, Fn: builtinIota, Doc: "(iota count [start step]): the list start, start+step, ... of count numbers."},
	{Name: "first", MinArgs: 1, MaxArgs: 1, Fn: nthBuiltin("first", 0), Doc: "(first list): element 1 of list (from 1)."},
	{Name: "second", MinArgs: 1, MaxArgs: 1, Fn: nthBuiltin("second", 1), Doc: "(second list): element 2 of list (from 1)."},
	{Name: "third", MinArgs: 1, MaxArgs: 1, Fn: nthBuiltin("third", 2), Doc: "(third list): element 3 of list (from 1)."},
	{Name: "fourth", MinArgs: 1, MaxArgs: 1, Fn: nthBuiltin("fourth", 3), Doc: "(fourth list): element 4 of list (from 1)."},
	{Name: "fifth", MinArgs: 1, MaxArgs: 1, Fn: nthBuiltin("fifth", 4), Doc: "(fifth list): element 5 of list (from 1)."},
	{Name: "sixth", MinArgs: 1, MaxArgs: 1, Fn: nthBuiltin("sixth", 5), Doc: "(sixth list): element 6 of list (from 1)."},
	{Name: "seventh", MinArgs: 1, MaxArgs: 1, Fn: nthBuiltin("seventh", 6), Doc: "(seventh list): element 7 of list (from 1)."},
	{Name: "eighth", MinArgs: 1, MaxArgs: 1, Fn: nthBuiltin("eighth", 7), Doc: "(eighth list): element 8 of list (from 1)."},
	{Name: "ninth", MinArgs: 1, MaxArgs: 1, Fn: nthBuiltin("ninth", 8), Doc: "(ninth list): element 9 of list (from 1)."},
	{Name: "tenth", MinArgs: 1, MaxArgs: 1, Fn: nthBuiltin("tenth", 9), Doc: "(tenth list): element 10 of list (from 1)."},
	{Name: "car+cdr", MinArgs: 1, MaxArgs: 1, Fn: builtinCarCdr, Doc: "(car+cdr pair): two values, the car and the cdr."},
	{Name: "last", MinArgs: 1, MaxArgs: 1, Fn: builtinLast, Doc: "(last list): the last element of a non-empty list."},
	{Name: "last-pair", MinArgs: 1, MaxArgs: 1, Fn: builtinLastPair, Doc: "(last-pair list): the last pair of a non-empty list."},
	{Name: "length+", MinArgs: 1, MaxArgs: 1, Fn: builtinLengthPlus, Doc: "(length+ list): the length, or #f for a circular list."},
	{Name: "proper-list?", MinArgs: 1, MaxArgs: 1, Fn: builtinListP, Doc: "(proper-list? v): whether v is a proper list."},
	{Name: "circular-list?", MinArgs: 1, MaxArgs: 1, Fn: builtinCircularListP, Doc: "(circular-list? v): whether v is a circular list."},
	{Name: "dotted-list?", MinArgs: 1, MaxArgs: 1, Fn: builtinDottedListP, Doc: "(dotted-list? v): whether v is a finite list not ending in '()."},
	{Name: "null-list?", MinArgs: 1, MaxArgs: 1, Fn: builtinNullListP, Doc: "(null-list? list): whether the list is empty."},
	{Name: "not-pair?", MinArgs: 1, MaxArgs: 1, Fn: builtinNotPairP, Doc: "(not-pair? v): whether v is not a pair."},
	{Name: "take", MinArgs: 2, MaxArgs: 2, Fn: builtinTake, Doc: "(take list k): a new list of the first k elements."},
	{Name: "drop", MinArgs: 2, MaxArgs: 2, Fn: builtinDrop, Doc: "(drop list k): the list after its first k elements (shared)."},
	{Name: "take-right", MinArgs: 2, MaxArgs: 2, Fn: builtinTakeRight, Doc: "(take-right list k): the last k pairs of list (shared)."},
	{Name: "drop-right", MinArgs: 2, MaxArgs: 2, Fn: builtinDropRight, Doc: "(drop-right list k): a new list of all but the last k elements."},
	{Name: "take!", MinArgs: 2, MaxArgs: 2, Fn: builtinTake, Doc: "(take! list k): like take."},
	{Name: "drop-right!", MinArgs: 2, MaxArgs: 2, Fn: builtinDropRight, Doc: "(drop-right! list k): like drop-right."},
	{Name: "split-at", MinArgs: 2, MaxArgs: 2, Fn: builtinSplitAt, Doc: "(split-at list k): two values, (take list k) and (drop list k)."},
	{Name: "split-at!", MinArgs: 2, MaxArgs: 2, Fn: builtinSplitAt, Doc: "(split-at! list k): like split-at."},
	{Name: "concatenate", MinArgs: 1, MaxArgs: 1, Fn: builtinConcatenate, Doc: "(concatenate lists): (apply append lists)."},
	{Name: "concatenate!", MinArgs: 1, MaxArgs: 1, Fn: builtinConcatenate, Doc: "(concatenate! lists): like concatenate."},
	{Name: "append-reverse", MinArgs: 2, MaxArgs: 2, Fn: builtinAppendReverse, Doc: "(append-reverse rev-head tail): (append (reverse rev-head) tail)."},
	{Name: "append-reverse!", MinArgs: 2, MaxArgs: 2, Fn: builtinAppendReverse, Doc: "(append-reverse! rev-head tail): like append-reverse."},
	{Name: "append!", MinArgs: 0, MaxArgs: -1, Fn: builtinAppendBang, Doc: "(append! list ...): the lists concatenated by changing their last pairs."},
	{Name: "reverse!", MinArgs: 1, MaxArgs: 2, Fn: builtinReverseBang, Doc: "(reverse! list [tail]): list reversed in place, ending in tail."},
	{Name: "fold", MinArgs: 3, MaxArgs: -1, Fn: builtinFold, Doc: "(fold kons knil list ...): (kons elem ... acc) over the lists from the left."},
	{Name: "fold-left", MinArgs: 3, MaxArgs: -1, Fn: builtinFoldLeft, Doc: "(fold-left proc init list ...): (proc acc elem ...) over the lists from the left."},
	{Name: "fold-right", MinArgs: 3, MaxArgs: -1, Fn: builtinFoldRight, Doc: "(fold-right kons knil list ...): (kons elem ... acc) over the lists from the right."},
	{Name: "reduce", MinArgs: 3, MaxArgs: 3, Fn: builtinReduce, Doc: "(reduce f ridentity list): (f elem acc) from the left, starting with the first element; ridentity for '()."},
	{Name: "reduce-right", MinArgs: 3, MaxArgs: 3, Fn: builtinReduceRight, Doc: "(reduce-right f ridentity list): (f e1 (f e2 ... en)); ridentity for '()."},
	{Name: "unfold", MinArgs: 4, MaxArgs: 5, Fn: builtinUnfold, Doc: "(unfold stop? mapper successor seed [tail-gen]): the list built from seeds until stop?."},
	{Name: "unfold-right", MinArgs: 4, MaxArgs: 5, Fn: builtinUnfoldRight, Doc: "(unfold-right stop? mapper successor seed [tail]): the list built from seeds, right to left."},
	{Name: "append-map", MinArgs: 2, MaxArgs: -1, Fn: builtinAppendMap, Doc: "(append-map proc list ...): the results of proc, which are lists, appended."},
	{Name: "append-map!", MinArgs: 2, MaxArgs: -1, Fn: builtinAppendMap, Doc: "(append-map! proc list ...): like append-map."},
	{Name: "map-in-order", MinArgs: 2, MaxArgs: -1, Fn: builtinMap, Doc: "(map-in-order proc list ...): map, calling proc from left to right."},
	{Name: "filter-map", MinArgs: 2, MaxArgs: -1, Fn: builtinFilterMap, Doc: "(filter-map proc list ...): the true results of proc."},
	{Name: "pair-for-each", MinArgs: 2, MaxArgs: 2, Fn: builtinPairForEach, Doc: "(pair-for-each proc list): apply proc to each pair of list."},
	{Name: "filter", MinArgs: 2, MaxArgs: 2, Fn: builtinFilter, Doc: "(filter pred list): the elements satisfying pred, in order."},
	{Name: "filter!", MinArgs: 2, MaxArgs: 2, Fn: builtinFilter, Doc: "(filter! pred list): like filter."},
	{Name: "remove", MinArgs: 2, MaxArgs: 2, Fn: builtinRemove, Doc: "(remove pred list): the elements not satisfying pred, in order."},
	{Name: "remove!", MinArgs: 2, MaxArgs: 2, Fn: builtinRemove, Doc: "(remove! pred list): like remove."},
	{Name: "partition", MinArgs: 2, MaxArgs: 2, Fn: builtinPartition, Doc: "(partition pred list): two values, the elements satisfying pred and the others."},
	{Name: "partition!", MinArgs: 2, MaxArgs: 2, Fn: builtinPartition, Doc: "(partition! pred list): like partition."},
	{Name: "find", MinArgs: 2, MaxArgs: 2, Fn: builtinFind, Doc: "(find pred list): the first element satisfying pred, or #f."},
	{Name: "find-tail", MinArgs: 2, MaxArgs: 2, Fn: builtinFindTail, Doc: "(find-tail pred list): the first pair whose car satisfies pred, or #f."},
	{Name: "take-while", MinArgs: 2, MaxArgs: 2, Fn: builtinTakeWhile, Doc: "(take-while pred list): the longest prefix whose elements satisfy pred."},
	{Name: "take-while!", MinArgs: 2, MaxArgs: 2, Fn: builtinTakeWhile, Doc: "(take-while! pred list): like take-while."},
	{Name: "drop-while", MinArgs: 2, MaxArgs: 2, Fn: builtinDropWhile, Doc: "(drop-while pred list): the list after its longest prefix satisfying pred."},
	{Name: "span", MinArgs: 2, MaxArgs: 2, Fn: builtinSpan, Doc: "(span pred list): two values, (take-while pred list) and (drop-while pred list)."},
	{Name: "span!", MinArgs: 2, MaxArgs: 2, Fn: builtinSpan, Doc: "(span! pred list): like span."},
	{Name: "break", MinArgs: 2, MaxArgs: 2, Fn: builtinBreak, Doc: "(break pred list): two values, the prefix not satisfying pred and the rest."},
	{Name: "break!", MinArgs: 2, MaxArgs: 2, Fn: builtinBreak, Doc: "(break! pred list): like break."},
	{Name: "any", MinArgs: 2, MaxArgs: -1, Fn: builtinAny, Doc: "(any pred list ...): the first true value of pred over the lists, or #f."},
	{Name: "every", MinArgs: 2, MaxArgs: -1, Fn: builtinEvery, Doc: "(every pred list ...): #f if pred is false for some elements, else its last value (#t for empty lists)."},
	{Name: "count", MinArgs: 2, MaxArgs: -1, Fn: builtinCount, Doc: "(count pred list ...): how many times pred is true over the lists."},
	{Name: "list-index", MinArgs: 2, MaxArgs: -1, Fn: builtinListIndex, Doc: "(list-index pred list ...): the index of the first elements satisfying pred, or #f."},
	{Name: "delete", MinArgs: 2, MaxArgs: 3, Fn: builtinDelete, Doc: "(delete x list [=]): list without the elements equal to x (equal? or =)."},
	{Name: "delete!", MinArgs: 2, MaxArgs: 3, Fn: builtinDelete, Doc: "(delete! x list [=]): like delete."},
	{Name: "delete-duplicates", MinArgs: 1, MaxArgs: 2, Fn: builtinDeleteDuplicates, Doc: "(delete-duplicates list [=]): list with only the first of equal elements kept (equal? or =)."},
	{Name: "delete-duplicates!", MinArgs: 1, MaxArgs: 2, Fn: builtinDeleteDuplicates, Doc: "(delete-duplicates! list [=]): like delete-duplicates."},
	{Name: "alist-cons", MinArgs: 3, MaxArgs: 3, Fn: builtinAcons, Doc: "(alist-cons key value alist): (cons (cons key value) alist)."},
	{Name: "alist-copy", MinArgs: 1, MaxArgs: 1, Fn: builtinAlistCopy, Doc: "(alist-copy alist): a copy of alist with fresh pairs for the entries."},
	{Name: "alist-delete", MinArgs: 2, MaxArgs: 3, Fn: builtinAlistDelete, Doc: "(alist-delete key alist [=]): alist without the entries whose key equals key."},
	{Name: "alist-delete!", MinArgs: 2, MaxArgs: 3, Fn: builtinAlistDelete, Doc: "(alist-delete! key alist [=]): like alist-delete."},
	{Name: "lset-adjoin", MinArgs: 2, MaxArgs: -1, Fn: builtinLsetAdjoin, Doc: "(lset-adjoin = list elt ...): list with the elements not already in it added."},
	{Name: "lset-union", MinArgs: 1, MaxArgs: -1, Fn: builtinLsetUnion, Doc: "(lset-union = list ...): the union of the lists as sets."},
	{Name: "lset-intersection", MinArgs: 2, MaxArgs: -1, Fn: builtinLsetIntersection, Doc: "(lset-intersection = list1 list ...): the elements of list1 in every other list."},
	{Name: "lset-difference", MinArgs: 2, MaxArgs: -1, Fn: builtinLsetDifference, Doc: "(lset-difference = list1 list ...): the elements of list1 in no other list."},
	{Name: "lset<=", MinArgs: 1, MaxArgs: -1, Fn: builtinLsetLE, Doc: "(lset<= = list ...): whether each list is a subset of the next."},
	{Name: "lset=", MinArgs: 1, MaxArgs: -1, Fn: builtinLsetEq, Doc: "(lset= = list ...): whether the lists are equal as sets."},
}

func builtinXcons(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lang.Cons(args[1], args[0]), nil
}

func builtinConsStar(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return sliceToList(args[:len(args)-1], args[len(args)-1]), nil
}

func builtinListTabulate(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	n, err := argNonNeg("list-tabulate", args, 0)
	if err != nil {
		return nil, err
	}
	if _, err := argProc("list-tabulate", args, 1); err != nil {
		return nil, err
	}
	items := make([]lang.Value, n)
	for i := range items {
		if items[i], err = call(th, args[1], makeInt(i)); err != nil {
			return nil, err
		}
	}
	return sliceToList(items, lang.Nil), nil
}

func builtinIota(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	n, err := argNonNeg("iota", args, 0)
	if err != nil {
		return nil, err
	}
	var start, step lang.Value = makeInt(0), makeInt(1)
	if len(args) > 1 {
		if !lang.IsNumber(args[1]) {
			return nil, wrongType("iota", 1, "number", args[1])
		}
		start = args[1]
	}
	if len(args) > 2 {
		if !lang.IsNumber(args[2]) {
			return nil, wrongType("iota", 2, "number", args[2])
		}
		step = args[2]
	}
	items := make([]lang.Value, n)
	for i := range items {
		// start + i*step rather than repeated addition, so inexact
		// steps do not accumulate rounding errors.
		off, err := lang.Mul(makeInt(i), step)
		if err != nil {
			return nil, err
		}
		if items[i], err = lang.Add(start, off); err != nil {
			return nil, err
		}
	}
	return sliceToList(items, lang.Nil), nil
}

func nthBuiltin(name string, k int) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		l := args[0]
		for i := 0; ; i++ {
			p, ok := l.(*lang.Pair)
			if !ok {
				if isNull(l) {
					return nil, rangeErrorf(name, 0, "list of length %d has no element %d", i, k+1)
				}
				return nil, wrongType(name, 0, "list", args[0])
			}
			if i == k {
				return p.Car, nil
			}
			l = p.Cdr
		}
	}
}

func builtinCarCdr(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := argPair("car+cdr", args, 0)
	if err != nil {
		return nil, err
	}
	return eval.Values(p.Car, p.Cdr), nil
}

func lastPair(proc string, args []lang.Value) (*lang.Pair, error) {
	p, ok := args[0].(*lang.Pair)
	if !ok {
		return nil, wrongType(proc, 0, "non-empty list", args[0])
	}
	n := 0
	slow := p
	for {
		next, ok := p.Cdr.(*lang.Pair)
		if !ok {
			return p, nil
		}
		p = next
		n++
		if n&1 == 0 {
			slow = slow.Cdr.(*lang.Pair)
			if slow == p {
				return nil, rangeErrorf(proc, 0, "circular list")
			}
		}
	}
}

func builtinLast(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := lastPair("last", args)
	if err != nil {
		return nil, err
	}
	return p.Car, nil
}

func builtinLastPair(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if isNull(args[0]) {
		return lang.Nil, nil // Guile returns '() for '()
	}
	p, err := lastPair("last-pair", args)
	if err != nil {
		return nil, err
	}
	return p, nil
}

func builtinLengthPlus(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	switch n := listLength(args[0]); n {
	case -2:
		return lang.False, nil
	case -1:
		return nil, wrongType("length+", 0, "list", args[0])
	default:
		return makeInt(n), nil
	}
}

func builtinCircularListP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lang.MakeBool(listLength(args[0]) == -2), nil
}

func builtinDottedListP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lang.MakeBool(listLength(args[0]) == -1), nil
}

func builtinNullListP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	switch args[0].(type) {
	case *lang.Null:
		return lang.True, nil
	case *lang.Pair:
		return lang.False, nil
	}
	return nil, wrongType("null-list?", 0, "list", args[0])
}

func builtinNotPairP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	_, ok := args[0].(*lang.Pair)
	return lang.MakeBool(!ok), nil
}

// takeN copies the first k elements of args[0] for proc.
func takeN(proc string, args []lang.Value, k int) ([]lang.Value, lang.Value, error) {
	items := make([]lang.Value, 0, k)
	l := args[0]
	for i := 0; i < k; i++ {
		p, ok := l.(*lang.Pair)
		if !ok {
			if isNull(l) {
				return nil, nil, rangeErrorf(proc, 1, "index %d out of range for list of length %d", k, i)
			}
			return nil, nil, wrongType(proc, 0, "list", args[0])
		}
		items = append(items, p.Car)
		l = p.Cdr
	}
	return items, l, nil
}

func builtinTake(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	k, err := argNonNeg("take", args, 1)
	if err != nil {
		return nil, err
	}
	items, _, err := takeN("take", args, k)
	if err != nil {
		return nil, err
	}
	return sliceToList(items, lang.Nil), nil
}

func builtinDrop(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	k, err := argNonNeg("drop", args, 1)
	if err != nil {
		return nil, err
	}
	return listTail("drop", args, k)
}

func builtinSplitAt(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	k, err := argNonNeg("split-at", args, 1)
	if err != nil {
		return nil, err
	}
	items, rest, err := takeN("split-at", args, k)
	if err != nil {
		return nil, err
	}
	return eval.Values(sliceToList(items, lang.Nil), rest), nil
}

// countPairs counts the pairs of a (possibly dotted) finite list.
func countPairs(proc string, args []lang.Value, i int) (int, error) {
	n := listLength(args[i])
	if n == -2 {
		return 0, rangeErrorf(proc, i, "circular list")
	}
	if n == -1 {
		n = 0
		for l := args[i]; ; n++ {
			p, ok := l.(*lang.Pair)
			if !ok {
				break
			}
			l = p.Cdr
		}
	}
	return n, nil
}

func builtinTakeRight(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	k, err := argNonNeg("take-right", args, 1)
	if err != nil {
		return nil, err
	}
	n, err := countPairs("take-right", args, 0)
	if err != nil {
		return nil, err
	}
	if k > n {
		return nil, rangeErrorf("take-right", 1, "index %d out of range for list of length %d", k, n)
	}
	return listTail("take-right", args, n-k)
}

func builtinDropRight(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	k, err := argNonNeg("drop-right", args, 1)
	if err != nil {
		return nil, err
	}
	n, err := countPairs("drop-right", args, 0)
	if err != nil {
		return nil, err
	}
	if k > n {
		return nil, rangeErrorf("drop-right", 1, "index %d out of range for list of length %d", k, n)
	}
	items, _, err := takeN("drop-right", args, n-k)
	if err != nil {
		return nil, err
	}
	return sliceToList(items, lang.Nil), nil
}

func builtinConcatenate(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	lists, err := listToSlice("concatenate", args, 0)
	if err != nil {
		return nil, err
	}
	return builtinAppend(th, lists)
}

func builtinAppendReverse(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	items, err := listToSlice("append-reverse", args, 0)
	if err != nil {
		return nil, err
	}
	r := args[1]
	for _, v := range items {
		r = lang.Cons(v, r)
	}
	return r, nil
}

func builtinAppendBang(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	var result lang.Value = lang.Nil
	var last *lang.Pair
	for i, a := range args {
		if isNull(a) {
			continue
		}
		if last != nil {
			last.Cdr = a
		} else {
			result = a
		}
		if i == len(args)-1 {
			break
		}
		p, err := lastPair("append!", args[i:i+1])
		if err != nil {
			return nil, wrongType("append!", i, "proper list", a)
		}
		last = p
	}
	return result, nil
}

func builtinReverseBang(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if listLength(args[0]) < 0 {
		return nil, wrongType("reverse!", 0, "proper list", args[0])
	}
	var r lang.Value = lang.Nil
	if len(args) > 1 {
		r = args[1]
	}
	l := args[0]
	for {
		p, ok := l.(*lang.Pair)
		if !ok {
			return r, nil
		}
		next := p.Cdr
		p.Cdr = r
		r = p
		l = next
	}
}

// listsOf converts the list arguments args[from:] to slices and returns
// the length of the shortest.
func listsOf(proc string, args []lang.Value, from int) ([][]lang.Value, int, error) {
	lists := make([][]lang.Value, 0, len(args)-from)
	shortest := -1
	for i := from; i < len(args); i++ {
		items, err := listToSlice(proc, args, i)
		if err != nil {
			return nil, 0, err
		}
		lists = append(lists, items)
		if shortest < 0 || len(items) < shortest {
			shortest = len(items)
		}
	}
	return lists, shortest, nil
}

func builtinFold(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argProc("fold", args, 0); err != nil {
		return nil, err
	}
	acc := args[1]
	if len(args) == 3 {
		l := args[2]
		w := newWalker(l)
		for {
			p, ok := l.(*lang.Pair)
			if !ok {
				if isNull(l) {
					return acc, nil
				}
				return nil, wrongType("fold", 2, "proper list", args[2])
			}
			var err error
			if acc, err = call(th, args[0], p.Car, acc); err != nil {
				return nil, err
			}
			l = p.Cdr
			if w.circular(l) {
				return nil, rangeErrorf("fold", 2, "circular list")
			}
		}
	}
	lists, n, err := listsOf("fold", args, 2)
	if err != nil {
		return nil, err
	}
	for i := 0; i < n; i++ {
		callArgs := make([]lang.Value, 0, len(lists)+1)
		for _, l := range lists {
			callArgs = append(callArgs, l[i])
		}
		if acc, err = call(th, args[0], append(callArgs, acc)...); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

func builtinFoldLeft(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argProc("fold-left", args, 0); err != nil {
		return nil, err
	}
	lists, n, err := listsOf("fold-left", args, 2)
	if err != nil {
		return nil, err
	}
	acc := args[1]
	for i := 0; i < n; i++ {
		callArgs := make([]lang.Value, 0, len(lists)+1)
		callArgs = append(callArgs, acc)
		for _, l := range lists {
			callArgs = append(callArgs, l[i])
		}
		if acc, err = call(th, args[0], callArgs...); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

func builtinFoldRight(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argProc("fold-right", args, 0); err != nil {
		return nil, err
	}
	lists, n, err := listsOf("fold-right", args, 2)
	if err != nil {
		return nil, err
	}
	acc := args[1]
	for i := n - 1; i >= 0; i-- {
		callArgs := make([]lang.Value, 0, len(lists)+1)
		for _, l := range lists {
			callArgs = append(callArgs, l[i])
		}
		if acc, err = call(th, args[0], append(callArgs, acc)...); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

func builtinReduce(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argProc("reduce", args, 0); err != nil {
		return nil, err
	}
	items, err := listToSlice("reduce", args, 2)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return args[1], nil
	}
	acc := items[0]
	for _, v := range items[1:] {
		if acc, err = call(th, args[0], v, acc); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

func builtinReduceRight(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argProc("reduce-right", args, 0); err != nil {
		return nil, err
	}
	items, err := listToSlice("reduce-right", args, 2)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return args[1], nil
	}
	acc := items[len(items)-1]
	for i := len(items) - 2; i >= 0; i-- {
		if acc, err = call(th, args[0], items[i], acc); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

func builtinUnfold(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	for i := 0; i < 3; i++ {
		if _, err := argProc("unfold", args, i); err != nil {
			return nil, err
		}
	}
	var items []lang.Value
	seed := args[3]
	for {
		stop, err := call(th, args[0], seed)
		if err != nil {
			return nil, err
		}
		if lang.IsTrue(stop) {
			var tail lang.Value = lang.Nil
			if len(args) > 4 {
				if tail, err = call(th, args[4], seed); err != nil {
					return nil, err
				}
			}
			return sliceToList(items, tail), nil
		}
		v, err := call(th, args[1], seed)
		if err != nil {
			return nil, err
		}
		items = append(items, v)
		if seed, err = call(th, args[2], seed); err != nil {
			return nil, err
		}
	}
}

func builtinUnfoldRight(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	for i := 0; i < 3; i++ {
		if _, err := argProc("unfold-right", args, i); err != nil {
			return nil, err
		}
	}
	var result lang.Value = lang.Nil
	if len(args) > 4 {
		result = args[4]
	}
	seed := args[3]
	for {
		stop, err := call(th, args[0], seed)
		if err != nil {
			return nil, err
		}
		if lang.IsTrue(stop) {
			return result, nil
		}
		v, err := call(th, args[1], seed)
		if err != nil {
			return nil, err
		}
		result = lang.Cons(v, result)
		if seed, err = call(th, args[2], seed); err != nil {
			return nil, err
		}
	}
}

func builtinAppendMap(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	var results []lang.Value
	err := mapLists("append-map", args, func(elems []lang.Value) error {
		v, err := call(th, args[0], elems...)
		results = append(results, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	return builtinAppend(th, append(results, lang.Nil))
}

func builtinFilterMap(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	var results []lang.Value
	err := mapLists("filter-map", args, func(elems []lang.Value) error {
		v, err := call(th, args[0], elems...)
		if lang.IsTrue(v) && err == nil {
			results = append(results, v)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return sliceToList(results, lang.Nil), nil
}

func builtinPairForEach(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argProc("pair-for-each", args, 0); err != nil {
		return nil, err
	}
	if listLength(args[1]) == -2 {
		return nil, rangeErrorf("pair-for-each", 1, "circular list")
	}
	l := args[1]
	for {
		p, ok := l.(*lang.Pair)
		if !ok {
			return lang.Unspec, nil
		}
		next := p.Cdr // proc may change the cdr
		if _, err := call(th, args[0], p); err != nil {
			return nil, err
		}
		l = next
	}
}

// eachElement calls f on the elements of the proper list args[i]; f
// returns false to stop early.
func eachElement(proc string, args []lang.Value, i int, f func(p *lang.Pair) (bool, error)) error {
	l := args[i]
	w := newWalker(l)
	for {
		p, ok := l.(*lang.Pair)
		if !ok {
			if isNull(l) {
				return nil
			}
			return wrongType(proc, i, "proper list", args[i])
		}
		more, err := f(p)
		if err != nil || !more {
			return err
		}
		l = p.Cdr
		if w.circular(l) {
			return rangeErrorf(proc, i, "circular list")
		}
	}
}

func filterList(th *eval.Thread, proc string, args []lang.Value, keep bool) (lang.Value, error) {
	if _, err := argProc(proc, args, 0); err != nil {
		return nil, err
	}
	var out []lang.Value
	err := eachElement(proc, args, 1, func(p *lang.Pair) (bool, error) {
		v, err := call(th, args[0], p.Car)
		if err == nil && lang.IsTrue(v) == keep {
			out = append(out, p.Car)
		}
		return true, err
	})
	if err != nil {
		return nil, err
	}
	return sliceToList(out, lang.Nil), nil
}

func builtinFilter(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return filterList(th, "filter", args, true)
}

func builtinRemove(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return filterList(th, "remove", args, false)
}

func builtinPartition(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argProc("partition", args, 0); err != nil {
		return nil, err
	}
	var in, out []lang.Value
	err := eachElement("partition", args, 1, func(p *lang.Pair) (bool, error) {
		v, err := call(th, args[0], p.Car)
		if lang.IsTrue(v) {
			in = append(in, p.Car)
		} else {
			out = append(out, p.Car)
		}
		return true, err
	})
	if err != nil {
		return nil, err
	}
	return eval.Values(sliceToList(in, lang.Nil), sliceToList(out, lang.Nil)), nil
}

// findPair returns the first pair of list args[1] whose car satisfies
// pred args[0], or nil.
func findPair(th *eval.Thread, proc string, args []lang.Value) (*lang.Pair, error) {
	if _, err := argProc(proc, args, 0); err != nil {
		return nil, err
	}
	var found *lang.Pair
	err := eachElement(proc, args, 1, func(p *lang.Pair) (bool, error) {
		v, err := call(th, args[0], p.Car)
		if err == nil && lang.IsTrue(v) {
			found = p
			return false, nil
		}
		return true, err
	})
	return found, err
}

func builtinFind(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := findPair(th, "find", args)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return lang.False, nil
	}
	return p.Car, nil
}

func builtinFindTail(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := findPair(th, "find-tail", args)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return lang.False, nil
	}
	return p, nil
}

// splitWhile splits list args[1] before the first element for which pred
// args[0] is not want.
func splitWhile(th *eval.Thread, proc string, args []lang.Value, want bool) ([]lang.Value, lang.Value, error) {
	if _, err := argProc(proc, args, 0); err != nil {
		return nil, nil, err
	}
	var prefix []lang.Value
	var rest lang.Value = lang.Nil
	err := eachElement(proc, args, 1, func(p *lang.Pair) (bool, error) {
		v, err := call(th, args[0], p.Car)
		if err != nil {
			return false, err
		}
		if lang.IsTrue(v) != want {
			rest = p
			return false, nil
		}
		prefix = append(prefix, p.Car)
		return true, nil
	})
	return prefix, rest, err
}

func builtinTakeWhile(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	prefix, _, err := splitWhile(th, "take-while", args, true)
	if err != nil {
		return nil, err
	}
	return sliceToList(prefix, lang.Nil), nil
}

func builtinDropWhile(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	_, rest, err := splitWhile(th, "drop-while", args, true)
	return rest, err
}

func builtinSpan(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	prefix, rest, err := splitWhile(th, "span", args, true)
	if err != nil {
		return nil, err
	}
	return eval.Values(sliceToList(prefix, lang.Nil), rest), nil
}

func builtinBreak(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	prefix, rest, err := splitWhile(th, "break", args, false)
	if err != nil {
		return nil, err
	}
	return eval.Values(sliceToList(prefix, lang.Nil), rest), nil
}

// scanLists calls pred over the lists args[1:] element-wise until visit
// returns false.
func scanLists(th *eval.Thread, proc string, args []lang.Value, visit func(v lang.Value) bool) error {
	if _, err := argProc(proc, args, 0); err != nil {
		return err
	}
	stop := errStopScan
	err := mapLists(proc, args, func(elems []lang.Value) error {
		v, err := call(th, args[0], elems...)
		if err != nil {
			return err
		}
		if !visit(v) {
			return stop
		}
		return nil
	})
	if err == stop {
		return nil
	}
	return err
}

var errStopScan = &RangeError{Msg: "internal: scan stopped"}

func builtinAny(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	var result lang.Value = lang.False
	err := scanLists(th, "any", args, func(v lang.Value) bool {
		if lang.IsTrue(v) {
			result = v
			return false
		}
		return true
	})
	return result, err
}

func builtinEvery(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	var result lang.Value = lang.True
	err := scanLists(th, "every", args, func(v lang.Value) bool {
		result = v
		return lang.IsTrue(v)
	})
	return result, err
}

func builtinCount(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	n := 0
	err := scanLists(th, "count", args, func(v lang.Value) bool {
		if lang.IsTrue(v) {
			n++
		}
		return true
	})
	return makeInt(n), err
}

func builtinListIndex(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	i := 0
	found := false
	err := scanLists(th, "list-index", args, func(v lang.Value) bool {
		if lang.IsTrue(v) {
			found = true
			return false
		}
		i++
		return true
	})
	if err != nil || !found {
		return lang.False, err
	}
	return makeInt(i), nil
}

// equality returns the comparison given as optional argument i of proc,
// or equal?.
func equality(th *eval.Thread, proc string, args []lang.Value, i int) (func(a, b lang.Value) (bool, error), error) {
	if len(args) <= i {
		return equalPred, nil
	}
	if _, err := argProc(proc, args, i); err != nil {
		return nil, err
	}
	return callPred(th, args[i]), nil
}

func builtinDelete(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	eq, err := equality(th, "delete", args, 2)
	if err != nil {
		return nil, err
	}
	var out []lang.Value
	err = eachElement("delete", args, 1, func(p *lang.Pair) (bool, error) {
		same, err := eq(args[0], p.Car)
		if err == nil && !same {
			out = append(out, p.Car)
		}
		return true, err
	})
	if err != nil {
		return nil, err
	}
	return sliceToList(out, lang.Nil), nil
}

func builtinDeleteDuplicates(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	items, err := listToSlice("delete-duplicates", args, 0)
	if err != nil {
		return nil, err
	}
	var out []lang.Value
	if kind, ok := builtinEquivalence(th, args, 1); ok {
		// eq?, eqv? and equal? hash, so any length is linear.
		seen := newValueSet(kind)
		for _, v := range items {
			if seen.add(v) {
				out = append(out, v)
			}
		}
		return sliceToList(out, lang.Nil), nil
	}
	eq, err := equality(th, "delete-duplicates", args, 1)
	if err != nil {
		return nil, err
	}
next:
	for _, v := range items {
		for _, kept := range out {
			same, err := eq(kept, v)
			if err != nil {
				return nil, err
			}
			if same {
				continue next
			}
		}
		out = append(out, v)
	}
	return sliceToList(out, lang.Nil), nil
}

func builtinAlistCopy(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	items, err := listToSlice("alist-copy", args, 0)
	if err != nil {
		return nil, err
	}
	for i, e := range items {
		if p, ok := e.(*lang.Pair); ok {
			items[i] = lang.Cons(p.Car, p.Cdr)
		}
	}
	return sliceToList(items, lang.Nil), nil
}

func builtinAlistDelete(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	eq, err := equality(th, "alist-delete", args, 2)
	if err != nil {
		return nil, err
	}
	var out []lang.Value
	err = eachElement("alist-delete", args, 1, func(p *lang.Pair) (bool, error) {
		entry, ok := p.Car.(*lang.Pair)
		if !ok {
			return false, wrongType("alist-delete", 1, "association list", args[1])
		}
		same, err := eq(args[0], entry.Car)
		if err == nil && !same {
			out = append(out, entry)
		}
		return true, err
	})
	if err != nil {
		return nil, err
	}
	return sliceToList(out, lang.Nil), nil
}

// member reports whether x is in items by eq (called as (= elem x)
// as SRFI-1 specifies for lset operations).
func memberBy(eq func(a, b lang.Value) (bool, error), items []lang.Value, x lang.Value) (bool, error) {
	for _, v := range items {
		same, err := eq(v, x)
		if err != nil || same {
			return same, err
		}
	}
	return false, nil
}

func lsetEq(th *eval.Thread, proc string, args []lang.Value) (func(a, b lang.Value) (bool, error), error) {
	if _, err := argProc(proc, args, 0); err != nil {
		return nil, err
	}
	return callPred(th, args[0]), nil
}

func builtinLsetAdjoin(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	eq, err := lsetEq(th, "lset-adjoin", args)
	if err != nil {
		return nil, err
	}
	items, err := listToSlice("lset-adjoin", args, 1)
	if err != nil {
		return nil, err
	}
	result := args[1]
	for _, x := range args[2:] {
		in, err := memberBy(eq, items, x)
		if err != nil {
			return nil, err
		}
		if !in {
			items = append(items, x)
			result = lang.Cons(x, result)
		}
	}
	return result, nil
}

func builtinLsetUnion(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	eq, err := lsetEq(th, "lset-union", args)
	if err != nil {
		return nil, err
	}
	if len(args) == 1 {
		return lang.Nil, nil
	}
	lists, _, err := listsOf("lset-union", args, 1)
	if err != nil {
		return nil, err
	}
	items := lists[0]
	result := args[1]
	for _, l := range lists[1:] {
		for _, x := range l {
			in, err := memberBy(eq, items, x)
			if err != nil {
				return nil, err
			}
			if !in {
				items = append(items, x)
				result = lang.Cons(x, result)
			}
		}
	}
	return result, nil
}

func lsetFilter(th *eval.Thread, proc string, args []lang.Value, wantIn bool) (lang.Value, error) {
	eq, err := lsetEq(th, proc, args)
	if err != nil {
		return nil, err
	}
	lists, _, err := listsOf(proc, args, 1)
	if err != nil {
		return nil, err
	}
	var out []lang.Value
next:
	for _, x := range lists[0] {
		for _, l := range lists[1:] {
			in, err := memberBy(eq, l, x)
			if err != nil {
				return nil, err
			}
			if in != wantIn {
				continue next
			}
		}
		out = append(out, x)
	}
	return sliceToList(out, lang.Nil), nil
}

func builtinLsetIntersection(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lsetFilter(th, "lset-intersection", args, true)
}

func builtinLsetDifference(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lsetFilter(th, "lset-difference", args, false)
}

func subset(eq func(a, b lang.Value) (bool, error), a, b []lang.Value) (bool, error) {
	for _, x := range a {
		in, err := memberBy(eq, b, x)
		if err != nil || !in {
			return false, err
		}
	}
	return true, nil
}

func builtinLsetLE(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	eq, err := lsetEq(th, "lset<=", args)
	if err != nil {
		return nil, err
	}
	lists, _, err := listsOf("lset<=", args, 1)
	if err != nil {
		return nil, err
	}
	for i := 0; i+1 < len(lists); i++ {
		ok, err := subset(eq, lists[i], lists[i+1])
		if err != nil || !ok {
			return lang.False, err
		}
	}
	return lang.True, nil
}

func builtinLsetEq(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	eq, err := lsetEq(th, "lset=", args)
	if err != nil {
		return nil, err
	}
	lists, _, err := listsOf("lset=", args, 1)
	if err != nil {
		return nil, err
	}
	for i := 0; i+1 < len(lists); i++ {
		ok, err := subset(eq, lists[i], lists[i+1])
		if err == nil && ok {
			ok, err = subset(eq, lists[i+1], lists[i])
		}
		if err != nil || !ok {
			return lang.False, err
		}
	}
	return lang.True, nil
}
