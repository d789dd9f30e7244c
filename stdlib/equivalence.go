package stdlib

import (
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// The equivalence predicates and booleans of (scheme base). The three
// equivalence builtins are named variables so that hash tables and
// delete-duplicates can recognize them and hash instead of comparing
// pairwise.
var (
	eqBuiltin    = &eval.Builtin{Name: "eq?", MinArgs: 2, MaxArgs: 2, Fn: builtinEqP, Doc: "(eq? a b): whether a and b are the same object."}
	eqvBuiltin   = &eval.Builtin{Name: "eqv?", MinArgs: 2, MaxArgs: 2, Fn: builtinEqvP, Doc: "(eqv? a b): eq?, and also equal numbers of the same exactness and equal characters."}
	equalBuiltin = &eval.Builtin{Name: "equal?", MinArgs: 2, MaxArgs: 2, Fn: builtinEqualP, Doc: "(equal? a b): structural equality of pairs, vectors, strings and bytevectors; eqv? otherwise."}
)

var equivalenceBuiltins = []*eval.Builtin{
	eqBuiltin, eqvBuiltin, equalBuiltin,
	{Name: "not", MinArgs: 1, MaxArgs: 1, Fn: builtinNot, Doc: "(not v): #t if v is #f, else #f."},
	{Name: "boolean?", MinArgs: 1, MaxArgs: 1, Fn: builtinBooleanP, Doc: "(boolean? v): whether v is #t or #f."},
	{Name: "boolean=?", MinArgs: 2, MaxArgs: -1, Fn: builtinBooleanEq, Doc: "(boolean=? a b ...): whether the booleans are all the same."},
}

func builtinEqP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lang.MakeBool(lang.Eq(args[0], args[1])), nil
}

func builtinEqvP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lang.MakeBool(lang.Eqv(args[0], args[1])), nil
}

func builtinEqualP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lang.MakeBool(lang.Equal(args[0], args[1])), nil
}

func builtinNot(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lang.MakeBool(args[0] == lang.False), nil
}

func builtinBooleanP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	_, ok := args[0].(lang.Boolean)
	return lang.MakeBool(ok), nil
}

func builtinBooleanEq(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	for i, a := range args {
		if _, ok := a.(lang.Boolean); !ok {
			return nil, wrongType("boolean=?", i, "boolean", a)
		}
	}
	for _, a := range args[1:] {
		if a != args[0] {
			return lang.False, nil
		}
	}
	return lang.True, nil
}

// equivKind names the equivalences that can be hashed natively.
type equivKind int

const (
	equivEq equivKind = iota
	equivEqv
	equivEqual
	equivString // string=?
	equivOther  // a Scheme procedure: compared pairwise
	equivUnset  // a Guile table not used yet: takes the kind of its first hash*-set!
)

// builtinEquivalence reports which hashable equivalence optional argument
// i is: absent means equal?.
func builtinEquivalence(th *eval.Thread, args []lang.Value, i int) (equivKind, bool) {
	if len(args) <= i {
		return equivEqual, true
	}
	k := equivalenceOf(args[i])
	return k, k != equivOther && k != equivString
}

func equivalenceOf(proc lang.Value) equivKind {
	switch proc {
	case lang.Value(eqBuiltin):
		return equivEq
	case lang.Value(eqvBuiltin):
		return equivEqv
	case lang.Value(equalBuiltin):
		return equivEqual
	case lang.Value(stringEqBuiltin):
		return equivString
	}
	return equivOther
}
