package lang

// String and character literals.

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

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
