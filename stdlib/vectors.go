package stdlib

import (
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// Vectors: R7RS (scheme base), with SRFI-133's
// vector-binary-search, vector-count, vector-index and Guile's
// vector-grow and vector-move-left!/right!.
var vectorBuiltins = []*eval.Builtin{
	{Name: "vector?", MinArgs: 1, MaxArgs: 1, Fn: builtinVectorP, Doc: "(vector? v): whether v is a vector."},
	{Name: "make-vector", MinArgs: 1, MaxArgs: 2, Fn: builtinMakeVector, Doc: "(make-vector k [fill]): a new vector of k elements, each fill."},
	{Name: "vector", MinArgs: 0, MaxArgs: -1, Fn: builtinVector, Doc: "(vector v ...): a new vector of the arguments."},
	{Name: "vector-length", MinArgs: 1, MaxArgs: 1, Fn: builtinVectorLength, Doc: "(vector-length vector): the number of elements."},
	{Name: "vector-ref", MinArgs: 2, MaxArgs: 2, Fn: builtinVectorRef, Doc: "(vector-ref vector k): element k (from 0)."},
	{Name: "vector-set!", MinArgs: 3, MaxArgs: 3, Fn: builtinVectorSet, Doc: "(vector-set! vector k v): store v as element k."},
	{Name: "vector->list", MinArgs: 1, MaxArgs: 3, Fn: builtinVectorToList, Doc: "(vector->list vector [start end]): the elements as a list."},
	{Name: "list->vector", MinArgs: 1, MaxArgs: 1, Fn: builtinListToVector, Doc: "(list->vector list): a new vector of the elements of list."},
	{Name: "vector->string", MinArgs: 1, MaxArgs: 3, Fn: builtinVectorToString, Doc: "(vector->string vector [start end]): a string of the characters of vector."},
	{Name: "string->vector", MinArgs: 1, MaxArgs: 3, Fn: builtinStringToVector, Doc: "(string->vector string [start end]): a vector of the characters of string."},
	{Name: "vector-copy", MinArgs: 1, MaxArgs: 3, Fn: builtinVectorCopy, Doc: "(vector-copy vector [start end]): a new vector of the elements."},
	{Name: "vector-copy!", MinArgs: 3, MaxArgs: 5, Fn: builtinVectorCopyBang, Doc: "(vector-copy! to at from [start end]): copy elements of from into to at index at."},
	{Name: "vector-append", MinArgs: 0, MaxArgs: -1, Fn: builtinVectorAppend, Doc: "(vector-append vector ...): a new vector of the elements of the vectors."},
	{Name: "vector-fill!", MinArgs: 2, MaxArgs: 4, Fn: builtinVectorFill, Doc: "(vector-fill! vector v [start end]): store v in every position of the range."},
	{Name: "vector-map", MinArgs: 2, MaxArgs: -1, Fn: builtinVectorMap, Doc: "(vector-map proc vector ...): a vector of proc applied to the elements, stopping at the shortest."},
	{Name: "vector-for-each", MinArgs: 2, MaxArgs: -1, Fn: builtinVectorForEach, Doc: "(vector-for-each proc vector ...): apply proc to the elements in turn."},
	{Name: "vector-grow", MinArgs: 2, MaxArgs: 2, Fn: builtinVectorGrow, Doc: "(vector-grow vector k): a new vector of length k starting with the elements of vector."},
	{Name: "vector-binary-search", MinArgs: 3, MaxArgs: 5, Fn: builtinVectorBinarySearch, Doc: "(vector-binary-search vector value cmp [start end]): the index of an element for which (cmp element value) is 0, or #f; cmp returns a negative, zero or positive integer."},
	{Name: "vector-count", MinArgs: 2, MaxArgs: -1, Fn: builtinVectorCount, Doc: "(vector-count pred vector ...): how many times pred is true over the elements."},
	{Name: "vector-index", MinArgs: 2, MaxArgs: -1, Fn: builtinVectorIndex, Doc: "(vector-index pred vector ...): the first index where pred is true, or #f."},
	{Name: "vector-move-left!", MinArgs: 5, MaxArgs: 5, Fn: vectorMove("vector-move-left!"), Doc: "(vector-move-left! v1 start1 end1 v2 start2): copy v1[start1..end1) into v2 at start2."},
	{Name: "vector-move-right!", MinArgs: 5, MaxArgs: 5, Fn: vectorMove("vector-move-right!"), Doc: "(vector-move-right! v1 start1 end1 v2 start2): copy v1[start1..end1) into v2 at start2."},
}

func builtinVectorP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	_, ok := args[0].(*lang.Vector)
	return lang.MakeBool(ok), nil
}

