package lang

import (
	"bytes"
	"io"
	"strconv"
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

// posAt returns the position of byte offset off. Offsets must be asked
// for in increasing order; lines and columns (in characters) are
// counted incrementally from the last offset asked for.
func (r *Reader) posAt(off int) Pos {
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

// intern returns the symbol for an unquoted token.
func (r *Reader) intern(tok []byte) *Symbol {
	if r.foldCase || !utf8.Valid(tok) {
		return Intern(validUTF8(r.fold(string(tok))))
	}
	return internBytes(tok)
}

// escape decodes the escape sequence at b (which starts with a
// backslash) in a string or |symbol|; off is b's offset in the buffer. It
// returns the character (-1 for a line continuation, which stands for
// nothing) and the number of bytes used.
func (r *Reader) escape(b []byte, off int, what string) (rune, int, error) {
	if len(b) < 2 {
		return 0, 0, r.incompleteAt(off+len(b), "unterminated "+what)
	}
	switch b[1] {
	case 'a':
		return '\a', 2, nil
	case 'b':
		return '\b', 2, nil
	case 't':
		return '\t', 2, nil
	case 'n':
		return '\n', 2, nil
	case 'r':
		return '\r', 2, nil
	case 'v':
		return '\v', 2, nil
	case 'f':
		return '\f', 2, nil
	case '0':
		return 0, 2, nil
	case '"', '\\', '|', '\'':
		return rune(b[1]), 2, nil
	case 'x', 'X':
		end := bytes.IndexByte(b, ';')
		if end < 0 {
			end = 2
			for end < len(b) && digitVal(b[end]) < 16 {
				end++
			}
			return 0, 0, r.errorAt(off, "bad `\\x` escape `"+shorten(string(b[:end]))+"` in "+what+": expected hex digits and `;`, as in \\x41;")
		}
		hex := string(b[2:end])
		n, err := strconv.ParseUint(hex, 16, 32)
		if err != nil || hex == "" {
			return 0, 0, r.errorAt(off, "bad `\\x` escape `"+shorten(string(b[:end+1]))+"` in "+what+": expected hex digits and `;`, as in \\x41;")
		}
		if !validScalar(n) {
			return 0, 0, r.errorAt(off, "bad `\\x` escape `"+shorten(string(b[:end+1]))+"` in "+what+": not a Unicode scalar value")
		}
		return rune(n), end + 1, nil
	case ' ', '\t', '\n', '\r':
		if what == "string" {
			// Line continuation: \ intraline-space* newline intraline-space*.
			i := 1
			for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
				i++
			}
			if i < len(b) && b[i] == '\r' {
				i++
			}
			if i < len(b) && b[i] == '\n' {
				i++
				for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
					i++
				}
				return -1, i, nil
			}
		}
	}
	_, size := utf8.DecodeRune(b[1:])
	return 0, 0, r.errorAt(off, "unknown escape `\\"+shorten(string(b[1:1+size]))+"` in "+what+`: expected one of \a \b \t \n \r \" \\ \| \xHH; or \ at the end of a line`)
}

func validScalar(n uint64) bool {
	return n <= 0x10FFFF && (n < 0xD800 || n > 0xDFFF)
}

// readString reads a string literal starting at the opening quote.
func (r *Reader) readString() (Value, error) {
	start := r.pos
	startPos := r.posAt(start)
	r.pos++
	// First find the closing quote, skipping escaped characters, so the
	// escape decoder sees a complete string.
	escapes := false
	for {
		if !r.more() {
			return nil, r.incompleteAt(r.pos, "unterminated string (started at "+startPos.LineCol()+"): expected `\"`")
		}
		i := indexQuoteOrBackslash(r.buf[r.pos:])
		if i < 0 {
			r.pos = len(r.buf)
			continue
		}
		r.pos += i
		if r.buf[r.pos] == '"' {
			break
		}
		escapes = true
		r.pos++
		if !r.more() {
			return nil, r.incompleteAt(r.pos, "unterminated string (started at "+startPos.LineCol()+"): expected `\"`")
		}
		r.pos++
	}
	body := r.buf[start+1 : r.pos]
	r.pos++
	if !escapes {
		return NewString(validUTF8(string(body))), nil
	}
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); {
		j := bytes.IndexByte(body[i:], '\\')
		if j < 0 {
			out = append(out, validUTF8(string(body[i:]))...)
			break
		}
		out = append(out, validUTF8(string(body[i:i+j]))...)
		i += j
		c, n, err := r.escape(body[i:], start+1+i, "string")
		if err != nil {
			return nil, err
		}
		if c >= 0 {
			out = utf8.AppendRune(out, c)
		}
		i += n
	}
	return NewString(string(out)), nil
}

func indexQuoteOrBackslash(b []byte) int {
	for i, c := range b {
		if c == '"' || c == '\\' {
			return i
		}
	}
	return -1
}

