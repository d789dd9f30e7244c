package lang

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// The lexer works on a byte buffer. Over an in-memory text the buffer is
// the whole text; over a port it grows one rune at a time as the lexer
// asks for more, so that a Read consumes exactly one datum (plus at most
// one rune of lookahead, which is given back with UnreadRune).

type tokenKind int

const (
	tEOF          tokenKind = iota
	tDatum                  // an atom, in value
	tOpen                   // ( or [ ; close holds the matching closer
	tVectorOpen             // #(
	tBytesOpen              // #u8(
	tClose                  // ) or ]
	tDot                    // .
	tPrefix                 // ' ` , ,@ #~ #$ ... ; value holds the symbol
	tDatumComment           // #;
	tLabelDef               // #n=
	tLabelRef               // #n#
)

// delimiters end a token.
var delimiters = func() (t [256]bool) {
	for _, c := range " \t\n\r\f\v()[]\";" {
		t[c] = true
	}
	return
}()

func isDelimiter(c byte) bool { return delimiters[c] }

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// more reports whether a byte is available at r.pos, pulling one rune
// from the port when the buffer is exhausted.
func (r *Reader) more() bool {
	return r.pos < len(r.buf) || r.fill()
}

func (r *Reader) fill() bool {
	if r.port == nil || r.portErr != nil {
		return false
	}
	c, _, err := r.port.ReadRune()
	if err != nil {
		r.portErr = err
		return false
	}
	n := len(r.buf)
	r.buf = utf8.AppendRune(r.buf, c)
	r.lastRuneLen = len(r.buf) - n
	return true
}

// peekAt returns the byte i positions after r.pos, or -1 at the end.
func (r *Reader) peekAt(i int) int {
	for r.pos+i >= len(r.buf) {
		if !r.fill() {
			return -1
		}
	}
	return int(r.buf[r.pos+i])
}

// posAt returns the position of byte offset off. Offsets are asked for
// in increasing order, except within one line; lines and columns (in
// characters) are counted incrementally from the last offset asked for.
func (r *Reader) posAt(off int) Pos {
	if off < r.trackOff {
		seg := r.buf[off:r.trackOff]
		if bytes.IndexByte(seg, '\n') >= 0 {
			// Not reached: the reader asks for token starts first.
			return Pos{Src: r.src, Line: r.line, Col: r.col}
		}
		return Pos{Src: r.src, Line: r.line, Col: r.col - int32(utf8.RuneCount(seg))}
	}
	if off > r.trackOff {
		seg := r.buf[r.trackOff:off]
		if i := bytes.LastIndexByte(seg, '\n'); i >= 0 {
			r.line += int32(bytes.Count(seg, newline))
			r.col = 1 + int32(utf8.RuneCount(seg[i+1:]))
		} else {
			r.col += int32(utf8.RuneCount(seg))
		}
		r.trackOff = off
	}
	return Pos{Src: r.src, Line: r.line, Col: r.col}
}

var newline = []byte{'\n'}

func (r *Reader) errorAt(off int, msg string) *ReadError {
	return &ReadError{Pos: r.posAt(off), Msg: msg}
}

func (r *Reader) incompleteAt(off int, msg string) *ReadError {
	e := r.errorAt(off, msg)
	e.Incomplete = true
	return e
}

// skipAtmosphere skips whitespace and comments other than #; and
// reports an unterminated block comment.
func (r *Reader) skipAtmosphere() error {
	for {
		for r.pos < len(r.buf) && isSpace(r.buf[r.pos]) {
			r.pos++
		}
		if !r.more() {
			return nil
		}
		switch r.buf[r.pos] {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			continue
		case ';':
			for {
				if i := bytes.IndexByte(r.buf[r.pos:], '\n'); i >= 0 {
					r.pos += i
					break
				}
				r.pos = len(r.buf)
				if !r.fill() {
					break
				}
			}
		case '#':
			if r.peekAt(1) != '|' {
				return nil
			}
			if err := r.skipBlockComment(); err != nil {
				return err
			}
		default:
			return nil
		}
	}
}

