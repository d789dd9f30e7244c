package stdlib

import (
	"strings"
	"unicode"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// stringEqBuiltin is named so that hash tables can recognize string=?.
var stringEqBuiltin = &eval.Builtin{Name: "string=?", MinArgs: 1, MaxArgs: -1, Fn: stringCompare("string=?", false, func(c int) bool { return c == 0 }), Doc: "(string=? s1 s2 ...): whether the strings are all equal."}

// Strings: (scheme base) and (scheme char).
var stringBuiltins = []*eval.Builtin{
	{Name: "string?", MinArgs: 1, MaxArgs: 1, Fn: builtinStringP, Doc: "(string? v): whether v is a string."},
	{Name: "make-string", MinArgs: 1, MaxArgs: 2, Fn: builtinMakeString, Doc: "(make-string k [char]): a new string of k characters, each char (a space by default)."},
	{Name: "string", MinArgs: 0, MaxArgs: -1, Fn: builtinString, Doc: "(string char ...): a new string of the characters."},
	{Name: "string-length", MinArgs: 1, MaxArgs: 1, Fn: builtinStringLength, Doc: "(string-length string): the number of characters."},
	{Name: "string-ref", MinArgs: 2, MaxArgs: 2, Fn: builtinStringRef, Doc: "(string-ref string k): character k (from 0)."},
	{Name: "string-set!", MinArgs: 3, MaxArgs: 3, Fn: builtinStringSet, Doc: "(string-set! string k char): store char at index k of a mutable string."},
	stringEqBuiltin,
	{Name: "string<?", MinArgs: 1, MaxArgs: -1, Fn: stringCompare("string<?", false, func(c int) bool { return c < 0 }), Doc: "(string<? s1 s2 ...): whether the strings are in strictly increasing order."},
	{Name: "string>?", MinArgs: 1, MaxArgs: -1, Fn: stringCompare("string>?", false, func(c int) bool { return c > 0 }), Doc: "(string>? s1 s2 ...): whether the strings are in strictly decreasing order."},
	{Name: "string<=?", MinArgs: 1, MaxArgs: -1, Fn: stringCompare("string<=?", false, func(c int) bool { return c <= 0 }), Doc: "(string<=? s1 s2 ...): whether the strings are in non-decreasing order."},
	{Name: "string>=?", MinArgs: 1, MaxArgs: -1, Fn: stringCompare("string>=?", false, func(c int) bool { return c >= 0 }), Doc: "(string>=? s1 s2 ...): whether the strings are in non-increasing order."},
	{Name: "string-ci=?", MinArgs: 1, MaxArgs: -1, Fn: stringCompare("string-ci=?", true, func(c int) bool { return c == 0 }), Doc: "(string-ci=? s1 s2 ...): string=? after case folding."},
	{Name: "string-ci<?", MinArgs: 1, MaxArgs: -1, Fn: stringCompare("string-ci<?", true, func(c int) bool { return c < 0 }), Doc: "(string-ci<? s1 s2 ...): string<? after case folding."},
	{Name: "string-ci>?", MinArgs: 1, MaxArgs: -1, Fn: stringCompare("string-ci>?", true, func(c int) bool { return c > 0 }), Doc: "(string-ci>? s1 s2 ...): string>? after case folding."},
	{Name: "string-ci<=?", MinArgs: 1, MaxArgs: -1, Fn: stringCompare("string-ci<=?", true, func(c int) bool { return c <= 0 }), Doc: "(string-ci<=? s1 s2 ...): string<=? after case folding."},
	{Name: "string-ci>=?", MinArgs: 1, MaxArgs: -1, Fn: stringCompare("string-ci>=?", true, func(c int) bool { return c >= 0 }), Doc: "(string-ci>=? s1 s2 ...): string>=? after case folding."},
	{Name: "substring", MinArgs: 2, MaxArgs: 3, Fn: builtinSubstring, Doc: "(substring string start [end]): a new string of the characters from start to end."},
	{Name: "string-append", MinArgs: 0, MaxArgs: -1, Fn: builtinStringAppend, Doc: "(string-append string ...): a new string of the strings concatenated."},
	{Name: "string->list", MinArgs: 1, MaxArgs: 3, Fn: builtinStringToList, Doc: "(string->list string [start end]): the characters as a list."},
	{Name: "list->string", MinArgs: 1, MaxArgs: 1, Fn: builtinListToString, Doc: "(list->string list): a new string of the characters of list."},
	{Name: "string-copy", MinArgs: 1, MaxArgs: 3, Fn: builtinStringCopy, Doc: "(string-copy string [start end]): a new mutable copy of the characters."},
	{Name: "string-copy!", MinArgs: 3, MaxArgs: 5, Fn: builtinStringCopyBang, Doc: "(string-copy! to at from [start end]): copy characters of from into to at index at."},
	{Name: "string-fill!", MinArgs: 2, MaxArgs: 4, Fn: builtinStringFill, Doc: "(string-fill! string char [start end]): store char in every position of the range."},
	{Name: "string-map", MinArgs: 2, MaxArgs: -1, Fn: builtinStringMap, Doc: "(string-map proc string ...): the string of (proc char ...) over the strings, stopping at the shortest; SRFI-13's (string-map proc s start end) also works."},
	{Name: "string-for-each", MinArgs: 2, MaxArgs: -1, Fn: builtinStringForEach, Doc: "(string-for-each proc string ...): call proc on the characters of the strings in turn; SRFI-13's (string-for-each proc s start end) also works."},
	{Name: "string-upcase", MinArgs: 1, MaxArgs: 1, Fn: stringCase("string-upcase", strings.ToUpper), Doc: "(string-upcase string): the upper-case form."},
	{Name: "string-downcase", MinArgs: 1, MaxArgs: 1, Fn: stringCase("string-downcase", strings.ToLower), Doc: "(string-downcase string): the lower-case form."},
	{Name: "string-foldcase", MinArgs: 1, MaxArgs: 1, Fn: stringCase("string-foldcase", foldString), Doc: "(string-foldcase string): the case-folded form."},
	{Name: "string-titlecase", MinArgs: 1, MaxArgs: 1, Fn: stringCase("string-titlecase", titleString), Doc: "(string-titlecase string): each word capitalized, the rest lower case."},
}

func builtinStringP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	_, ok := args[0].(*lang.String)
	return lang.MakeBool(ok), nil
}

