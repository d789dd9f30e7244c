package stdlib

import (
	"strings"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// The SRFI-13 string procedures that Guile has in its core and Guix code
// uses every day. Where SRFI-13 takes a "char/char-set/pred" argument, a
// character, a char-set or a predicate procedure are all accepted.
var srfi13Builtins = []*eval.Builtin{
	{Name: "string-null?", MinArgs: 1, MaxArgs: 1, Fn: builtinStringNullP, Doc: "(string-null? string): whether string is empty."},
	{Name: "string-join", MinArgs: 1, MaxArgs: 3, Fn: builtinStringJoin, Doc: "(string-join list [delimiter [grammar]]): the strings joined by delimiter (a space by default); grammar is 'infix (default), 'strict-infix, 'suffix or 'prefix."},
	{Name: "string-split", MinArgs: 2, MaxArgs: 2, Fn: builtinStringSplit, Doc: "(string-split string char): the substrings between occurrences of char (or of a char-set or predicate's characters)."},
	{Name: "string-prefix?", MinArgs: 2, MaxArgs: 6, Fn: prefixTest("string-prefix?", false, false), Doc: "(string-prefix? prefix string [start1 end1 start2 end2]): whether string starts with prefix."},
	{Name: "string-suffix?", MinArgs: 2, MaxArgs: 6, Fn: prefixTest("string-suffix?", true, false), Doc: "(string-suffix? suffix string [start1 end1 start2 end2]): whether string ends with suffix."},
	{Name: "string-prefix-ci?", MinArgs: 2, MaxArgs: 6, Fn: prefixTest("string-prefix-ci?", false, true), Doc: "(string-prefix-ci? prefix string ...): string-prefix? ignoring case."},
	{Name: "string-suffix-ci?", MinArgs: 2, MaxArgs: 6, Fn: prefixTest("string-suffix-ci?", true, true), Doc: "(string-suffix-ci? suffix string ...): string-suffix? ignoring case."},
	{Name: "string-contains", MinArgs: 2, MaxArgs: 6, Fn: contains("string-contains", false), Doc: "(string-contains string pattern [start1 end1 start2 end2]): the index in string where pattern first occurs, or #f."},
	{Name: "string-contains-ci", MinArgs: 2, MaxArgs: 6, Fn: contains("string-contains-ci", true), Doc: "(string-contains-ci string pattern ...): string-contains ignoring case."},
	{Name: "string-index", MinArgs: 2, MaxArgs: 4, Fn: stringSearch("string-index", false, true), Doc: "(string-index string char/char-set/pred [start end]): the index of the first matching character, or #f."},
	{Name: "string-rindex", MinArgs: 2, MaxArgs: 4, Fn: stringSearch("string-rindex", true, true), Doc: "(string-rindex string char/char-set/pred [start end]): the index of the last matching character, or #f."},
	{Name: "string-index-right", MinArgs: 2, MaxArgs: 4, Fn: stringSearch("string-index-right", true, true), Doc: "(string-index-right string char/char-set/pred [start end]): the index of the last matching character, or #f."},
	{Name: "string-skip", MinArgs: 2, MaxArgs: 4, Fn: stringSearch("string-skip", false, false), Doc: "(string-skip string char/char-set/pred [start end]): the index of the first character not matching, or #f."},
	{Name: "string-skip-right", MinArgs: 2, MaxArgs: 4, Fn: stringSearch("string-skip-right", true, false), Doc: "(string-skip-right string char/char-set/pred [start end]): the index of the last character not matching, or #f."},
	{Name: "string-trim", MinArgs: 1, MaxArgs: 4, Fn: trimmer("string-trim", true, false), Doc: "(string-trim string [char/char-set/pred [start end]]): string without leading white space (or matching characters)."},
	{Name: "string-trim-right", MinArgs: 1, MaxArgs: 4, Fn: trimmer("string-trim-right", false, true), Doc: "(string-trim-right string [char/char-set/pred [start end]]): string without trailing white space (or matching characters)."},
	{Name: "string-trim-both", MinArgs: 1, MaxArgs: 4, Fn: trimmer("string-trim-both", true, true), Doc: "(string-trim-both string [char/char-set/pred [start end]]): string without leading and trailing white space (or matching characters)."},
	{Name: "string-pad", MinArgs: 2, MaxArgs: 5, Fn: padder("string-pad", true), Doc: "(string-pad string len [char [start end]]): string padded on the left with char (a space) to len characters, or truncated on the left."},
	{Name: "string-pad-right", MinArgs: 2, MaxArgs: 5, Fn: padder("string-pad-right", false), Doc: "(string-pad-right string len [char [start end]]): string padded on the right to len characters, or truncated on the right."},
	{Name: "string-tokenize", MinArgs: 1, MaxArgs: 4, Fn: builtinStringTokenize, Doc: "(string-tokenize string [char-set/pred [start end]]): the maximal substrings of characters in the set (non-white-space by default)."},
	{Name: "string-reverse", MinArgs: 1, MaxArgs: 3, Fn: builtinStringReverse, Doc: "(string-reverse string [start end]): the characters in reverse order."},
	{Name: "string-count", MinArgs: 2, MaxArgs: 4, Fn: builtinStringCount, Doc: "(string-count string char/char-set/pred [start end]): how many characters match."},
	{Name: "string-take", MinArgs: 2, MaxArgs: 2, Fn: stringSlice("string-take", func(n, k int) (int, int) { return 0, k }), Doc: "(string-take string k): the first k characters."},
	{Name: "string-drop", MinArgs: 2, MaxArgs: 2, Fn: stringSlice("string-drop", func(n, k int) (int, int) { return k, n }), Doc: "(string-drop string k): all but the first k characters."},
	{Name: "string-take-right", MinArgs: 2, MaxArgs: 2, Fn: stringSlice("string-take-right", func(n, k int) (int, int) { return n - k, n }), Doc: "(string-take-right string k): the last k characters."},
	{Name: "string-drop-right", MinArgs: 2, MaxArgs: 2, Fn: stringSlice("string-drop-right", func(n, k int) (int, int) { return 0, n - k }), Doc: "(string-drop-right string k): all but the last k characters."},
	{Name: "string-concatenate", MinArgs: 1, MaxArgs: 1, Fn: builtinStringConcatenate, Doc: "(string-concatenate list): the strings of list appended."},
	{Name: "string-concatenate-reverse", MinArgs: 1, MaxArgs: 1, Fn: builtinStringConcatenateReverse, Doc: "(string-concatenate-reverse list): the strings of list appended in reverse order."},
	{Name: "string-replace-substring", MinArgs: 3, MaxArgs: 3, Fn: builtinStringReplaceSubstring, Doc: "(string-replace-substring string match replacement): string with every occurrence of match replaced."},
	{Name: "string-replace", MinArgs: 2, MaxArgs: 6, Fn: builtinStringReplace, Doc: "(string-replace s1 s2 [start1 end1 start2 end2]): s1 with characters start1..end1 replaced by s2's start2..end2."},
	{Name: "string-filter", MinArgs: 2, MaxArgs: 4, Fn: stringFilter("string-filter", true), Doc: "(string-filter string char/char-set/pred [start end]): the matching characters."},
	{Name: "string-delete", MinArgs: 2, MaxArgs: 4, Fn: stringFilter("string-delete", false), Doc: "(string-delete string char/char-set/pred [start end]): the characters that do not match."},
	{Name: "string-any", MinArgs: 2, MaxArgs: 4, Fn: builtinStringAny, Doc: "(string-any char/char-set/pred string [start end]): the first true result of pred over the characters, or #f."},
	{Name: "string-every", MinArgs: 2, MaxArgs: 4, Fn: builtinStringEvery, Doc: "(string-every char/char-set/pred string [start end]): #f if some character does not match, else the last result."},
	{Name: "string-fold", MinArgs: 3, MaxArgs: 5, Fn: stringFold("string-fold", false), Doc: "(string-fold kons knil string [start end]): fold (kons char acc) over the characters from the left."},
	{Name: "string-fold-right", MinArgs: 3, MaxArgs: 5, Fn: stringFold("string-fold-right", true), Doc: "(string-fold-right kons knil string [start end]): fold (kons char acc) over the characters from the right."},
	{Name: "string-tabulate", MinArgs: 2, MaxArgs: 2, Fn: builtinStringTabulate, Doc: "(string-tabulate proc len): the string of (proc 0) ... (proc len-1)."},
	{Name: "substring/shared", MinArgs: 2, MaxArgs: 3, Fn: builtinSubstring, Doc: "(substring/shared string start [end]): like substring."},
	{Name: "string-head", MinArgs: 2, MaxArgs: 2, Fn: stringSlice("string-head", func(n, k int) (int, int) { return 0, k }), Doc: "(string-head string k): the first k characters."},
	{Name: "string-tail", MinArgs: 2, MaxArgs: 2, Fn: stringSlice("string-tail", func(n, k int) (int, int) { return k, n }), Doc: "(string-tail string k): all but the first k characters."},
}

// charMatcher reads SRFI-13's char/char-set/pred argument i.
func charMatcher(th *eval.Thread, proc string, args []lang.Value, i int) (func(rune) (bool, error), error) {
	switch m := args[i].(type) {
	case lang.Char:
		return func(c rune) (bool, error) { return c == rune(m), nil }, nil
	case *CharSet:
		return func(c rune) (bool, error) { return m.Contains(c), nil }, nil
	}
	if eval.IsProcedure(args[i]) {
		return func(c rune) (bool, error) {
			v, err := call(th, args[i], lang.Char(c))
			return lang.IsTrue(v), err
		}, nil
	}
	return nil, wrongType(proc, i, "character, char-set or predicate", args[i])
}

func builtinStringNullP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string-null?", args, 0)
	if err != nil {
		return nil, err
	}
	return lang.MakeBool(s.Len() == 0), nil
}

