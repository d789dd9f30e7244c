package frontend

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"fruix.dev/fruix/lang"
)

// LastFormPos is where the last top-level expression of a program starts,
// "name:line:col", for an error about the value it computed; "" when text
// does not read or holds no expression.
//
// The reader positions pairs only, so a last expression that is an atom
// (a constant, a variable, a string, a vector) is found by starting
// where the reader stood after the expression before it and skipping,
// as the reader does, white space, comments and directives.
func LastFormPos(name string, text []byte) string {
	src := &lang.Source{Name: name}
	r := lang.NewReader(src, text)
	var last lang.Value
	var before lang.Pos // where the reader stood before reading last
	for {
		at := r.Pos()
		v, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return ""
		}
		last, before = v, at
	}
	if last == nil {
		return ""
	}
	if p, ok := last.(*lang.Pair); ok && p.Pos.Known() {
		return p.Pos.String()
	}
	start := datumStart(text, offsetOf(text, 0, before))
	return posOf(src, text, start).String()
}

// datumStart is the offset of the first datum at or after off: past
// white space, ; and #| |# comments, #; datum comments, and #!
// directives and script headers.
func datumStart(text []byte, off int) int {
	for off < len(text) {
		c := text[off]
		var next byte
		if off+1 < len(text) {
			next = text[off+1]
		}
		switch {
		case isSpace(c):
			off++
		case c == ';':
			if i := bytes.IndexByte(text[off:], '\n'); i >= 0 {
				off += i
			} else {
				off = len(text)
			}
		case c == '#' && next == '|':
			off = blockCommentEnd(text, off)
		case c == '#' && next == ';':
			off = datumEnd(text, off+2)
		case c == '#' && next == '!':
			end, skipped := directiveEnd(text, off)
			if !skipped {
				return off
			}
			off = end
		default:
			return off
		}
	}
	return off
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// blockCommentEnd is the offset just past the nested #| ... |# comment
// at off.
func blockCommentEnd(text []byte, off int) int {
	depth := 0
	for off+1 < len(text) {
		switch {
		case text[off] == '#' && text[off+1] == '|':
			depth++
			off += 2
		case text[off] == '|' && text[off+1] == '#':
			depth--
			off += 2
			if depth == 0 {
				return off
			}
		default:
			off++
		}
	}
	return len(text)
}

// datumEnd is the offset just past the datum that follows from, as the
// reader reads it (with the comments before it).
func datumEnd(text []byte, from int) int {
	r := lang.NewReader(&lang.Source{}, text[from:])
	if _, err := r.Read(); err != nil {
		return len(text)
	}
	return offsetOf(text, from, r.Pos())
}

// directiveEnd is the offset just past the #! directive or comment at
// off, and whether it is one: #!fold-case, #!no-fold-case, #!r6rs and
// #!r7rs are; #!eof is a datum; anything else is a `#! ... !#` comment,
// or at the start of the text a script header that may end with its
// line instead.
func directiveEnd(text []byte, off int) (int, bool) {
	nameStart := off + 2
	nameEnd := nameStart
	for nameEnd < len(text) && !isDelimiter(text[nameEnd]) && text[nameEnd] != '/' {
		nameEnd++
	}
	switch strings.ToLower(string(text[nameStart:nameEnd])) {
	case "fold-case", "no-fold-case", "r6rs", "r7rs":
		return nameEnd, true
	case "eof":
		return off, false
	}
	if i := bytes.Index(text[nameEnd:], []byte("!#")); i >= 0 {
		return nameEnd + i + 2, true
	}
	if i := bytes.IndexByte(text[off:], '\n'); i >= 0 && off == 0 {
		return off + i, true
	}
	return len(text), true
}

func isDelimiter(c byte) bool {
	return isSpace(c) || strings.IndexByte("()[]\";", c) >= 0
}

// offsetOf is the offset in text of p, a position counted by a reader
// that started at offset base: lines by newlines, columns in runes.
func offsetOf(text []byte, base int, p lang.Pos) int {
	off := base
	for line := int32(1); line < p.Line; line++ {
		i := bytes.IndexByte(text[off:], '\n')
		if i < 0 {
			return len(text)
		}
		off += i + 1
	}
	for col := int32(1); col < p.Col && off < len(text); col++ {
		_, size := utf8.DecodeRune(text[off:])
		off += size
	}
	return off
}

// posOf is the position of offset off in text, counted as the reader
// counts it.
func posOf(src *lang.Source, text []byte, off int) lang.Pos {
	lineStart := bytes.LastIndexByte(text[:off], '\n') + 1
	return lang.Pos{
		Src:  src,
		Line: int32(1 + bytes.Count(text[:lineStart], []byte{'\n'})),
		Col:  int32(1 + utf8.RuneCount(text[lineStart:off])),
	}
}
