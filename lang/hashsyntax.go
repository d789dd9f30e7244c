package lang

// The syntax that starts with `#`.

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

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
	case "#u8", "#vu8": // #vu8( is Guile's and R6RS's spelling
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

// lexBraceSymbol reads Guile's #{...}# symbol syntax: the name is the
// text up to the first }#, as it is.
func (r *Reader) lexBraceSymbol() (tokenKind, Value, error) {
	startPos := r.posAt(r.pos)
	r.pos += 2
	nameStart := r.pos
	for {
		if !r.more() {
			return tEOF, nil, r.incompleteAt(r.pos, "unterminated `#{` symbol (started at "+startPos.LineCol()+"): expected `}#`")
		}
		if r.buf[r.pos] == '}' && r.peekAt(1) == '#' {
			name := string(r.buf[nameStart:r.pos])
			r.pos += 2
			return tDatum, Intern(validUTF8(name)), nil
		}
		r.pos++
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