func builtinStringJoin(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	items, err := listToSlice("string-join", args, 0)
	if err != nil {
		return nil, err
	}
	parts := make([]string, len(items))
	for i, v := range items {
		s, ok := v.(*lang.String)
		if !ok {
			return nil, wrongType("string-join", 0, "list of strings", v)
		}
		parts[i] = s.String()
	}
	delim := " "
	if len(args) > 1 {
		d, err := argString("string-join", args, 1)
		if err != nil {
			return nil, err
		}
		delim = d.String()
	}
	grammar := "infix"
	if len(args) > 2 {
		g, err := argSymbol("string-join", args, 2)
		if err != nil {
			return nil, err
		}
		grammar = g.Name
	}
	switch grammar {
	case "infix":
		return lang.NewString(strings.Join(parts, delim)), nil
	case "strict-infix":
		if len(parts) == 0 {
			return nil, rangeErrorf("string-join", 0, "strict-infix grammar needs a non-empty list")
		}
		return lang.NewString(strings.Join(parts, delim)), nil
	case "suffix":
		var b strings.Builder
		for _, p := range parts {
			b.WriteString(p)
			b.WriteString(delim)
		}
		return lang.NewString(b.String()), nil
	case "prefix":
		var b strings.Builder
		for _, p := range parts {
			b.WriteString(delim)
			b.WriteString(p)
		}
		return lang.NewString(b.String()), nil
	}
	return nil, rangeErrorf("string-join", 2, "grammar must be infix, strict-infix, suffix or prefix, got %s", grammar)
}

