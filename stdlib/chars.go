package stdlib

import (
	"unicode"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// Characters: (scheme base) and (scheme char).
var charBuiltins = []*eval.Builtin{
	{Name: "char?", MinArgs: 1, MaxArgs: 1, Fn: builtinCharP, Doc: "(char? v): whether v is a character."},
	{Name: "char->integer", MinArgs: 1, MaxArgs: 1, Fn: builtinCharToInteger, Doc: "(char->integer char): the Unicode scalar value of char."},
	{Name: "integer->char", MinArgs: 1, MaxArgs: 1, Fn: builtinIntegerToChar, Doc: "(integer->char n): the character whose Unicode scalar value is n."},
	{Name: "char=?", MinArgs: 1, MaxArgs: -1, Fn: charCompare("char=?", false, func(c int) bool { return c == 0 }), Doc: "(char=? c1 c2 ...): whether the characters are all equal."},
	{Name: "char<?", MinArgs: 1, MaxArgs: -1, Fn: charCompare("char<?", false, func(c int) bool { return c < 0 }), Doc: "(char<? c1 c2 ...): whether the characters are strictly increasing."},
	{Name: "char>?", MinArgs: 1, MaxArgs: -1, Fn: charCompare("char>?", false, func(c int) bool { return c > 0 }), Doc: "(char>? c1 c2 ...): whether the characters are strictly decreasing."},
	{Name: "char<=?", MinArgs: 1, MaxArgs: -1, Fn: charCompare("char<=?", false, func(c int) bool { return c <= 0 }), Doc: "(char<=? c1 c2 ...): whether the characters are non-decreasing."},
	{Name: "char>=?", MinArgs: 1, MaxArgs: -1, Fn: charCompare("char>=?", false, func(c int) bool { return c >= 0 }), Doc: "(char>=? c1 c2 ...): whether the characters are non-increasing."},
	{Name: "char-ci=?", MinArgs: 1, MaxArgs: -1, Fn: charCompare("char-ci=?", true, func(c int) bool { return c == 0 }), Doc: "(char-ci=? c1 c2 ...): char=? after case folding."},
	{Name: "char-ci<?", MinArgs: 1, MaxArgs: -1, Fn: charCompare("char-ci<?", true, func(c int) bool { return c < 0 }), Doc: "(char-ci<? c1 c2 ...): char<? after case folding."},
	{Name: "char-ci>?", MinArgs: 1, MaxArgs: -1, Fn: charCompare("char-ci>?", true, func(c int) bool { return c > 0 }), Doc: "(char-ci>? c1 c2 ...): char>? after case folding."},
	{Name: "char-ci<=?", MinArgs: 1, MaxArgs: -1, Fn: charCompare("char-ci<=?", true, func(c int) bool { return c <= 0 }), Doc: "(char-ci<=? c1 c2 ...): char<=? after case folding."},
	{Name: "char-ci>=?", MinArgs: 1, MaxArgs: -1, Fn: charCompare("char-ci>=?", true, func(c int) bool { return c >= 0 }), Doc: "(char-ci>=? c1 c2 ...): char>=? after case folding."},
	{Name: "char-alphabetic?", MinArgs: 1, MaxArgs: 1, Fn: charClass("char-alphabetic?", unicode.IsLetter), Doc: "(char-alphabetic? char): whether char is a letter."},
	{Name: "char-numeric?", MinArgs: 1, MaxArgs: 1, Fn: charClass("char-numeric?", unicode.IsDigit), Doc: "(char-numeric? char): whether char is a decimal digit."},
	{Name: "char-whitespace?", MinArgs: 1, MaxArgs: 1, Fn: charClass("char-whitespace?", unicode.IsSpace), Doc: "(char-whitespace? char): whether char is white space."},
	{Name: "char-upper-case?", MinArgs: 1, MaxArgs: 1, Fn: charClass("char-upper-case?", unicode.IsUpper), Doc: "(char-upper-case? char): whether char is an upper-case letter."},
	{Name: "char-lower-case?", MinArgs: 1, MaxArgs: 1, Fn: charClass("char-lower-case?", unicode.IsLower), Doc: "(char-lower-case? char): whether char is a lower-case letter."},
	{Name: "digit-value", MinArgs: 1, MaxArgs: 1, Fn: builtinDigitValue, Doc: "(digit-value char): the value of a decimal digit, or #f."},
	{Name: "char-upcase", MinArgs: 1, MaxArgs: 1, Fn: charMap("char-upcase", unicode.ToUpper), Doc: "(char-upcase char): the upper-case form of char."},
	{Name: "char-downcase", MinArgs: 1, MaxArgs: 1, Fn: charMap("char-downcase", unicode.ToLower), Doc: "(char-downcase char): the lower-case form of char."},
	{Name: "char-foldcase", MinArgs: 1, MaxArgs: 1, Fn: charMap("char-foldcase", foldRune), Doc: "(char-foldcase char): the case-folded form of char."},
	{Name: "char-titlecase", MinArgs: 1, MaxArgs: 1, Fn: charMap("char-titlecase", unicode.ToTitle), Doc: "(char-titlecase char): the title-case form of char."},
}

func builtinCharP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	_, ok := args[0].(lang.Char)
	return lang.MakeBool(ok), nil
}

func builtinCharToInteger(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	c, err := argChar("char->integer", args, 0)
	if err != nil {
		return nil, err
	}
	return lang.MakeInt(int64(c)), nil
}

func builtinIntegerToChar(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	n, err := argInt("integer->char", args, 0)
	if err != nil {
		return nil, err
	}
	if n < 0 || n > unicode.MaxRune || (n >= 0xD800 && n <= 0xDFFF) {
		return nil, rangeErrorf("integer->char", 0, "%d is not a Unicode scalar value", n)
	}
	return lang.Char(n), nil
}

// foldRune is simple Unicode case folding.
func foldRune(r rune) rune { return unicode.ToLower(unicode.ToUpper(r)) }

func charCompare(name string, fold bool, ok func(c int) bool) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		result := true
		var prev rune
		for i := range args {
			c, err := argChar(name, args, i)
			if err != nil {
				return nil, err
			}
			if fold {
				c = foldRune(c)
			}
			if i > 0 && !ok(int(prev)-int(c)) {
				result = false
			}
			prev = c
		}
		return lang.MakeBool(result), nil
	}
}

func charClass(name string, p func(rune) bool) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		c, err := argChar(name, args, 0)
		if err != nil {
			return nil, err
		}
		return lang.MakeBool(p(c)), nil
	}
}

func charMap(name string, f func(rune) rune) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		c, err := argChar(name, args, 0)
		if err != nil {
			return nil, err
		}
		return lang.Char(f(c)), nil
	}
}

// digitValue returns the value of a decimal digit of any script, or -1.
func digitValue(c rune) int {
	if !unicode.IsDigit(c) {
		return -1
	}
	// Decimal digits come in runs of ten starting at a zero; some runs
	// are adjacent (mathematical digits), so count from the run's start.
	z := c
	for unicode.IsDigit(z - 1) {
		z--
	}
	return int(c-z) % 10
}

func builtinDigitValue(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	c, err := argChar("digit-value", args, 0)
	if err != nil {
		return nil, err
	}
	if d := digitValue(c); d >= 0 {
		return lang.MakeInt(int64(d)), nil
	}
	return lang.False, nil
}
