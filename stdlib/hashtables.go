package stdlib

import (
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// Hash tables: SRFI-69 in (srfi srfi-69) and Guile's own procedures in
// (guile). One make-hash-table serves both: an integer first argument is
// Guile's size hint, a procedure is SRFI-69's equivalence.
var hashTableBuiltins = []*eval.Builtin{
	{Name: "make-hash-table", MinArgs: 0, MaxArgs: -1, Fn: builtinMakeHashTable, Doc: "(make-hash-table [equivalence [hash]] | [size]): a new hash table; SRFI-69's form takes an equivalence (default equal?) and hash function, Guile's a size hint."},
	{Name: "make-strong-eqv-hash-table", MinArgs: 0, MaxArgs: 1, Fn: tableMaker(equivEqv), Doc: "(make-strong-eqv-hash-table [size]): a new eqv? hash table."},
	{Name: "make-weak-key-hash-table", MinArgs: 0, MaxArgs: 1, Fn: weakTableMaker, Doc: "(make-weak-key-hash-table [size]): a new hash table; Fruix holds its keys strongly."},
	{Name: "make-weak-value-hash-table", MinArgs: 0, MaxArgs: 1, Fn: weakTableMaker, Doc: "(make-weak-value-hash-table [size]): a new hash table; Fruix holds its values strongly."},
	{Name: "make-doubly-weak-hash-table", MinArgs: 0, MaxArgs: 1, Fn: weakTableMaker, Doc: "(make-doubly-weak-hash-table [size]): a new hash table; Fruix holds its entries strongly."},
	{Name: "hash-table?", MinArgs: 1, MaxArgs: 1, Fn: builtinHashTableP, Doc: "(hash-table? v): whether v is a hash table."},

	{Name: "hash-table-ref", MinArgs: 2, MaxArgs: 4, Fn: builtinHashTableRef, Doc: "(hash-table-ref table key [failure [success]]): the value for key; (failure) when missing, else an error."},
	{Name: "hash-table-ref/default", MinArgs: 3, MaxArgs: 3, Fn: builtinHashTableRefDefault, Doc: "(hash-table-ref/default table key default): the value for key, or default."},
	{Name: "hash-table-set!", MinArgs: 3, MaxArgs: 3, Fn: builtinHashTableSet, Doc: "(hash-table-set! table key value): store value under key."},
	{Name: "hash-table-delete!", MinArgs: 2, MaxArgs: 2, Fn: builtinHashTableDelete, Doc: "(hash-table-delete! table key): remove key."},
	{Name: "hash-table-exists?", MinArgs: 2, MaxArgs: 2, Fn: builtinHashTableContains, Doc: "(hash-table-exists? table key): whether key is in table."},
	{Name: "hash-table-contains?", MinArgs: 2, MaxArgs: 2, Fn: builtinHashTableContains, Doc: "(hash-table-contains? table key): whether key is in table."},
	{Name: "hash-table-update!", MinArgs: 3, MaxArgs: 4, Fn: builtinHashTableUpdate, Doc: "(hash-table-update! table key proc [failure]): store (proc value) under key; value is (failure) when missing."},
	{Name: "hash-table-update!/default", MinArgs: 4, MaxArgs: 4, Fn: builtinHashTableUpdateDefault, Doc: "(hash-table-update!/default table key proc default): store (proc value) under key, value being default when missing."},
	{Name: "hash-table-size", MinArgs: 1, MaxArgs: 1, Fn: builtinHashTableSize, Doc: "(hash-table-size table): the number of entries."},
	{Name: "hash-table-count", MinArgs: 1, MaxArgs: 1, Fn: builtinHashTableSize, Doc: "(hash-table-count table): the number of entries."},
	{Name: "hash-table-keys", MinArgs: 1, MaxArgs: 1, Fn: builtinHashTableKeys, Doc: "(hash-table-keys table): the keys, in insertion order."},
	{Name: "hash-table-values", MinArgs: 1, MaxArgs: 1, Fn: builtinHashTableValues, Doc: "(hash-table-values table): the values, in insertion order of their keys."},
	{Name: "hash-table-walk", MinArgs: 2, MaxArgs: 2, Fn: builtinHashTableWalk, Doc: "(hash-table-walk table proc): call (proc key value) for each entry."},
	{Name: "hash-table-fold", MinArgs: 3, MaxArgs: 3, Fn: builtinHashTableFold, Doc: "(hash-table-fold table kons knil): fold (kons key value acc) over the entries."},
	{Name: "hash-table->alist", MinArgs: 1, MaxArgs: 1, Fn: builtinHashTableToAlist, Doc: "(hash-table->alist table): the entries as an association list, in insertion order."},
	{Name: "alist->hash-table", MinArgs: 1, MaxArgs: 3, Fn: builtinAlistToHashTable, Doc: "(alist->hash-table alist [equivalence [hash]]): a new table of the entries; the first of duplicate keys wins."},
	{Name: "hash-table-copy", MinArgs: 1, MaxArgs: 2, Fn: builtinHashTableCopy, Doc: "(hash-table-copy table [mutable?]): a copy of table."},
	{Name: "hash-table-clear!", MinArgs: 1, MaxArgs: 1, Fn: builtinHashClear, Doc: "(hash-table-clear! table): remove every entry."},
	{Name: "hash-table-merge!", MinArgs: 2, MaxArgs: 2, Fn: builtinHashTableMerge, Doc: "(hash-table-merge! table1 table2): add the entries of table2 to table1; returns table1."},
	{Name: "hash-table-equivalence-function", MinArgs: 1, MaxArgs: 1, Fn: builtinHashTableEquivalence, Doc: "(hash-table-equivalence-function table): the table's equivalence procedure."},
	{Name: "hash-table-hash-function", MinArgs: 1, MaxArgs: 1, Fn: builtinHashTableHashFunction, Doc: "(hash-table-hash-function table): the table's hash procedure."},
	hashBuiltin,
	stringHashBuiltin,
	{Name: "string-ci-hash", MinArgs: 1, MaxArgs: 2, Fn: builtinStringCIHash, Doc: "(string-ci-hash string [bound]): a hash code consistent with string-ci=?."},
	hashByIdentityBuiltin,

	{Name: "hash-ref", MinArgs: 2, MaxArgs: 3, Fn: guileRef("hash-ref", equivEqual), Doc: "(hash-ref table key [default]): the value for key (by equal?), or default (#f)."},
	{Name: "hashq-ref", MinArgs: 2, MaxArgs: 3, Fn: guileRef("hashq-ref", equivEq), Doc: "(hashq-ref table key [default]): the value for key (by eq?), or default (#f)."},
	{Name: "hashv-ref", MinArgs: 2, MaxArgs: 3, Fn: guileRef("hashv-ref", equivEqv), Doc: "(hashv-ref table key [default]): the value for key (by eqv?), or default (#f)."},
	{Name: "hash-set!", MinArgs: 3, MaxArgs: 3, Fn: guileSet("hash-set!", equivEqual), Doc: "(hash-set! table key value): store value under key (by equal?)."},
	{Name: "hashq-set!", MinArgs: 3, MaxArgs: 3, Fn: guileSet("hashq-set!", equivEq), Doc: "(hashq-set! table key value): store value under key (by eq?)."},
	{Name: "hashv-set!", MinArgs: 3, MaxArgs: 3, Fn: guileSet("hashv-set!", equivEqv), Doc: "(hashv-set! table key value): store value under key (by eqv?)."},
	{Name: "hash-remove!", MinArgs: 2, MaxArgs: 2, Fn: guileRemove("hash-remove!", equivEqual), Doc: "(hash-remove! table key): remove key (by equal?)."},
	{Name: "hashq-remove!", MinArgs: 2, MaxArgs: 2, Fn: guileRemove("hashq-remove!", equivEq), Doc: "(hashq-remove! table key): remove key (by eq?)."},
	{Name: "hashv-remove!", MinArgs: 2, MaxArgs: 2, Fn: guileRemove("hashv-remove!", equivEqv), Doc: "(hashv-remove! table key): remove key (by eqv?)."},
	{Name: "hash-get-handle", MinArgs: 2, MaxArgs: 2, Fn: guileGetHandle("hash-get-handle", equivEqual), Doc: "(hash-get-handle table key): (key . value), or #f."},
	{Name: "hashq-get-handle", MinArgs: 2, MaxArgs: 2, Fn: guileGetHandle("hashq-get-handle", equivEq), Doc: "(hashq-get-handle table key): (key . value) by eq?, or #f."},
	{Name: "hashv-get-handle", MinArgs: 2, MaxArgs: 2, Fn: guileGetHandle("hashv-get-handle", equivEqv), Doc: "(hashv-get-handle table key): (key . value) by eqv?, or #f."},
	{Name: "hash-clear!", MinArgs: 1, MaxArgs: 1, Fn: builtinHashClear, Doc: "(hash-clear! table): remove every entry."},
	{Name: "hash-count", MinArgs: 2, MaxArgs: 2, Fn: builtinHashCount, Doc: "(hash-count pred table): how many entries satisfy (pred key value)."},
	{Name: "hash-fold", MinArgs: 3, MaxArgs: 3, Fn: builtinHashFold, Doc: "(hash-fold proc init table): fold (proc key value acc) over the entries."},
	{Name: "hash-for-each", MinArgs: 2, MaxArgs: 2, Fn: builtinHashForEach, Doc: "(hash-for-each proc table): call (proc key value) for each entry."},
	{Name: "hash-map->list", MinArgs: 2, MaxArgs: 2, Fn: builtinHashMapToList, Doc: "(hash-map->list proc table): the list of (proc key value) over the entries."},
}

func argTable(proc string, args []lang.Value, i int) (*HashTable, error) {
	if t, ok := args[i].(*HashTable); ok {
		return t, nil
	}
	return nil, wrongType(proc, i, "hash table", args[i])
}

// tableFromSpec builds a table from SRFI-69's optional equivalence and
// hash arguments at args[i:].
func tableFromSpec(proc string, args []lang.Value, i int) (*HashTable, error) {
	if len(args) <= i {
		return newHashTable(equivEqual, equalBuiltin, nil), nil
	}
	equiv, err := argProc(proc, args, i)
	if err != nil {
		return nil, err
	}
	var hashProc lang.Value
	if len(args) > i+1 {
		if hashProc, err = argProc(proc, args, i+1); err != nil {
			return nil, err
		}
	}
	kind := equivalenceOf(equiv)
	if kind == equivOther || hashProc != nil && kind == equivEqual {
		// A user equivalence, or equal? with a user hash: honour both.
		return newHashTable(equivOther, equiv, hashProc), nil
	}
	return newHashTable(kind, equiv, nil), nil
}

func builtinMakeHashTable(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	// Guile's form, with no argument or a size hint: the table takes the
	// equivalence of the first hash-set!, hashq-set! or hashv-set!
	// (SRFI-69's procedures make it an equal? table).
	if len(args) == 0 {
		return newHashTable(equivUnset, nil, nil), nil
	}
	switch args[0].(type) {
	case lang.Fixnum, *lang.Bignum:
		return newHashTable(equivUnset, nil, nil), nil
	}
	return tableFromSpec("make-hash-table", args, 0)
}

func tableMaker(kind equivKind) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		return newHashTable(kind, nil, nil), nil
	}
}