func builtinStringSplit(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string-split", args, 0)
	if err != nil {
		return nil, err
	}
	match, err := charMatcher(th, "string-split", args, 1)
	if err != nil {
		return nil, err
	}
	var parts []lang.Value
	start, n := 0, s.Len()
	for i := 0; i < n; i++ {
		m, err := match(s.Ref(i))
		if err != nil {
			return nil, err
		}
		if m {
			parts = append(parts, lang.NewString(s.Substring(start, i)))
			start = i + 1
		}
	}
	parts = append(parts, lang.NewString(s.Substring(start, n)))
	return sliceToList(parts, lang.Nil), nil
}

// twoRanges reads the optional start1 end1 start2 end2 arguments of the
// SRFI-13 procedures comparing two strings.
func twoRanges(proc string, args []lang.Value, a, b *lang.String) ([]rune, []rune, int, error) {
	s1, e1, err := argRange(proc, args, 2, a.Len(), "string")
	if err != nil {
		return nil, nil, 0, err
	}
	rest := args
	if len(args) > 4 {
		rest = append([]lang.Value{nil, nil}, args[4:]...)
	} else {
		rest = args[:2]
	}
	s2, e2, err := argRange(proc, rest, 2, b.Len(), "string")
	if err != nil {
		return nil, nil, 0, err
	}
	return a.Runes()[s1:e1], b.Runes()[s2:e2], s2, nil
}

