package stdlib

import (
	"sort"
	"strings"
	"unicode"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// CharSet is a set of characters, as SRFI-14 has them, in the small form
// that string-tokenize, string-index and the trimming procedures need:
// an explicit set of runes and/or a Unicode class, possibly complemented.
type CharSet struct {
	name   string // for the standard sets, e.g. "char-set:letter"
	runes  map[rune]bool
	class  func(rune) bool
	negate bool
}

// TypeName implements lang.Named.
func (*CharSet) TypeName() string { return "char-set" }

// PrintScheme implements lang.Printable.
func (cs *CharSet) PrintScheme(p *lang.Printer, write bool) {
	if cs.name != "" {
		p.WriteRaw("#<char-set " + cs.name + ">")
		return
	}
	p.WriteRaw("#<char-set>")
}

// Contains reports whether c is in the set.
func (cs *CharSet) Contains(c rune) bool {
	in := cs.runes[c] || (cs.class != nil && cs.class(c))
	return in != cs.negate
}

func isBlank(c rune) bool    { return c == ' ' || c == '\t' || unicode.Is(unicode.Zs, c) }
func isHexDigit(c rune) bool { return c < 128 && strings.ContainsRune("0123456789abcdefABCDEF", c) }

func isGraphic(c rune) bool { return unicode.IsGraphic(c) && !unicode.IsSpace(c) }

// standardCharSets are the predefined sets of SRFI-14, defined as
// variables of (srfi srfi-14) and (guile).
var standardCharSets = []*CharSet{
	{name: "char-set:lower-case", class: unicode.IsLower},
	{name: "char-set:upper-case", class: unicode.IsUpper},
	{name: "char-set:title-case", class: unicode.IsTitle},
	{name: "char-set:letter", class: unicode.IsLetter},
	{name: "char-set:digit", class: unicode.IsDigit},
	{name: "char-set:letter+digit", class: func(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) }},
	{name: "char-set:graphic", class: isGraphic},
	{name: "char-set:printing", class: func(c rune) bool { return isGraphic(c) || unicode.IsSpace(c) }},
	{name: "char-set:whitespace", class: unicode.IsSpace},
	{name: "char-set:iso-control", class: func(c rune) bool { return c < 0x20 || (c >= 0x7f && c < 0xa0) }},
	{name: "char-set:punctuation", class: unicode.IsPunct},
	{name: "char-set:symbol", class: unicode.IsSymbol},
	{name: "char-set:hex-digit", class: isHexDigit},
	{name: "char-set:blank", class: isBlank},
	{name: "char-set:ascii", class: func(c rune) bool { return c < 128 }},
	{name: "char-set:empty", runes: map[rune]bool{}},
	{name: "char-set:full", runes: map[rune]bool{}, negate: true},
}