// skipBlockComment skips a nested #| ... |# comment at r.pos.
func (r *Reader) skipBlockComment() error {
	startPos := r.posAt(r.pos)
	r.pos += 2
	depth := 1
	for depth > 0 {
		if !r.more() {
			return r.incompleteAt(r.pos, "unterminated `#|` comment (started at "+startPos.LineCol()+"): expected `|#`")
		}
		c := r.buf[r.pos]
		r.pos++
		switch c {
		case '|':
			if r.peekAt(0) == '#' {
				r.pos++
				depth--
			}
		case '#':
			if r.peekAt(0) == '|' {
				r.pos++
				depth++
			}
		}
	}
	return nil
}

// lex reads the next token. start is the offset where it begins.
func (r *Reader) lex() (kind tokenKind, v Value, start int, err error) {
	for {
		if err := r.skipAtmosphere(); err != nil {
			return tEOF, nil, 0, err
		}
		start = r.pos
		if !r.more() {
			return tEOF, nil, start, nil
		}
		r.posAt(start) // before any position inside the token is asked for
		c := r.buf[r.pos]
		switch c {
		case '(':
			r.pos++
			return tOpen, nil, start, nil
		case '[':
			r.pos++
			return tOpen, nil, start, nil
		case ')', ']':
			r.pos++
			return tClose, nil, start, nil
		case '\'':
			r.pos++
			return tPrefix, symQuote, start, nil
		case '`':
			r.pos++
			return tPrefix, symQuasiquote, start, nil
		case ',':
			r.pos++
			if r.peekAt(0) == '@' {
				r.pos++
				return tPrefix, symUnquoteSplicing, start, nil
			}
			return tPrefix, symUnquote, start, nil
		case '"':
			v, err := r.readString()
			return tDatum, v, start, err
		case '#':
			kind, v, err := r.lexHash()
			if err == errDirective {
				continue
			}
			return kind, v, start, err
		}
		return r.lexAtom(start)
	}
}

// errDirective tells lex that a #! directive or comment was consumed and
// lexing goes on.
var errDirective = &ReadError{Msg: "directive"}

// lexAtom reads a token that is a number, a symbol or the dot.
func (r *Reader) lexAtom(start int) (tokenKind, Value, int, error) {
	bars, err := r.scanToken()
	if err != nil {
		return tEOF, nil, start, err
	}
	tok := r.buf[start:r.pos]
	if bars {
		name, err := r.symbolName(start, tok)
		if err != nil {
			return tEOF, nil, start, err
		}
		return tDatum, Intern(name), start, nil
	}
	if v, ok := fastInt(tok); ok {
		return tDatum, v, start, nil
	}
	c := tok[0]
	if c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.' {
		if len(tok) == 1 && c == '.' {
			return tDot, nil, start, nil
		}
		if v, ok := ParseNumber(string(tok), 10); ok {
			return tDatum, v, start, nil
		}
	}
	return tDatum, r.intern(tok), start, nil
}

// fastInt parses tokens of at most 18 decimal digits with an optional
// sign, the common case, without going through ParseNumber.
func fastInt(tok []byte) (Value, bool) {
	if len(tok) == 0 || len(tok) > 18 {
		return nil, false
	}
	i, neg := 0, false
	if tok[0] == '-' || tok[0] == '+' {
		neg = tok[0] == '-'
		i = 1
		if len(tok) == 1 {
			return nil, false
		}
	}
	var n int64
	for ; i < len(tok); i++ {
		d := tok[i] - '0'
		if d > 9 {
			return nil, false
		}
		n = n*10 + int64(d)
	}
	if neg {
		n = -n
	}
	return MakeInt(n), true
}