func weakTableMaker(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	t := newHashTable(equivUnset, nil, nil)
	t.weak = true
	return t, nil
}

func builtinHashTableP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	_, ok := args[0].(*HashTable)
	return lang.MakeBool(ok), nil
}

func builtinHashTableRef(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	t, err := argTable("hash-table-ref", args, 0)
	if err != nil {
		return nil, err
	}
	v, ok, err := t.Ref(th, args[1], equivOther)
	if err != nil {
		return nil, err
	}
	if !ok {
		if len(args) > 2 {
			if _, err := argProc("hash-table-ref", args, 2); err != nil {
				return nil, err
			}
			return call(th, args[2])
		}
		return nil, rangeErrorf("hash-table-ref", 1, "no value for key %s", lang.WriteString(args[1]))
	}
	if len(args) > 3 {
		if _, err := argProc("hash-table-ref", args, 3); err != nil {
			return nil, err
		}
		return call(th, args[3], v)
	}
	return v, nil
}

func builtinHashTableRefDefault(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	t, err := argTable("hash-table-ref/default", args, 0)
	if err != nil {
		return nil, err
	}
	v, ok, err := t.Ref(th, args[1], equivOther)
	if err != nil {
		return nil, err
	}
	if !ok {
		return args[2], nil
	}
	return v, nil
}