var charSetBuiltins = []*eval.Builtin{
	{Name: "char-set?", MinArgs: 1, MaxArgs: 1, Fn: builtinCharSetP, Doc: "(char-set? v): whether v is a character set."},
	{Name: "char-set", MinArgs: 0, MaxArgs: -1, Fn: builtinCharSet, Doc: "(char-set char ...): the set of the characters."},
	{Name: "list->char-set", MinArgs: 1, MaxArgs: 2, Fn: builtinListToCharSet, Doc: "(list->char-set chars [base]): the set of the characters of the list, added to base."},
	{Name: "string->char-set", MinArgs: 1, MaxArgs: 2, Fn: builtinStringToCharSet, Doc: "(string->char-set string [base]): the set of the characters of string, added to base."},
	{Name: "char-set-contains?", MinArgs: 2, MaxArgs: 2, Fn: builtinCharSetContains, Doc: "(char-set-contains? cs char): whether char is in cs."},
	{Name: "char-set-complement", MinArgs: 1, MaxArgs: 1, Fn: builtinCharSetComplement, Doc: "(char-set-complement cs): the characters not in cs."},
	{Name: "char-set-union", MinArgs: 0, MaxArgs: -1, Fn: builtinCharSetUnion, Doc: "(char-set-union cs ...): the characters in any of the sets."},
	{Name: "char-set-intersection", MinArgs: 1, MaxArgs: -1, Fn: builtinCharSetIntersection, Doc: "(char-set-intersection cs ...): the characters in all of the sets."},
	{Name: "char-set-difference", MinArgs: 1, MaxArgs: -1, Fn: builtinCharSetDifference, Doc: "(char-set-difference cs1 cs ...): the characters of cs1 in none of the others."},
	{Name: "char-set-adjoin", MinArgs: 1, MaxArgs: -1, Fn: builtinCharSetAdjoin, Doc: "(char-set-adjoin cs char ...): cs with the characters added."},
	{Name: "char-set-delete", MinArgs: 1, MaxArgs: -1, Fn: builtinCharSetDelete, Doc: "(char-set-delete cs char ...): cs without the characters."},
	{Name: "char-set->list", MinArgs: 1, MaxArgs: 1, Fn: builtinCharSetToList, Doc: "(char-set->list cs): the characters of cs in increasing order."},
	{Name: "char-set-size", MinArgs: 1, MaxArgs: 1, Fn: builtinCharSetSize, Doc: "(char-set-size cs): the number of characters in cs."},
	{Name: "char-set-filter", MinArgs: 2, MaxArgs: 3, Fn: builtinCharSetFilter, Doc: "(char-set-filter pred cs [base]): the characters of cs satisfying pred, added to base."},
	{Name: "char-set-count", MinArgs: 2, MaxArgs: 2, Fn: builtinCharSetCount, Doc: "(char-set-count pred cs): how many characters of cs satisfy pred."},
}

func defineCharSets(m *eval.Module) {
	for _, cs := range standardCharSets {
		m.Define(cs.name, cs)
	}
}

func argCharSet(proc string, args []lang.Value, i int) (*CharSet, error) {
	if cs, ok := args[i].(*CharSet); ok {
		return cs, nil
	}
	return nil, wrongType(proc, i, "char-set", args[i])
}

func builtinCharSetP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	_, ok := args[0].(*CharSet)
	return lang.MakeBool(ok), nil
}

func runeSet(proc string, args []lang.Value, from int) (map[rune]bool, error) {
	set := map[rune]bool{}
	for i := from; i < len(args); i++ {
		c, err := argChar(proc, args, i)
		if err != nil {
			return nil, err
		}
		set[c] = true
	}
	return set, nil
}

func builtinCharSet(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	set, err := runeSet("char-set", args, 0)
	if err != nil {
		return nil, err
	}
	return &CharSet{runes: set}, nil
}

// withBase adds the explicit runes to the optional base set args[i].
func withBase(proc string, args []lang.Value, i int, runes map[rune]bool) (lang.Value, error) {
	cs := &CharSet{runes: runes}
	if len(args) > i {
		base, err := argCharSet(proc, args, i)
		if err != nil {
			return nil, err
		}
		return unionSets(cs, base), nil
	}
	return cs, nil
}

func builtinListToCharSet(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	items, err := listToSlice("list->char-set", args, 0)
	if err != nil {
		return nil, err
	}
	set, err := runeSet("list->char-set", items, 0)
	if err != nil {
		return nil, wrongType("list->char-set", 0, "list of characters", args[0])
	}
	return withBase("list->char-set", args, 1, set)
}

func builtinStringToCharSet(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string->char-set", args, 0)
	if err != nil {
		return nil, err
	}
	set := map[rune]bool{}
	for _, c := range s.String() {
		set[c] = true
	}
	return withBase("string->char-set", args, 1, set)
}

func builtinCharSetContains(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	cs, err := argCharSet("char-set-contains?", args, 0)
	if err != nil {
		return nil, err
	}
	c, err := argChar("char-set-contains?", args, 1)
	if err != nil {
		return nil, err
	}
	return lang.MakeBool(cs.Contains(c)), nil
}

func builtinCharSetComplement(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	cs, err := argCharSet("char-set-complement", args, 0)
	if err != nil {
		return nil, err
	}
	return &CharSet{runes: cs.runes, class: cs.class, negate: !cs.negate}, nil
}