// scanToken advances r.pos over a token up to the next delimiter,
// including |...| segments, and reports whether it had any.
func (r *Reader) scanToken() (bars bool, err error) {
	for {
		for r.pos < len(r.buf) {
			c := r.buf[r.pos]
			if delimiters[c] {
				return bars, nil
			}
			if c == '|' {
				bars = true
				if err := r.skipBars(); err != nil {
					return bars, err
				}
				continue
			}
			r.pos++
		}
		if !r.fill() {
			return bars, nil
		}
	}
}

// skipBars advances over a |...| segment starting at r.pos.
func (r *Reader) skipBars() error {
	start := r.pos
	startPos := r.posAt(start)
	r.pos++
	for {
		if !r.more() {
			return r.incompleteAt(r.pos, "unterminated `|` symbol (started at "+startPos.LineCol()+"): expected `|`")
		}
		c := r.buf[r.pos]
		r.pos++
		switch c {
		case '|':
			return nil
		case '\\':
			if !r.more() {
				return r.incompleteAt(r.pos, "unterminated `|` symbol (started at "+startPos.LineCol()+"): expected `|`")
			}
			r.pos++
		}
	}
}

// symbolName decodes a token with |...| segments: text outside bars is
// taken as is (case-folded under #!fold-case), text inside with escapes.
func (r *Reader) symbolName(start int, tok []byte) (string, error) {
	var sb strings.Builder
	for i := 0; i < len(tok); {
		if tok[i] != '|' {
			j := i
			for j < len(tok) && tok[j] != '|' {
				j++
			}
			sb.WriteString(validUTF8(r.fold(string(tok[i:j]))))
			i = j
			continue
		}
		i++
		for tok[i] != '|' {
			if tok[i] != '\\' {
				c, size := utf8.DecodeRune(tok[i:])
				sb.WriteRune(c) // U+FFFD for a byte that is not valid UTF-8
				i += size
				continue
			}
			c, n, err := r.escape(tok[i:], start+i, "symbol")
			if err != nil {
				return "", err
			}
			if c >= 0 {
				sb.WriteRune(c)
			}
			i += n
		}
		i++
	}
	return sb.String(), nil
}

func (r *Reader) fold(s string) string {
	if r.foldCase {
		return strings.ToLower(s)
	}
	return s
}

// validUTF8 replaces each byte of s that is not part of valid UTF-8 by
// U+FFFD, as decoding rune by rune (and so a port) does.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var sb strings.Builder
	for _, r := range s {
		sb.WriteRune(r)
	}
	return sb.String()
}

// symCacheSize is the number of entries of a reader's symbol cache.
const symCacheSize = 512

// intern returns the symbol for an unquoted token. A small direct-mapped
// cache in front of the process-wide table makes the common case (a
// name seen recently) a hash of a few bytes and one comparison, without
// the table's lock.
func (r *Reader) intern(tok []byte) *Symbol {
	if r.foldCase {
		return Intern(validUTF8(r.fold(string(tok))))
	}
	h := uint32(2166136261)
	for _, c := range tok {
		h = (h ^ uint32(c)) * 16777619
	}
	h %= symCacheSize
	if r.syms == nil {
		r.syms = new([symCacheSize]*Symbol)
	} else if s := r.syms[h]; s != nil && s.Name == string(tok) {
		return s
	}
	var s *Symbol
	if utf8.Valid(tok) {
		s = internBytes(tok)
	} else {
		s = Intern(validUTF8(string(tok)))
	}
	r.syms[h] = s
	return s
}

// unreadLookahead gives the rune read past the end of a datum back to the
// port, so that the next reader of the port sees it.
func (r *Reader) unreadLookahead() {
	if r.port == nil || r.pos >= len(r.buf) {
		return
	}
	if len(r.buf)-r.pos == r.lastRuneLen && r.port.UnreadRune() == nil {
		r.buf = r.buf[:r.pos]
	}
}