func builtinMakeString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	n, err := argNonNeg("make-string", args, 0)
	if err != nil {
		return nil, err
	}
	fill := ' '
	if len(args) > 1 {
		if fill, err = argChar("make-string", args, 1); err != nil {
			return nil, err
		}
	}
	r := make([]rune, n)
	for i := range r {
		r[i] = fill
	}
	return lang.NewStringRunes(r), nil
}

func builtinString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	r := make([]rune, len(args))
	for i := range args {
		c, err := argChar("string", args, i)
		if err != nil {
			return nil, err
		}
		r[i] = c
	}
	return lang.NewStringRunes(r), nil
}

func builtinStringLength(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string-length", args, 0)
	if err != nil {
		return nil, err
	}
	return makeInt(s.Len()), nil
}

func builtinStringRef(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string-ref", args, 0)
	if err != nil {
		return nil, err
	}
	k, err := argIndex("string-ref", args, 1, s.Len(), "string")
	if err != nil {
		return nil, err
	}
	return lang.Char(s.Ref(k)), nil
}

func builtinStringSet(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argMutableString("string-set!", args, 0)
	if err != nil {
		return nil, err
	}
	k, err := argIndex("string-set!", args, 1, s.Len(), "string")
	if err != nil {
		return nil, err
	}
	c, err := argChar("string-set!", args, 2)
	if err != nil {
		return nil, err
	}
	s.Set(k, c)
	return lang.Unspec, nil
}

// foldString is simple Unicode case folding of a whole string.
func foldString(s string) string { return strings.Map(foldRune, s) }

func titleString(s string) string {
	r := []rune(s)
	inWord := false
	for i, c := range r {
		if unicode.IsLetter(c) {
			if inWord {
				r[i] = unicode.ToLower(c)
			} else {
				r[i] = unicode.ToTitle(c)
			}
			inWord = true
		} else {
			inWord = false
		}
	}
	return string(r)
}

func stringCompare(name string, fold bool, ok func(c int) bool) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		result := true
		var prev string
		for i := range args {
			s, err := argString(name, args, i)
			if err != nil {
				return nil, err
			}
			cur := s.String()
			if fold {
				cur = foldString(cur)
			}
			// Go compares UTF-8 bytewise, which is code point order.
			if i > 0 && !ok(strings.Compare(prev, cur)) {
				result = false
			}
			prev = cur
		}
		return lang.MakeBool(result), nil
	}
}

func builtinSubstring(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("substring", args, 0)
	if err != nil {
		return nil, err
	}
	start, end, err := argRange("substring", args, 1, s.Len(), "string")
	if err != nil {
		return nil, err
	}
	return lang.NewString(s.Substring(start, end)), nil
}

func builtinStringAppend(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	n := 0
	for i := range args {
		s, err := argString("string-append", args, i)
		if err != nil {
			return nil, err
		}
		n += len(s.String())
	}
	var b strings.Builder
	b.Grow(n)
	for _, a := range args {
		b.WriteString(a.(*lang.String).String())
	}
	return lang.NewString(b.String()), nil
}

func builtinStringToList(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string->list", args, 0)
	if err != nil {
		return nil, err
	}
	start, end, err := argRange("string->list", args, 1, s.Len(), "string")
	if err != nil {
		return nil, err
	}
	var l lang.Value = lang.Nil
	for i := end - 1; i >= start; i-- {
		l = lang.Cons(lang.Char(s.Ref(i)), l)
	}
	return l, nil
}

