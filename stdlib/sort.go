package stdlib

import (
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// Sorting, as Guile has it: (sort sequence less?) on lists and vectors,
// always stable (a merge sort), and SRFI-132's (list-sort less? list)
// argument order.
var sortBuiltins = []*eval.Builtin{
	{Name: "sort", MinArgs: 2, MaxArgs: 2, Fn: sorter("sort", false, false), Doc: "(sort sequence less?): a new list or vector of the elements in order; stable."},
	{Name: "sort!", MinArgs: 2, MaxArgs: 2, Fn: sorter("sort!", false, true), Doc: "(sort! sequence less?): sort in place (a vector) or reusing the pairs (a list); returns the sorted sequence."},
	{Name: "stable-sort", MinArgs: 2, MaxArgs: 2, Fn: sorter("stable-sort", false, false), Doc: "(stable-sort sequence less?): like sort."},
	{Name: "stable-sort!", MinArgs: 2, MaxArgs: 2, Fn: sorter("stable-sort!", false, true), Doc: "(stable-sort! sequence less?): like sort!."},
	{Name: "list-sort", MinArgs: 2, MaxArgs: 2, Fn: sorter("list-sort", true, false), Doc: "(list-sort less? list): a new sorted list; stable."},
	{Name: "vector-sort", MinArgs: 2, MaxArgs: 2, Fn: sorter("vector-sort", true, false), Doc: "(vector-sort less? vector): a new sorted vector; stable."},
	{Name: "vector-sort!", MinArgs: 2, MaxArgs: 2, Fn: sorter("vector-sort!", true, true), Doc: "(vector-sort! less? vector): sort vector in place."},
	{Name: "sorted?", MinArgs: 2, MaxArgs: 2, Fn: builtinSortedP, Doc: "(sorted? sequence less?): whether the list or vector is in order."},
	{Name: "merge", MinArgs: 3, MaxArgs: 3, Fn: merger("merge"), Doc: "(merge list1 list2 less?): the sorted lists merged into one sorted list; stable (list1 first on ties)."},
	{Name: "merge!", MinArgs: 3, MaxArgs: 3, Fn: merger("merge!"), Doc: "(merge! list1 list2 less?): like merge."},
}

// lessFn calls the Scheme comparison less. A builtin comparison (<,
// string<?, char<? ...) is called directly, without the evaluator's call
// machinery, and < and > on fixnums are compared inline: sorting numbers
// and strings is the common case.
func lessFn(th *eval.Thread, less lang.Value) func(a, b lang.Value) (bool, error) {
	if b, ok := less.(*eval.Builtin); ok && ownBuiltins[b] && b.MinArgs <= 2 && (b.MaxArgs < 0 || b.MaxArgs >= 2) {
		var args [2]lang.Value
		fixnumLess := b.Name == "<"
		fixnumGreater := b.Name == ">"
		return func(x, y lang.Value) (bool, error) {
			if fixnumLess || fixnumGreater {
				if i, ok := x.(lang.Fixnum); ok {
					if j, ok := y.(lang.Fixnum); ok {
						return fixnumLess && i < j || fixnumGreater && i > j, nil
					}
				}
			}
			args[0], args[1] = x, y
			v, err := b.Fn(th, args[:])
			return lang.IsTrue(v), err
		}
	}
	return func(a, b lang.Value) (bool, error) {
		v, err := call(th, less, a, b)
		return lang.IsTrue(v), err
	}
}

// mergeSort sorts items stably by less, using tmp as scratch space.
func mergeSort(items, tmp []lang.Value, less func(a, b lang.Value) (bool, error)) error {
	n := len(items)
	if n < 2 {
		return nil
	}
	if n <= 8 {
		// Insertion sort: stable, and fewer calls for short runs.
		for i := 1; i < n; i++ {
			for j := i; j > 0; j-- {
				lt, err := less(items[j], items[j-1])
				if err != nil {
					return err
				}
				if !lt {
					break
				}
				items[j], items[j-1] = items[j-1], items[j]
			}
		}
		return nil
	}
	mid := n / 2
	if err := mergeSort(items[:mid], tmp[:mid], less); err != nil {
		return err
	}
	if err := mergeSort(items[mid:], tmp[mid:], less); err != nil {
		return err
	}
	// Already in order: skip the merge.
	lt, err := less(items[mid], items[mid-1])
	if err != nil || !lt {
		return err
	}
	copy(tmp, items)
	merged, err := mergeInto(items[:0], tmp[:mid], tmp[mid:n], less)
	_ = merged
	return err
}

// mergeInto appends the merge of a and b to dst; on ties a comes first.
func mergeInto(dst, a, b []lang.Value, less func(a, b lang.Value) (bool, error)) ([]lang.Value, error) {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		lt, err := less(b[j], a[i])
		if err != nil {
			return nil, err
		}
		if lt {
			dst = append(dst, b[j])
			j++
		} else {
			dst = append(dst, a[i])
			i++
		}
	}
	dst = append(dst, a[i:]...)
	return append(dst, b[j:]...), nil
}

func sorter(name string, lessFirst, inPlace bool) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	seqArg, lessArg := 0, 1
	if lessFirst {
		seqArg, lessArg = 1, 0
	}
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		if _, err := argProc(name, args, lessArg); err != nil {
			return nil, err
		}
		less := lessFn(th, args[lessArg])
		switch seq := args[seqArg].(type) {
		case *lang.Vector:
			items := seq.Items
			if !inPlace {
				items = append([]lang.Value(nil), items...)
			}
			if err := mergeSort(items, make([]lang.Value, len(items)), less); err != nil {
				return nil, err
			}
			if inPlace {
				return seq, nil
			}
			return &lang.Vector{Items: items}, nil
		case *lang.Pair, *lang.Null:
			items, err := listToSlice(name, args, seqArg)
			if err != nil {
				return nil, err
			}
			if err := mergeSort(items, make([]lang.Value, len(items)), less); err != nil {
				return nil, err
			}
			if inPlace {
				// Reuse the pairs, as sort! may.
				l := args[seqArg]
				for _, v := range items {
					p := l.(*lang.Pair)
					p.Car = v
					l = p.Cdr
				}
				return args[seqArg], nil
			}
			return sliceToList(items, lang.Nil), nil
		}
		return nil, wrongType(name, seqArg, "list or vector", args[seqArg])
	}
}

func builtinSortedP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argProc("sorted?", args, 1); err != nil {
		return nil, err
	}
	var items []lang.Value
	switch seq := args[0].(type) {
	case *lang.Vector:
		items = seq.Items
	default:
		var err error
		if items, err = listToSlice("sorted?", args, 0); err != nil {
			return nil, wrongType("sorted?", 0, "list or vector", args[0])
		}
	}
	less := lessFn(th, args[1])
	for i := 1; i < len(items); i++ {
		lt, err := less(items[i], items[i-1])
		if err != nil {
			return nil, err
		}
		if lt {
			return lang.False, nil
		}
	}
	return lang.True, nil
}

func merger(name string) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		a, err := listToSlice(name, args, 0)
		if err != nil {
			return nil, err
		}
		b, err := listToSlice(name, args, 1)
		if err != nil {
			return nil, err
		}
		if _, err := argProc(name, args, 2); err != nil {
			return nil, err
		}
		merged, err := mergeInto(make([]lang.Value, 0, len(a)+len(b)), a, b, lessFn(th, args[2]))
		if err != nil {
			return nil, err
		}
		return sliceToList(merged, lang.Nil), nil
	}
}