func foldRunes(r []rune) []rune {
	out := make([]rune, len(r))
	for i, c := range r {
		out[i] = foldRune(c)
	}
	return out
}

func prefixTest(name string, suffix, ci bool) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		a, err := argString(name, args, 0)
		if err != nil {
			return nil, err
		}
		b, err := argString(name, args, 1)
		if err != nil {
			return nil, err
		}
		if len(args) == 2 && !ci {
			if suffix {
				return lang.MakeBool(strings.HasSuffix(b.String(), a.String())), nil
			}
			return lang.MakeBool(strings.HasPrefix(b.String(), a.String())), nil
		}
		p, s, _, err := twoRanges(name, args, a, b)
		if err != nil {
			return nil, err
		}
		if ci {
			p, s = foldRunes(p), foldRunes(s)
		}
		if len(p) > len(s) {
			return lang.False, nil
		}
		if suffix {
			s = s[len(s)-len(p):]
		}
		for i := range p {
			if p[i] != s[i] {
				return lang.False, nil
			}
		}
		return lang.True, nil
	}
}

func contains(name string, ci bool) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		a, err := argString(name, args, 0)
		if err != nil {
			return nil, err
		}
		b, err := argString(name, args, 1)
		if err != nil {
			return nil, err
		}
		start1, _, err := argRange(name, args, 2, a.Len(), "string")
		if err != nil {
			return nil, err
		}
		// twoRanges's first range is the searched string here.
		s, p, _, err := twoRanges(name, args, a, b)
		if err != nil {
			return nil, err
		}
		if ci {
			s, p = foldRunes(s), foldRunes(p)
		}
	outer:
		for i := 0; i+len(p) <= len(s); i++ {
			for j := range p {
				if s[i+j] != p[j] {
					continue outer
				}
			}
			return makeInt(start1 + i), nil
		}
		return lang.False, nil
	}
}

func stringSearch(name string, fromRight, want bool) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		s, err := argString(name, args, 0)
		if err != nil {
			return nil, err
		}
		match, err := charMatcher(th, name, args, 1)
		if err != nil {
			return nil, err
		}
		start, end, err := argRange(name, args, 2, s.Len(), "string")
		if err != nil {
			return nil, err
		}
		for k := 0; k < end-start; k++ {
			i := start + k
			if fromRight {
				i = end - 1 - k
			}
			m, err := match(s.Ref(i))
			if err != nil {
				return nil, err
			}
			if m == want {
				return makeInt(i), nil
			}
		}
		return lang.False, nil
	}
}

func trimmer(name string, left, right bool) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		s, err := argString(name, args, 0)
		if err != nil {
			return nil, err
		}
		match := func(c rune) (bool, error) { return isSpace(c), nil }
		if len(args) > 1 {
			if match, err = charMatcher(th, name, args, 1); err != nil {
				return nil, err
			}
		}
		start, end, err := argRange(name, args, 2, s.Len(), "string")
		if err != nil {
			return nil, err
		}
		for left && start < end {
			m, err := match(s.Ref(start))
			if err != nil {
				return nil, err
			}
			if !m {
				break
			}
			start++
		}
		for right && end > start {
			m, err := match(s.Ref(end - 1))
			if err != nil {
				return nil, err
			}
			if !m {
				break
			}
			end--
		}
		return lang.NewString(s.Substring(start, end)), nil
	}
}

func isSpace(c rune) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c > 127 && charSetWhitespace.Contains(c)
}

var charSetWhitespace = standardCharSets[8]