func builtinMakeVector(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	n, err := argNonNeg("make-vector", args, 0)
	if err != nil {
		return nil, err
	}
	var fill lang.Value = lang.False
	if len(args) > 1 {
		fill = args[1]
	}
	items := make([]lang.Value, n)
	for i := range items {
		items[i] = fill
	}
	return &lang.Vector{Items: items}, nil
}

func builtinVector(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return &lang.Vector{Items: append([]lang.Value(nil), args...)}, nil
}

func builtinVectorLength(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	v, err := argVector("vector-length", args, 0)
	if err != nil {
		return nil, err
	}
	return makeInt(len(v.Items)), nil
}

func builtinVectorRef(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	v, err := argVector("vector-ref", args, 0)
	if err != nil {
		return nil, err
	}
	if k, ok := args[1].(lang.Fixnum); ok && k >= 0 && int64(k) < int64(len(v.Items)) {
		return v.Items[k], nil
	}
	k, err := argIndex("vector-ref", args, 1, len(v.Items), "vector")
	if err != nil {
		return nil, err
	}
	return v.Items[k], nil
}

func builtinVectorSet(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	v, err := argVector("vector-set!", args, 0)
	if err != nil {
		return nil, err
	}
	k, err := argIndex("vector-set!", args, 1, len(v.Items), "vector")
	if err != nil {
		return nil, err
	}
	v.Items[k] = args[2]
	return lang.Unspec, nil
}

func vectorRange(proc string, args []lang.Value) ([]lang.Value, error) {
	v, err := argVector(proc, args, 0)
	if err != nil {
		return nil, err
	}
	start, end, err := argRange(proc, args, 1, len(v.Items), "vector")
	if err != nil {
		return nil, err
	}
	return v.Items[start:end], nil
}

func builtinVectorToList(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	items, err := vectorRange("vector->list", args)
	if err != nil {
		return nil, err
	}
	return sliceToList(items, lang.Nil), nil
}

func builtinListToVector(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	items, err := listToSlice("list->vector", args, 0)
	if err != nil {
		return nil, err
	}
	return &lang.Vector{Items: items}, nil
}

func builtinVectorToString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	items, err := vectorRange("vector->string", args)
	if err != nil {
		return nil, err
	}
	return charsToString("vector->string", "vector of characters", items)
}

func builtinStringToVector(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string->vector", args, 0)
	if err != nil {
		return nil, err
	}
	start, end, err := argRange("string->vector", args, 1, s.Len(), "string")
	if err != nil {
		return nil, err
	}
	items := make([]lang.Value, 0, end-start)
	for _, c := range s.Runes()[start:end] {
		items = append(items, lang.Char(c))
	}
	return &lang.Vector{Items: items}, nil
}

func builtinVectorCopy(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	items, err := vectorRange("vector-copy", args)
	if err != nil {
		return nil, err
	}
	return &lang.Vector{Items: append([]lang.Value(nil), items...)}, nil
}

func builtinVectorCopyBang(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	to, err := argVector("vector-copy!", args, 0)
	if err != nil {
		return nil, err
	}
	at, err := argInt("vector-copy!", args, 1)
	if err != nil {
		return nil, err
	}
	if at < 0 || at > len(to.Items) {
		return nil, rangeErrorf("vector-copy!", 1, "index %d out of range for vector of length %d", at, len(to.Items))
	}
	items, err := vectorRange("vector-copy!", args[2:])
	if err != nil {
		return nil, shiftArg(err, 2)
	}
	if at+len(items) > len(to.Items) {
		return nil, rangeErrorf("vector-copy!", 2, "%d elements do not fit at index %d of a vector of length %d", len(items), at, len(to.Items))
	}
	copy(to.Items[at:], items) // copy handles overlap
	return lang.Unspec, nil
}

// shiftArg renumbers the argument of an error from a helper that was
// given a suffix of the arguments.
func shiftArg(err error, by int) error {
	switch e := err.(type) {
	case *eval.TypeError:
		c := *e
		c.Arg += by
		return &c
	case *RangeError:
		c := *e
		c.Arg += by
		return &c
	}
	return err
}

func builtinVectorAppend(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	var items []lang.Value
	for i := range args {
		v, err := argVector("vector-append", args, i)
		if err != nil {
			return nil, err
		}
		items = append(items, v.Items...)
	}
	return &lang.Vector{Items: items}, nil
}

func builtinVectorFill(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	v, err := argVector("vector-fill!", args, 0)
	if err != nil {
		return nil, err
	}
	start, end, err := argRange("vector-fill!", args, 2, len(v.Items), "vector")
	if err != nil {
		return nil, err
	}
	for i := start; i < end; i++ {
		v.Items[i] = args[1]
	}
	return lang.Unspec, nil
}