var (
	symQuote                  = Intern("quote")
	symQuasiquote             = Intern("quasiquote")
	symUnquote                = Intern("unquote")
	symUnquoteSplicing        = Intern("unquote-splicing")
	symGexp                   = Intern("gexp")
	symUngexp                 = Intern("ungexp")
	symUngexpSplicing         = Intern("ungexp-splicing")
	symUngexpNative           = Intern("ungexp-native")
	symUngexpNativeSplicing   = Intern("ungexp-native-splicing")
	symSyntax                 = Intern("syntax")
	symQuasisyntax            = Intern("quasisyntax")
	symUnsyntax               = Intern("unsyntax")
	symUnsyntaxSplicing       = Intern("unsyntax-splicing")
	hashSyntaxExpected        = "expected one of #t #f #\\ #( #u8( #: #; #| #! #~ #$ #+ #' #` #, #x #b #o #d #e #i or a datum label #0= #0#"
	errUnexpectedEndAfterHash = "unexpected end of input after `#`: " + hashSyntaxExpected
)

// lexHash reads a token that starts with '#'.
func (r *Reader) lexHash() (tokenKind, Value, error) {
	start := r.pos
	c := r.peekAt(1)
	if c < 0 {
		r.pos++
		return tEOF, nil, r.incompleteAt(start, errUnexpectedEndAfterHash)
	}
	switch c {
	case '(':
		r.pos += 2
		return tVectorOpen, nil, nil
	case ';':
		r.pos += 2
		return tDatumComment, nil, nil
	case '\\':
		v, err := r.readChar()
		return tDatum, v, err
	case ':':
		r.pos += 2
		nameStart := r.pos
		bars, err := r.scanToken()
		if err != nil {
			return tEOF, nil, err
		}
		if r.pos == nameStart {
			return tEOF, nil, r.errorAt(start, "bad keyword `#:`: expected a name after `#:`")
		}
		name := r.fold(string(r.buf[nameStart:r.pos]))
		if bars {
			if name, err = r.symbolName(nameStart, r.buf[nameStart:r.pos]); err != nil {
				return tEOF, nil, err
			}
		}
		return tDatum, InternKeyword(validUTF8(name)), nil
	case '~':
		r.pos += 2
		return tPrefix, symGexp, nil
	case '$':
		r.pos += 2
		if r.peekAt(0) == '@' {
			r.pos++
			return tPrefix, symUngexpSplicing, nil
		}
		return tPrefix, symUngexp, nil
	case '+':
		r.pos += 2
		if r.peekAt(0) == '@' {
			r.pos++
			return tPrefix, symUngexpNativeSplicing, nil
		}
		return tPrefix, symUngexpNative, nil
	case '\'':
		r.pos += 2
		return tPrefix, symSyntax, nil
	case '`':
		r.pos += 2
		return tPrefix, symQuasisyntax, nil
	case ',':
		r.pos += 2
		if r.peekAt(0) == '@' {
			r.pos++
			return tPrefix, symUnsyntaxSplicing, nil
		}
		return tPrefix, symUnsyntax, nil
	case '!':
		return r.lexDirective()
	case '{':
		return r.lexBraceSymbol()
	}
	if c >= '0' && c <= '9' {
		return r.lexLabel()
	}
	// The rest are tokens up to a delimiter: booleans, #u8(, numbers.
	r.pos++
	if _, err := r.scanToken(); err != nil {
		return tEOF, nil, err
	}
	tok := string(r.buf[start:r.pos])
	lower := strings.ToLower(tok)
	switch lower {
	case "#t", "#true":
		return tDatum, True, nil
	case "#f", "#false":
		return tDatum, False, nil
	case "#u8":
		if r.peekAt(0) == '(' {
			r.pos++
			return tBytesOpen, nil, nil
		}
	}
	switch c | 0x20 {
	case 'x', 'b', 'o', 'd', 'e', 'i':
		if v, ok := ParseNumber(tok, 10); ok {
			return tDatum, v, nil
		}
		return tEOF, nil, r.errorAt(start, "bad number `"+shorten(tok)+"`")
	}
	return tEOF, nil, r.errorAt(start, "bad `#` syntax `"+shorten(tok)+"`: "+hashSyntaxExpected)
}

func shorten(s string) string {
	s = validUTF8(s)
	if len(s) > 40 {
		i := 40
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		return s[:i] + "..."
	}
	return s
}

// charNamesRead maps the character names the reader accepts.
var charNamesRead = map[string]rune{
	"null": 0, "nul": 0, "alarm": 7, "backspace": 8, "tab": 9,
	"newline": 10, "linefeed": 10, "nl": 10, "vtab": 11, "page": 12,
	"return": 13, "escape": 27, "esc": 27, "space": 32,
	"delete": 0x7f, "del": 0x7f, "rubout": 0x7f,
}