func padder(name string, left bool) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		s, err := argString(name, args, 0)
		if err != nil {
			return nil, err
		}
		n, err := argNonNeg(name, args, 1)
		if err != nil {
			return nil, err
		}
		fill := ' '
		if len(args) > 2 {
			if fill, err = argChar(name, args, 2); err != nil {
				return nil, err
			}
		}
		start, end, err := argRange(name, args, 3, s.Len(), "string")
		if err != nil {
			return nil, err
		}
		if end-start >= n {
			// Truncation only: keep the last (left) or first n characters.
			if left {
				return lang.NewString(s.Substring(end-n, end)), nil
			}
			return lang.NewString(s.Substring(start, start+n)), nil
		}
		r := s.Runes()[start:end]
		out := make([]rune, n)
		if left {
			// Right-align: keep the last n characters.
			for i := range out {
				j := len(r) - n + i
				if j >= 0 {
					out[i] = r[j]
				} else {
					out[i] = fill
				}
			}
		} else {
			for i := range out {
				if i < len(r) {
					out[i] = r[i]
				} else {
					out[i] = fill
				}
			}
		}
		return lang.NewStringRunes(out), nil
	}
}

func builtinStringTokenize(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string-tokenize", args, 0)
	if err != nil {
		return nil, err
	}
	match := func(c rune) (bool, error) { return isGraphic(c), nil }
	if len(args) > 1 {
		if match, err = charMatcher(th, "string-tokenize", args, 1); err != nil {
			return nil, err
		}
	}
	start, end, err := argRange("string-tokenize", args, 2, s.Len(), "string")
	if err != nil {
		return nil, err
	}
	var tokens []lang.Value
	tokStart := -1
	for i := start; i <= end; i++ {
		in := false
		if i < end {
			if in, err = match(s.Ref(i)); err != nil {
				return nil, err
			}
		}
		switch {
		case in && tokStart < 0:
			tokStart = i
		case !in && tokStart >= 0:
			tokens = append(tokens, lang.NewString(s.Substring(tokStart, i)))
			tokStart = -1
		}
	}
	return sliceToList(tokens, lang.Nil), nil
}

func builtinStringReverse(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string-reverse", args, 0)
	if err != nil {
		return nil, err
	}
	start, end, err := argRange("string-reverse", args, 1, s.Len(), "string")
	if err != nil {
		return nil, err
	}
	r := s.Runes()[start:end]
	out := make([]rune, len(r))
	for i, c := range r {
		out[len(r)-1-i] = c
	}
	return lang.NewStringRunes(out), nil
}

func builtinStringCount(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string-count", args, 0)
	if err != nil {
		return nil, err
	}
	match, err := charMatcher(th, "string-count", args, 1)
	if err != nil {
		return nil, err
	}
	start, end, err := argRange("string-count", args, 2, s.Len(), "string")
	if err != nil {
		return nil, err
	}
	n := 0
	for _, c := range s.Runes()[start:end] {
		m, err := match(c)
		if err != nil {
			return nil, err
		}
		if m {
			n++
		}
	}
	return makeInt(n), nil
}

func stringSlice(name string, bounds func(n, k int) (int, int)) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		s, err := argString(name, args, 0)
		if err != nil {
			return nil, err
		}
		k, err := argNonNeg(name, args, 1)
		if err != nil {
			return nil, err
		}
		if k > s.Len() {
			return nil, rangeErrorf(name, 1, "index %d out of range for string of length %d", k, s.Len())
		}
		start, end := bounds(s.Len(), k)
		return lang.NewString(s.Substring(start, end)), nil
	}
}

func builtinStringConcatenate(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	parts, err := argStrings("string-concatenate", args, 0, "list of strings")
	if err != nil {
		return nil, err
	}
	return lang.NewString(strings.Join(parts, "")), nil
}

func builtinStringConcatenateReverse(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	parts, err := argStrings("string-concatenate-reverse", args, 0, "list of strings")
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(parts[i])
	}
	return lang.NewString(b.String()), nil
}

func builtinStringReplaceSubstring(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	var strs [3]string
	for i := range strs {
		s, err := argString("string-replace-substring", args, i)
		if err != nil {
			return nil, err
		}
		strs[i] = s.String()
	}
	if strs[1] == "" {
		return nil, rangeErrorf("string-replace-substring", 1, "the string to replace must not be empty")
	}
	return lang.NewString(strings.ReplaceAll(strs[0], strs[1], strs[2])), nil
}

