package stdlib

import (
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// (ice-9 regex): Guile's regular expressions over Go's regexp package.
// Patterns use POSIX extended syntax as Guile's do (Go's syntax is a
// superset, without back-references) and match leftmost-longest, as POSIX
// requires. Indices are character indices.

// Regexp is a compiled regular expression.
type Regexp struct {
	re      *regexp.Regexp
	pattern string
}

// TypeName implements lang.Named.
func (*Regexp) TypeName() string { return "regexp" }

// PrintScheme implements lang.Printable.
func (r *Regexp) PrintScheme(p *lang.Printer, write bool) {
	p.WriteRaw("#<regexp " + lang.WriteString(lang.NewString(r.pattern)) + ">")
}

// RegexpMatch is the result of a successful match: the string and the
// byte offsets of the whole match and of each group (-1 when a group did
// not take part).
type RegexpMatch struct {
	str  string
	locs []int
}

// TypeName implements lang.Named.
func (*RegexpMatch) TypeName() string { return "regexp-match" }

// PrintScheme implements lang.Printable.
func (m *RegexpMatch) PrintScheme(p *lang.Printer, write bool) {
	p.WriteRaw("#<regexp-match " + lang.WriteString(lang.NewString(m.str[m.locs[0]:m.locs[1]])) + ">")
}

// backReference is compiled when first used, not at every start.
var backReference = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\\[1-9]`) })

// The flags of make-regexp and regexp-exec, with Guile's names.
const (
	regexpICase    = 1
	regexpNewline  = 2
	regexpBasic    = 4
	regexpExtended = 8
	regexpNotBOL   = 16
	regexpNotEOL   = 32
)

var regexBuiltins = []*eval.Builtin{
	{Name: "make-regexp", MinArgs: 1, MaxArgs: -1, Fn: builtinMakeRegexp, Doc: "(make-regexp pattern flag ...): compile pattern; flags regexp/icase, regexp/newline, regexp/extended."},
	{Name: "regexp?", MinArgs: 1, MaxArgs: 1, Fn: builtinRegexpP, Doc: "(regexp? v): whether v is a compiled regular expression."},
	{Name: "regexp-exec", MinArgs: 2, MaxArgs: 4, Fn: builtinRegexpExec, Doc: "(regexp-exec regexp string [start [flags]]): the first match at or after start, or #f."},
	{Name: "string-match", MinArgs: 2, MaxArgs: 3, Fn: builtinStringMatch, Doc: "(string-match pattern string [start]): the first match of the pattern (a string) in string, or #f."},
	{Name: "regexp-match?", MinArgs: 1, MaxArgs: 1, Fn: builtinRegexpMatchP, Doc: "(regexp-match? v): whether v is a match."},
	{Name: "match:substring", MinArgs: 1, MaxArgs: 2, Fn: builtinMatchSubstring, Doc: "(match:substring match [n]): the text of group n (0, the whole match, by default), or #f if it did not match."},
	{Name: "match:start", MinArgs: 1, MaxArgs: 2, Fn: matchBound("match:start", 0), Doc: "(match:start match [n]): the index where group n starts, or #f if it did not match."},
	{Name: "match:end", MinArgs: 1, MaxArgs: 2, Fn: matchBound("match:end", 1), Doc: "(match:end match [n]): the index where group n ends, or #f if it did not match."},
	{Name: "match:count", MinArgs: 1, MaxArgs: 1, Fn: builtinMatchCount, Doc: "(match:count match): the number of groups plus one."},
	{Name: "match:prefix", MinArgs: 1, MaxArgs: 1, Fn: builtinMatchPrefix, Doc: "(match:prefix match): the text before the match."},
	{Name: "match:suffix", MinArgs: 1, MaxArgs: 1, Fn: builtinMatchSuffix, Doc: "(match:suffix match): the text after the match."},
	{Name: "match:string", MinArgs: 1, MaxArgs: 1, Fn: builtinMatchString, Doc: "(match:string match): the string that was searched."},
	{Name: "list-matches", MinArgs: 2, MaxArgs: 3, Fn: builtinListMatches, Doc: "(list-matches regexp string [flags]): every non-overlapping match, in order; regexp may be a pattern string."},
	{Name: "fold-matches", MinArgs: 4, MaxArgs: 5, Fn: builtinFoldMatches, Doc: "(fold-matches regexp string init proc [flags]): fold (proc match acc) over the matches."},
	{Name: "regexp-substitute", MinArgs: 2, MaxArgs: -1, Fn: builtinRegexpSubstitute, Doc: "(regexp-substitute port match item ...): write the items: strings, group numbers, 'pre and 'post; port #f returns a string."},
	{Name: "regexp-substitute/global", MinArgs: 3, MaxArgs: -1, Fn: builtinRegexpSubstituteGlobal, Doc: "(regexp-substitute/global port regexp string item ...): substitute every match; items as regexp-substitute plus procedures of the match, and 'post to go on with the rest."},
	{Name: "regexp-quote", MinArgs: 1, MaxArgs: 1, Fn: builtinRegexpQuote, Doc: "(regexp-quote string): a pattern matching string literally."},
}

func defineRegexpFlags(m *eval.Module) {
	m.Define("regexp/icase", lang.MakeInt(regexpICase))
	m.Define("regexp/newline", lang.MakeInt(regexpNewline))
	m.Define("regexp/basic", lang.MakeInt(regexpBasic))
	m.Define("regexp/extended", lang.MakeInt(regexpExtended))
	m.Define("regexp/notbol", lang.MakeInt(regexpNotBOL))
	m.Define("regexp/noteol", lang.MakeInt(regexpNotEOL))
}

func compileRegexp(proc string, args []lang.Value, pattern string, flags int) (*Regexp, error) {
	prefix := ""
	if flags&regexpICase != 0 {
		prefix += "(?i)"
	}
	if flags&regexpNewline != 0 {
		prefix += "(?m)"
	} else {
		prefix += "(?s)" // POSIX: . matches a newline unless REG_NEWLINE
	}
	re, err := regexp.Compile(prefix + pattern)
	if err != nil {
		msg := err.Error()
		if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "error parsing regexp") {
			msg = msg[i+2:]
		}
		msg = strings.Replace(msg, prefix, "", 1) // the flags Fruix added
		if backReference().MatchString(pattern) {
			msg += " (back-references are not supported)"
		}
		return nil, rangeErrorf(proc, 0, "bad regular expression %s: %s", lang.WriteString(lang.NewString(pattern)), msg)
	}
	re.Longest()
	return &Regexp{re: re, pattern: pattern}, nil
}

func flagArgs(proc string, args []lang.Value, from int) (int, error) {
	flags := 0
	for i := from; i < len(args); i++ {
		n, err := argInt(proc, args, i)
		if err != nil {
			return 0, err
		}
		flags |= n
	}
	return flags, nil
}

func builtinMakeRegexp(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("make-regexp", args, 0)
	if err != nil {
		return nil, err
	}
	flags, err := flagArgs("make-regexp", args, 1)
	if err != nil {
		return nil, err
	}
	return compileRegexp("make-regexp", args, s.String(), flags)
}

func builtinRegexpP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	_, ok := args[0].(*Regexp)
	return lang.MakeBool(ok), nil
}

// regexpArg accepts a compiled regexp or a pattern string.
func regexpArg(proc string, args []lang.Value, i int) (*Regexp, error) {
	switch r := args[i].(type) {
	case *Regexp:
		return r, nil
	case *lang.String:
		return compileRegexp(proc, args, r.String(), 0)
	}
	return nil, wrongType(proc, i, "regexp or string", args[i])
}

// byteOffset converts character index k of s to a byte offset.
func byteOffset(s string, k int) int {
	off := 0
	for ; k > 0 && off < len(s); k-- {
		_, size := utf8.DecodeRuneInString(s[off:])
		off += size
	}
	return off
}

// execFrom matches re in str from character index start.
func execFrom(proc string, args []lang.Value, re *Regexp, si, starti int) (lang.Value, error) {
	s, err := argString(proc, args, si)
	if err != nil {
		return nil, err
	}
	str := s.String()
	start := 0
	if len(args) > starti {
		if start, err = argInt(proc, args, starti); err != nil {
			return nil, err
		}
		if start < 0 || start > s.Len() {
			return nil, rangeErrorf(proc, starti, "start %d out of range for string of length %d", start, s.Len())
		}
	}
	off := byteOffset(str, start)
	locs := re.re.FindStringSubmatchIndex(str[off:])
	if locs == nil {
		return lang.False, nil
	}
	for i := range locs {
		if locs[i] >= 0 {
			locs[i] += off
		}
	}
	return &RegexpMatch{str: str, locs: locs}, nil
}

func builtinRegexpExec(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	re, ok := args[0].(*Regexp)
	if !ok {
		return nil, wrongType("regexp-exec", 0, "regexp", args[0])
	}
	return execFrom("regexp-exec", args, re, 1, 2)
}

func builtinStringMatch(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	pat, err := argString("string-match", args, 0)
	if err != nil {
		return nil, err
	}
	re, err := compileRegexp("string-match", args, pat.String(), 0)
	if err != nil {
		return nil, err
	}
	return execFrom("string-match", args, re, 1, 2)
}

func builtinRegexpMatchP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	_, ok := args[0].(*RegexpMatch)
	return lang.MakeBool(ok), nil
}

func argMatch(proc string, args []lang.Value, i int) (*RegexpMatch, error) {
	if m, ok := args[i].(*RegexpMatch); ok {
		return m, nil
	}
	return nil, wrongType(proc, i, "regexp match", args[i])
}

// group returns the byte bounds of group n of m, from optional argument i.
func group(proc string, args []lang.Value, m *RegexpMatch, i int) (int, int, error) {
	n := 0
	if len(args) > i {
		var err error
		if n, err = argInt(proc, args, i); err != nil {
			return 0, 0, err
		}
		if n < 0 || 2*n >= len(m.locs) {
			return 0, 0, rangeErrorf(proc, i, "no group %d in a match with %d groups", n, len(m.locs)/2-1)
		}
	}
	return m.locs[2*n], m.locs[2*n+1], nil
}

func builtinMatchSubstring(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	m, err := argMatch("match:substring", args, 0)
	if err != nil {
		return nil, err
	}
	a, b, err := group("match:substring", args, m, 1)
	if err != nil {
		return nil, err
	}
	if a < 0 {
		return lang.False, nil
	}
	return lang.NewString(m.str[a:b]), nil
}

func matchBound(name string, which int) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		m, err := argMatch(name, args, 0)
		if err != nil {
			return nil, err
		}
		a, b, err := group(name, args, m, 1)
		if err != nil {
			return nil, err
		}
		if a < 0 {
			return lang.False, nil
		}
		off := a
		if which == 1 {
			off = b
		}
		return makeInt(utf8.RuneCountInString(m.str[:off])), nil
	}
}

func builtinMatchCount(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	m, err := argMatch("match:count", args, 0)
	if err != nil {
		return nil, err
	}
	return makeInt(len(m.locs) / 2), nil
}

func builtinMatchPrefix(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	m, err := argMatch("match:prefix", args, 0)
	if err != nil {
		return nil, err
	}
	return lang.NewString(m.str[:m.locs[0]]), nil
}

func builtinMatchSuffix(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	m, err := argMatch("match:suffix", args, 0)
	if err != nil {
		return nil, err
	}
	return lang.NewString(m.str[m.locs[1]:]), nil
}

func builtinMatchString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	m, err := argMatch("match:string", args, 0)
	if err != nil {
		return nil, err
	}
	return lang.NewString(m.str), nil
}

// allMatches returns the non-overlapping matches of re in str.
func allMatches(re *Regexp, str string) []*RegexpMatch {
	var out []*RegexpMatch
	for _, locs := range re.re.FindAllStringSubmatchIndex(str, -1) {
		out = append(out, &RegexpMatch{str: str, locs: locs})
	}
	return out
}

func builtinListMatches(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	re, err := regexpArg("list-matches", args, 0)
	if err != nil {
		return nil, err
	}
	s, err := argString("list-matches", args, 1)
	if err != nil {
		return nil, err
	}
	var out []lang.Value
	for _, m := range allMatches(re, s.String()) {
		out = append(out, m)
	}
	return sliceToList(out, lang.Nil), nil
}

func builtinFoldMatches(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	re, err := regexpArg("fold-matches", args, 0)
	if err != nil {
		return nil, err
	}
	s, err := argString("fold-matches", args, 1)
	if err != nil {
		return nil, err
	}
	if _, err := argProc("fold-matches", args, 3); err != nil {
		return nil, err
	}
	acc := args[2]
	for _, m := range allMatches(re, s.String()) {
		if acc, err = call(th, args[3], m, acc); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

// substitute writes the items for one match to b. post reports whether
// a 'post item asked to continue with the rest of the string. pre is the
// text 'pre stands for: for regexp-substitute/global, the text since the
// end of the previous match.
func substitute(th *eval.Thread, proc string, b *strings.Builder, m *RegexpMatch, items []lang.Value, pre string, global bool) (post bool, err error) {
	for _, it := range items {
		switch v := it.(type) {
		case *lang.String:
			b.WriteString(v.String())
		case lang.Fixnum:
			n := int(v)
			if n < 0 || 2*n >= len(m.locs) {
				return false, procErrorf(proc, "no group %d in a match with %d groups", n, len(m.locs)/2-1)
			}
			if m.locs[2*n] >= 0 {
				b.WriteString(m.str[m.locs[2*n]:m.locs[2*n+1]])
			}
		case *lang.Symbol:
			switch v.Name {
			case "pre":
				b.WriteString(pre)
			case "post":
				if global {
					post = true
				} else {
					b.WriteString(m.str[m.locs[1]:])
				}
			default:
				return false, procErrorf(proc, "unknown item %s: want a string, a group number, pre or post", v.Name)
			}
		default:
			if !eval.IsProcedure(it) {
				return false, procErrorf(proc, "bad item of type %s: want a string, a group number, pre, post or a procedure", lang.TypeName(it))
			}
			r, err := call(th, it, m)
			if err != nil {
				return false, err
			}
			b.WriteString(lang.DisplayString(r))
		}
	}
	return post, nil
}

// deliver writes s to port (args[0]) or returns it when the port is #f.
func deliver(th *eval.Thread, proc string, args []lang.Value, s string) (lang.Value, error) {
	if args[0] == lang.False {
		return lang.NewString(s), nil
	}
	p, err := outPort(th, proc, args, 0)
	if err != nil {
		return nil, err
	}
	return lang.Unspec, p.WriteString(s)
}

func builtinRegexpSubstitute(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	m, err := argMatch("regexp-substitute", args, 1)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	if _, err := substitute(th, "regexp-substitute", &b, m, args[2:], m.str[:m.locs[0]], false); err != nil {
		return nil, err
	}
	return deliver(th, "regexp-substitute", args, b.String())
}

func builtinRegexpSubstituteGlobal(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	re, err := regexpArg("regexp-substitute/global", args, 1)
	if err != nil {
		return nil, err
	}
	s, err := argString("regexp-substitute/global", args, 2)
	if err != nil {
		return nil, err
	}
	str := s.String()
	var b strings.Builder
	last := 0
	for _, m := range allMatches(re, str) {
		post, err := substitute(th, "regexp-substitute/global", &b, m, args[3:], str[last:m.locs[0]], true)
		if err != nil {
			return nil, err
		}
		last = m.locs[1]
		if !post {
			last = len(str)
			break
		}
	}
	b.WriteString(str[last:])
	return deliver(th, "regexp-substitute/global", args, b.String())
}

func builtinRegexpQuote(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("regexp-quote", args, 0)
	if err != nil {
		return nil, err
	}
	return lang.NewString(regexp.QuoteMeta(s.String())), nil
}