// readChar reads a #\ character literal.
func (r *Reader) readChar() (Value, error) {
	start := r.pos
	r.pos += 2
	if !r.more() {
		return nil, r.incompleteAt(start, "unexpected end of input after `#\\`: expected a character")
	}
	first, size := utf8.DecodeRune(r.buf[r.pos:])
	for size == 1 && first == utf8.RuneError && len(r.buf)-r.pos < utf8.UTFMax && r.fill() {
		first, size = utf8.DecodeRune(r.buf[r.pos:])
	}
	r.pos += size
	nameStart := r.pos - size
	if _, err := r.scanToken(); err != nil {
		return nil, err
	}
	if r.pos == nameStart+size {
		return Char(first), nil
	}
	name := string(r.buf[nameStart:r.pos])
	if (name[0] == 'x' || name[0] == 'X') && len(name) > 1 {
		if n, err := strconv.ParseUint(name[1:], 16, 32); err == nil {
			if !validScalar(n) {
				return nil, r.errorAt(start, "bad character `#\\"+shorten(name)+"`: not a Unicode scalar value")
			}
			return Char(rune(n)), nil
		}
	}
	lookup := name
	if r.foldCase {
		lookup = strings.ToLower(name)
	}
	if c, ok := charNamesRead[lookup]; ok {
		return Char(c), nil
	}
	return nil, r.errorAt(start, "unknown character name `#\\"+shorten(name)+"`: expected one character, a name such as #\\space #\\newline #\\tab, or #\\x41")
}

// lexDirective reads #!fold-case, #!no-fold-case, #!eof, or a
// #! ... !# comment such as a script header.
func (r *Reader) lexDirective() (tokenKind, Value, error) {
	start := r.pos
	r.pos += 2
	nameStart := r.pos
	for r.more() && !isDelimiter(r.buf[r.pos]) && r.buf[r.pos] != '/' {
		r.pos++
	}
	name := string(r.buf[nameStart:r.pos])
	switch strings.ToLower(name) {
	case "fold-case":
		r.FoldCase(true)
		return tEOF, nil, errDirective
	case "no-fold-case":
		r.FoldCase(false)
		return tEOF, nil, errDirective
	case "eof":
		return tDatum, EOF, nil
	case "r6rs", "r7rs":
		return tEOF, nil, errDirective
	}
	atFileStart := r.dropped+start == 0
	if !atFileStart && name != "" {
		return tEOF, nil, r.errorAt(start, "unknown reader directive `#!"+shorten(name)+"`: expected #!fold-case, #!no-fold-case, #!eof, or a `#! ... !#` comment")
	}
	// A #! ... !# comment, as Guile's script headers use.
	startPos := r.posAt(start)
	for {
		if !r.more() {
			if atFileStart {
				// A plain Unix "#!" line without "!#": skip that line only.
				if i := bytes.IndexByte(r.buf[start:], '\n'); i >= 0 {
					r.pos = start + i
				}
				return tEOF, nil, errDirective
			}
			return tEOF, nil, r.incompleteAt(r.pos, "unterminated `#!` comment (started at "+startPos.LineCol()+"): expected `!#`")
		}
		if r.buf[r.pos] == '!' && r.peekAt(1) == '#' {
			r.pos += 2
			return tEOF, nil, errDirective
		}
		r.pos++
	}
}

// lexBraceSymbol reads Guile's #{...}# symbol syntax.
func (r *Reader) lexBraceSymbol() (tokenKind, Value, error) {
	start := r.pos
	r.pos += 2
	nameStart := r.pos
	for {
		if !r.more() {
			return tEOF, nil, r.incompleteAt(r.pos, "unterminated `#{` symbol: expected `}#`")
		}
		if r.buf[r.pos] == '}' && r.peekAt(1) == '#' {
			name := string(r.buf[nameStart:r.pos])
			r.pos += 2
			return tDatum, Intern(validUTF8(name)), nil
		}
		if r.buf[r.pos] == '\\' {
			r.pos++
			if !r.more() {
				continue
			}
		}
		r.pos++
		_ = start
	}
}

// lexLabel reads a datum label definition #n= or reference #n#.
func (r *Reader) lexLabel() (tokenKind, Value, error) {
	start := r.pos
	r.pos++
	n := 0
	for r.more() && r.buf[r.pos] >= '0' && r.buf[r.pos] <= '9' {
		if n < 1<<30 {
			n = n*10 + int(r.buf[r.pos]-'0')
		}
		r.pos++
	}
	if r.more() {
		switch r.buf[r.pos] {
		case '=':
			r.pos++
			return tLabelDef, MakeInt(int64(n)), nil
		case '#':
			r.pos++
			return tLabelRef, MakeInt(int64(n)), nil
		}
	}
	r.scanToken()
	return tEOF, nil, r.errorAt(start, "bad datum label `"+shorten(string(r.buf[start:r.pos]))+"`: expected #n= or #n#")
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

var _ io.RuneScanner = (*strings.Reader)(nil)