func unionSets(sets ...*CharSet) *CharSet {
	return &CharSet{class: func(c rune) bool {
		for _, s := range sets {
			if s.Contains(c) {
				return true
			}
		}
		return false
	}}
}

func charSetArgs(proc string, args []lang.Value) ([]*CharSet, error) {
	sets := make([]*CharSet, len(args))
	for i := range args {
		cs, err := argCharSet(proc, args, i)
		if err != nil {
			return nil, err
		}
		sets[i] = cs
	}
	return sets, nil
}

func builtinCharSetUnion(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	sets, err := charSetArgs("char-set-union", args)
	if err != nil {
		return nil, err
	}
	return unionSets(sets...), nil
}

func builtinCharSetIntersection(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	sets, err := charSetArgs("char-set-intersection", args)
	if err != nil {
		return nil, err
	}
	return &CharSet{class: func(c rune) bool {
		for _, s := range sets {
			if !s.Contains(c) {
				return false
			}
		}
		return true
	}}, nil
}

func builtinCharSetDifference(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	sets, err := charSetArgs("char-set-difference", args)
	if err != nil {
		return nil, err
	}
	return &CharSet{class: func(c rune) bool {
		if !sets[0].Contains(c) {
			return false
		}
		for _, s := range sets[1:] {
			if s.Contains(c) {
				return false
			}
		}
		return true
	}}, nil
}

func builtinCharSetAdjoin(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	cs, err := argCharSet("char-set-adjoin", args, 0)
	if err != nil {
		return nil, err
	}
	set, err := runeSet("char-set-adjoin", args, 1)
	if err != nil {
		return nil, err
	}
	return unionSets(&CharSet{runes: set}, cs), nil
}

func builtinCharSetDelete(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	cs, err := argCharSet("char-set-delete", args, 0)
	if err != nil {
		return nil, err
	}
	set, err := runeSet("char-set-delete", args, 1)
	if err != nil {
		return nil, err
	}
	return &CharSet{class: func(c rune) bool { return !set[c] && cs.Contains(c) }}, nil
}

// members lists the characters of cs in increasing order. Sets defined by
// a class are enumerated over all of Unicode.
func (cs *CharSet) members() []rune {
	if cs.class == nil && !cs.negate {
		out := make([]rune, 0, len(cs.runes))
		for c := range cs.runes {
			out = append(out, c)
		}
		sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
		return out
	}
	var out []rune
	for c := rune(0); c <= unicode.MaxRune; c++ {
		if c == 0xD800 {
			c = 0xE000
		}
		if cs.Contains(c) {
			out = append(out, c)
		}
	}
	return out
}

func builtinCharSetToList(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	cs, err := argCharSet("char-set->list", args, 0)
	if err != nil {
		return nil, err
	}
	m := cs.members()
	vs := make([]lang.Value, len(m))
	for i, c := range m {
		vs[i] = lang.Char(c)
	}
	return sliceToList(vs, lang.Nil), nil
}

func builtinCharSetSize(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	cs, err := argCharSet("char-set-size", args, 0)
	if err != nil {
		return nil, err
	}
	return makeInt(len(cs.members())), nil
}

func builtinCharSetFilter(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argProc("char-set-filter", args, 0); err != nil {
		return nil, err
	}
	cs, err := argCharSet("char-set-filter", args, 1)
	if err != nil {
		return nil, err
	}
	set := map[rune]bool{}
	for _, c := range cs.members() {
		v, err := call(th, args[0], lang.Char(c))
		if err != nil {
			return nil, err
		}
		if lang.IsTrue(v) {
			set[c] = true
		}
	}
	return withBase("char-set-filter", args, 2, set)
}

func builtinCharSetCount(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argProc("char-set-count", args, 0); err != nil {
		return nil, err
	}
	cs, err := argCharSet("char-set-count", args, 1)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, c := range cs.members() {
		v, err := call(th, args[0], lang.Char(c))
		if err != nil {
			return nil, err
		}
		if lang.IsTrue(v) {
			n++
		}
	}
	return makeInt(n), nil
}