// vectorsOf checks the vector arguments args[1:] and returns the length
// of the shortest.
func vectorsOf(proc string, args []lang.Value) ([]*lang.Vector, int, error) {
	if _, err := argProc(proc, args, 0); err != nil {
		return nil, 0, err
	}
	vs := make([]*lang.Vector, 0, len(args)-1)
	n := -1
	for i := 1; i < len(args); i++ {
		v, err := argVector(proc, args, i)
		if err != nil {
			return nil, 0, err
		}
		vs = append(vs, v)
		if n < 0 || len(v.Items) < n {
			n = len(v.Items)
		}
	}
	return vs, n, nil
}

// callAt calls proc on element i of each vector; vectors may have been
// shortened by proc, which is then an error rather than a Go panic.
func callAt(th *eval.Thread, proc string, args []lang.Value, vs []*lang.Vector, i int) (lang.Value, error) {
	callArgs := make([]lang.Value, len(vs))
	for j, v := range vs {
		if i >= len(v.Items) {
			return nil, procErrorf(proc, "vector changed length during iteration")
		}
		callArgs[j] = v.Items[i]
	}
	return call(th, args[0], callArgs...)
}

func builtinVectorMap(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	vs, n, err := vectorsOf("vector-map", args)
	if err != nil {
		return nil, err
	}
	out := make([]lang.Value, n)
	for i := range out {
		if out[i], err = callAt(th, "vector-map", args, vs, i); err != nil {
			return nil, err
		}
	}
	return &lang.Vector{Items: out}, nil
}

func builtinVectorForEach(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	vs, n, err := vectorsOf("vector-for-each", args)
	if err != nil {
		return nil, err
	}
	for i := 0; i < n; i++ {
		if _, err := callAt(th, "vector-for-each", args, vs, i); err != nil {
			return nil, err
		}
	}
	return lang.Unspec, nil
}

func builtinVectorCount(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	vs, n, err := vectorsOf("vector-count", args)
	if err != nil {
		return nil, err
	}
	count := 0
	for i := 0; i < n; i++ {
		v, err := callAt(th, "vector-count", args, vs, i)
		if err != nil {
			return nil, err
		}
		if lang.IsTrue(v) {
			count++
		}
	}
	return makeInt(count), nil
}

func builtinVectorIndex(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	vs, n, err := vectorsOf("vector-index", args)
	if err != nil {
		return nil, err
	}
	for i := 0; i < n; i++ {
		v, err := callAt(th, "vector-index", args, vs, i)
		if err != nil {
			return nil, err
		}
		if lang.IsTrue(v) {
			return makeInt(i), nil
		}
	}
	return lang.False, nil
}

func builtinVectorGrow(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	v, err := argVector("vector-grow", args, 0)
	if err != nil {
		return nil, err
	}
	n, err := argNonNeg("vector-grow", args, 1)
	if err != nil {
		return nil, err
	}
	if n < len(v.Items) {
		return nil, rangeErrorf("vector-grow", 1, "new length %d is shorter than the vector's %d", n, len(v.Items))
	}
	items := make([]lang.Value, n)
	copy(items, v.Items)
	for i := len(v.Items); i < n; i++ {
		items[i] = lang.False
	}
	return &lang.Vector{Items: items}, nil
}

func builtinVectorBinarySearch(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	v, err := argVector("vector-binary-search", args, 0)
	if err != nil {
		return nil, err
	}
	if _, err := argProc("vector-binary-search", args, 2); err != nil {
		return nil, err
	}
	lo, hi, err := argRange("vector-binary-search", args, 3, len(v.Items), "vector")
	if err != nil {
		return nil, err
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		r, err := call(th, args[2], v.Items[mid], args[1])
		if err != nil {
			return nil, err
		}
		c, ok := r.(lang.Fixnum)
		if !ok {
			return nil, procErrorf("vector-binary-search", "comparison returned %s, want exact integer", lang.TypeName(r))
		}
		switch {
		case c == 0:
			return makeInt(mid), nil
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return lang.False, nil
}

func vectorMove(name string) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		from, err := argVector(name, args, 0)
		if err != nil {
			return nil, err
		}
		start, end, err := argRange(name, args, 1, len(from.Items), "vector")
		if err != nil {
			return nil, err
		}
		to, err := argVector(name, args, 3)
		if err != nil {
			return nil, err
		}
		at, err := argInt(name, args, 4)
		if err != nil {
			return nil, err
		}
		if at < 0 || at+end-start > len(to.Items) {
			return nil, rangeErrorf(name, 4, "%d elements do not fit at index %d of a vector of length %d", end-start, at, len(to.Items))
		}
		copy(to.Items[at:], from.Items[start:end])
		return lang.Unspec, nil
	}
}