func builtinStringReplace(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	a, err := argString("string-replace", args, 0)
	if err != nil {
		return nil, err
	}
	b, err := argString("string-replace", args, 1)
	if err != nil {
		return nil, err
	}
	s1, e1, err := argRange("string-replace", args, 2, a.Len(), "string")
	if err != nil {
		return nil, err
	}
	rest := args[:2]
	if len(args) > 4 {
		rest = append([]lang.Value{nil, nil}, args[4:]...)
	}
	s2, e2, err := argRange("string-replace", rest, 2, b.Len(), "string")
	if err != nil {
		return nil, err
	}
	return lang.NewString(a.Substring(0, s1) + b.Substring(s2, e2) + a.Substring(e1, a.Len())), nil
}

func stringFilter(name string, keep bool) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		// Guile accepts both (string-filter s pred) and SRFI-13's
		// (string-filter pred s).
		si, mi := 0, 1
		if _, ok := args[0].(*lang.String); !ok {
			si, mi = 1, 0
		}
		s, err := argString(name, args, si)
		if err != nil {
			return nil, err
		}
		match, err := charMatcher(th, name, args, mi)
		if err != nil {
			return nil, err
		}
		start, end, err := argRange(name, args, 2, s.Len(), "string")
		if err != nil {
			return nil, err
		}
		var out []rune
		for _, c := range s.Runes()[start:end] {
			m, err := match(c)
			if err != nil {
				return nil, err
			}
			if m == keep {
				out = append(out, c)
			}
		}
		return lang.NewStringRunes(out), nil
	}
}

func builtinStringAny(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string-any", args, 1)
	if err != nil {
		return nil, err
	}
	start, end, err := argRange("string-any", args, 2, s.Len(), "string")
	if err != nil {
		return nil, err
	}
	for _, c := range s.Runes()[start:end] {
		v, err := applyMatcher(th, "string-any", args, 0, c)
		if err != nil {
			return nil, err
		}
		if lang.IsTrue(v) {
			return v, nil
		}
	}
	return lang.False, nil
}

func builtinStringEvery(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string-every", args, 1)
	if err != nil {
		return nil, err
	}
	start, end, err := argRange("string-every", args, 2, s.Len(), "string")
	if err != nil {
		return nil, err
	}
	var last lang.Value = lang.True
	for _, c := range s.Runes()[start:end] {
		if last, err = applyMatcher(th, "string-every", args, 0, c); err != nil {
			return nil, err
		}
		if !lang.IsTrue(last) {
			return lang.False, nil
		}
	}
	return last, nil
}

// applyMatcher applies a char/char-set/pred argument, returning the
// predicate's own value when it is a procedure.
func applyMatcher(th *eval.Thread, proc string, args []lang.Value, i int, c rune) (lang.Value, error) {
	if eval.IsProcedure(args[i]) {
		return call(th, args[i], lang.Char(c))
	}
	match, err := charMatcher(th, proc, args, i)
	if err != nil {
		return nil, err
	}
	m, err := match(c)
	return lang.MakeBool(m), err
}

func stringFold(name string, right bool) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		if _, err := argProc(name, args, 0); err != nil {
			return nil, err
		}
		s, err := argString(name, args, 2)
		if err != nil {
			return nil, err
		}
		start, end, err := argRange(name, args, 3, s.Len(), "string")
		if err != nil {
			return nil, err
		}
		r := append([]rune(nil), s.Runes()[start:end]...)
		acc := args[1]
		for k := range r {
			c := r[k]
			if right {
				c = r[len(r)-1-k]
			}
			if acc, err = call(th, args[0], lang.Char(c), acc); err != nil {
				return nil, err
			}
		}
		return acc, nil
	}
}

func builtinStringTabulate(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argProc("string-tabulate", args, 0); err != nil {
		return nil, err
	}
	n, err := argNonNeg("string-tabulate", args, 1)
	if err != nil {
		return nil, err
	}
	out := make([]rune, n)
	for i := range out {
		v, err := call(th, args[0], makeInt(i))
		if err != nil {
			return nil, err
		}
		c, ok := v.(lang.Char)
		if !ok {
			return nil, procErrorf("string-tabulate", "procedure returned %s, want character", lang.TypeName(v))
		}
		out[i] = rune(c)
	}
	return lang.NewStringRunes(out), nil
}