func builtinListToString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	items, err := listToSlice("list->string", args, 0)
	if err != nil {
		return nil, err
	}
	return charsToString("list->string", "list of characters", items)
}

// charsToString makes a string of items, which must all be characters;
// want names the argument's expected type in the error.
func charsToString(name, want string, items []lang.Value) (lang.Value, error) {
	r := make([]rune, len(items))
	for i, v := range items {
		c, ok := v.(lang.Char)
		if !ok {
			return nil, wrongType(name, 0, want, v)
		}
		r[i] = rune(c)
	}
	return lang.NewStringRunes(r), nil
}

func builtinStringCopy(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string-copy", args, 0)
	if err != nil {
		return nil, err
	}
	start, end, err := argRange("string-copy", args, 1, s.Len(), "string")
	if err != nil {
		return nil, err
	}
	return lang.NewString(s.Substring(start, end)), nil
}

func builtinStringCopyBang(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	to, err := argMutableString("string-copy!", args, 0)
	if err != nil {
		return nil, err
	}
	at, err := argInt("string-copy!", args, 1)
	if err != nil {
		return nil, err
	}
	if at < 0 || at > to.Len() {
		return nil, rangeErrorf("string-copy!", 1, "index %d out of range for string of length %d", at, to.Len())
	}
	from, err := argString("string-copy!", args, 2)
	if err != nil {
		return nil, err
	}
	start, end, err := argRange("string-copy!", args, 3, from.Len(), "string")
	if err != nil {
		return nil, err
	}
	if at+end-start > to.Len() {
		return nil, rangeErrorf("string-copy!", 2, "%d characters do not fit at index %d of a string of length %d", end-start, at, to.Len())
	}
	src := append([]rune(nil), from.Runes()[start:end]...) // from may be to
	for i, c := range src {
		to.Set(at+i, c)
	}
	return lang.Unspec, nil
}

func builtinStringFill(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argMutableString("string-fill!", args, 0)
	if err != nil {
		return nil, err
	}
	c, err := argChar("string-fill!", args, 1)
	if err != nil {
		return nil, err
	}
	start, end, err := argRange("string-fill!", args, 2, s.Len(), "string")
	if err != nil {
		return nil, err
	}
	for i := start; i < end; i++ {
		s.Set(i, c)
	}
	return lang.Unspec, nil
}

// stringsFor reads the string arguments of string-map and
// string-for-each: either R7RS's several strings, or SRFI-13's one string
// with an optional range.
func stringsFor(name string, args []lang.Value) ([][]rune, int, error) {
	if _, err := argProc(name, args, 0); err != nil {
		return nil, 0, err
	}
	s, err := argString(name, args, 1)
	if err != nil {
		return nil, 0, err
	}
	if len(args) > 2 && lang.IsExactInteger(args[2]) {
		start, end, err := argRange(name, args, 2, s.Len(), "string")
		if err != nil {
			return nil, 0, err
		}
		return [][]rune{s.Runes()[start:end]}, end - start, nil
	}
	out := make([][]rune, 0, len(args)-1)
	n := -1
	for i := 1; i < len(args); i++ {
		s, err := argString(name, args, i)
		if err != nil {
			return nil, 0, err
		}
		r := append([]rune(nil), s.Runes()...)
		out = append(out, r)
		if n < 0 || len(r) < n {
			n = len(r)
		}
	}
	return out, n, nil
}

func builtinStringMap(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	strs, n, err := stringsFor("string-map", args)
	if err != nil {
		return nil, err
	}
	out := make([]rune, n)
	for i := 0; i < n; i++ {
		callArgs := make([]lang.Value, len(strs))
		for j, s := range strs {
			callArgs[j] = lang.Char(s[i])
		}
		v, err := call(th, args[0], callArgs...)
		if err != nil {
			return nil, err
		}
		c, ok := v.(lang.Char)
		if !ok {
			return nil, procErrorf("string-map", "procedure returned %s, want character", lang.TypeName(v))
		}
		out[i] = rune(c)
	}
	return lang.NewStringRunes(out), nil
}

func builtinStringForEach(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	strs, n, err := stringsFor("string-for-each", args)
	if err != nil {
		return nil, err
	}
	for i := 0; i < n; i++ {
		callArgs := make([]lang.Value, len(strs))
		for j, s := range strs {
			callArgs[j] = lang.Char(s[i])
		}
		if _, err := call(th, args[0], callArgs...); err != nil {
			return nil, err
		}
	}
	return lang.Unspec, nil
}

func stringCase(name string, f func(string) string) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		s, err := argString(name, args, 0)
		if err != nil {
			return nil, err
		}
		return lang.NewString(f(s.String())), nil
	}
}