func builtinHashTableSet(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	t, err := argTable("hash-table-set!", args, 0)
	if err != nil {
		return nil, err
	}
	by := equivOther
	if t.kind == equivUnset {
		by = equivEqual
	}
	return lang.Unspec, t.Set(th, args[1], args[2], by)
}

func builtinHashTableDelete(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	t, err := argTable("hash-table-delete!", args, 0)
	if err != nil {
		return nil, err
	}
	_, err = t.Delete(th, args[1], equivOther)
	return lang.Unspec, err
}

func builtinHashTableContains(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	t, err := argTable("hash-table-contains?", args, 0)
	if err != nil {
		return nil, err
	}
	_, ok, err := t.Ref(th, args[1], equivOther)
	return lang.MakeBool(ok), err
}

func updateTable(th *eval.Thread, proc string, args []lang.Value, missing func() (lang.Value, error)) (lang.Value, error) {
	t, err := argTable(proc, args, 0)
	if err != nil {
		return nil, err
	}
	if _, err := argProc(proc, args, 2); err != nil {
		return nil, err
	}
	v, ok, err := t.Ref(th, args[1], equivOther)
	if err != nil {
		return nil, err
	}
	if !ok {
		if v, err = missing(); err != nil {
			return nil, err
		}
	}
	nv, err := call(th, args[2], v)
	if err != nil {
		return nil, err
	}
	by := equivOther
	if t.kind == equivUnset {
		by = equivEqual
	}
	return lang.Unspec, t.Set(th, args[1], nv, by)
}

func builtinHashTableUpdate(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return updateTable(th, "hash-table-update!", args, func() (lang.Value, error) {
		if len(args) > 3 {
			if _, err := argProc("hash-table-update!", args, 3); err != nil {
				return nil, err
			}
			return call(th, args[3])
		}
		return nil, rangeErrorf("hash-table-update!", 1, "no value for key %s", lang.WriteString(args[1]))
	})
}

func builtinHashTableUpdateDefault(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return updateTable(th, "hash-table-update!/default", args, func() (lang.Value, error) {
		return args[3], nil
	})
}

func builtinHashTableSize(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	t, err := argTable("hash-table-size", args, 0)
	if err != nil {
		return nil, err
	}
	return makeInt(t.Len()), nil
}

func builtinHashTableKeys(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	t, err := argTable("hash-table-keys", args, 0)
	if err != nil {
		return nil, err
	}
	var out []lang.Value
	for _, e := range t.Each() {
		out = append(out, e.key)
	}
	return sliceToList(out, lang.Nil), nil
}

func builtinHashTableValues(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	t, err := argTable("hash-table-values", args, 0)
	if err != nil {
		return nil, err
	}
	var out []lang.Value
	for _, e := range t.Each() {
		out = append(out, e.value)
	}
	return sliceToList(out, lang.Nil), nil
}

// walkTable calls proc with (key value) for each entry of the table at
// args[ti], proc being args[pi].
func walkTable(th *eval.Thread, name string, args []lang.Value, ti, pi int, f func(v lang.Value) error) error {
	t, err := argTable(name, args, ti)
	if err != nil {
		return err
	}
	if _, err := argProc(name, args, pi); err != nil {
		return err
	}
	for _, e := range t.Each() {
		v, err := call(th, args[pi], e.key, e.value)
		if err != nil {
			return err
		}
		if f != nil {
			if err := f(v); err != nil {
				return err
			}
		}
	}
	return nil
}

func builtinHashTableWalk(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lang.Unspec, walkTable(th, "hash-table-walk", args, 0, 1, nil)
}

func builtinHashForEach(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lang.Unspec, walkTable(th, "hash-for-each", args, 1, 0, nil)
}

func builtinHashMapToList(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	var out []lang.Value
	err := walkTable(th, "hash-map->list", args, 1, 0, func(v lang.Value) error {
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sliceToList(out, lang.Nil), nil
}

func builtinHashCount(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	n := 0
	err := walkTable(th, "hash-count", args, 1, 0, func(v lang.Value) error {
		if lang.IsTrue(v) {
			n++
		}
		return nil
	})
	return makeInt(n), err
}

func foldTable(th *eval.Thread, name string, t *HashTable, proc, acc lang.Value) (lang.Value, error) {
	for _, e := range t.Each() {
		var err error
		if acc, err = call(th, proc, e.key, e.value, acc); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

func builtinHashTableFold(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	t, err := argTable("hash-table-fold", args, 0)
	if err != nil {
		return nil, err
	}
	if _, err := argProc("hash-table-fold", args, 1); err != nil {
		return nil, err
	}
	return foldTable(th, "hash-table-fold", t, args[1], args[2])
}

func builtinHashFold(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argProc("hash-fold", args, 0); err != nil {
		return nil, err
	}
	t, err := argTable("hash-fold", args, 2)
	if err != nil {
		return nil, err
	}
	return foldTable(th, "hash-fold", t, args[0], args[1])
}

func builtinHashTableToAlist(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	t, err := argTable("hash-table->alist", args, 0)
	if err != nil {
		return nil, err
	}
	var out []lang.Value
	for _, e := range t.Each() {
		out = append(out, lang.Cons(e.key, e.value))
	}
	return sliceToList(out, lang.Nil), nil
}

func builtinAlistToHashTable(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	items, err := listToSlice("alist->hash-table", args, 0)
	if err != nil {
		return nil, err
	}
	t, err := tableFromSpec("alist->hash-table", args, 1)
	if err != nil {
		return nil, err
	}
	for _, item := range items {
		p, ok := item.(*lang.Pair)
		if !ok {
			return nil, wrongType("alist->hash-table", 0, "association list", args[0])
		}
		if _, present, err := t.Ref(th, p.Car, equivOther); err != nil {
			return nil, err
		} else if !present {
			if err := t.Set(th, p.Car, p.Cdr, equivOther); err != nil {
				return nil, err
			}
		}
	}
	return t, nil
}

func builtinHashTableCopy(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	t, err := argTable("hash-table-copy", args, 0)
	if err != nil {
		return nil, err
	}
	return t.Copy(), nil
}

func builtinHashClear(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	t, err := argTable("hash-clear!", args, 0)
	if err != nil {
		return nil, err
	}
	t.Clear()
	return lang.Unspec, nil
}

func builtinHashTableMerge(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	t1, err := argTable("hash-table-merge!", args, 0)
	if err != nil {
		return nil, err
	}
	t2, err := argTable("hash-table-merge!", args, 1)
	if err != nil {
		return nil, err
	}
	for _, e := range t2.Each() {
		if err := t1.Set(th, e.key, e.value, equivOther); err != nil {
			return nil, err
		}
	}
	return t1, nil
}

func builtinHashTableEquivalence(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	t, err := argTable("hash-table-equivalence-function", args, 0)
	if err != nil {
		return nil, err
	}
	switch {
	case t.equiv != nil:
		return t.equiv, nil
	case t.kind == equivEq:
		return eqBuiltin, nil
	case t.kind == equivEqv:
		return eqvBuiltin, nil
	}
	return equalBuiltin, nil
}

func builtinHashTableHashFunction(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	t, err := argTable("hash-table-hash-function", args, 0)
	if err != nil {
		return nil, err
	}
	switch {
	case t.hashProc != nil:
		return t.hashProc, nil
	case t.kind == equivEq, t.kind == equivEqv:
		return hashByIdentityBuiltin, nil
	case t.kind == equivString:
		return stringHashBuiltin, nil
	}
	return hashBuiltin, nil
}

// The hash functions are named so that hash-table-hash-function can
// return them.
var (
	hashBuiltin           = &eval.Builtin{Name: "hash", MinArgs: 1, MaxArgs: 2, Fn: builtinHash, Doc: "(hash obj [bound]): a hash code of obj consistent with equal?, below bound."}
	stringHashBuiltin     = &eval.Builtin{Name: "string-hash", MinArgs: 1, MaxArgs: 2, Fn: builtinStringHash, Doc: "(string-hash string [bound]): a hash code of string consistent with string=?."}
	hashByIdentityBuiltin = &eval.Builtin{Name: "hash-by-identity", MinArgs: 1, MaxArgs: 2, Fn: builtinHashByIdentity, Doc: "(hash-by-identity obj [bound]): a hash code consistent with eq?."}
)

// boundHash reduces h below the optional bound argument i.
func boundHash(proc string, args []lang.Value, i int, h uint64) (lang.Value, error) {
	bound := uint64(1) << 62
	if len(args) > i {
		n, err := argInt(proc, args, i)
		if err != nil {
			return nil, err
		}
		if n <= 0 {
			return nil, rangeErrorf(proc, i, "bound must be positive, got %d", n)
		}
		bound = uint64(n)
	}
	return makeInt(int(h % bound)), nil
}

func builtinHash(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return boundHash("hash", args, 1, lang.HashEqual(args[0]))
}

func builtinStringHash(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string-hash", args, 0)
	if err != nil {
		return nil, err
	}
	return boundHash("string-hash", args, 1, lang.HashEqual(s))
}

func builtinStringCIHash(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string-ci-hash", args, 0)
	if err != nil {
		return nil, err
	}
	return boundHash("string-ci-hash", args, 1, lang.HashEqual(lang.NewString(foldString(s.String()))))
}

func builtinHashByIdentity(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return boundHash("hash-by-identity", args, 1, lang.HashEqv(args[0]))
}

func guileRef(name string, by equivKind) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		t, err := argTable(name, args, 0)
		if err != nil {
			return nil, err
		}
		v, ok, err := t.Ref(th, args[1], by)
		if err != nil {
			return nil, err
		}
		if !ok {
			if len(args) > 2 {
				return args[2], nil
			}
			return lang.False, nil
		}
		return v, nil
	}
}

func guileSet(name string, by equivKind) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		t, err := argTable(name, args, 0)
		if err != nil {
			return nil, err
		}
		if err := t.Set(th, args[1], args[2], by); err != nil {
			return nil, err
		}
		return args[2], nil
	}
}

func guileRemove(name string, by equivKind) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		t, err := argTable(name, args, 0)
		if err != nil {
			return nil, err
		}
		_, err = t.Delete(th, args[1], by)
		return lang.Unspec, err
	}
}

func guileGetHandle(name string, by equivKind) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		t, err := argTable(name, args, 0)
		if err != nil {
			return nil, err
		}
		v, ok, err := t.Ref(th, args[1], by)
		if err != nil || !ok {
			return lang.False, err
		}
		return lang.Cons(args[1], v), nil
	}
}
