package lang

import (
	"io"
	"strconv"
)

// ReadError is a syntax error in Scheme text: where it is and what was
// expected. Error() gives "file:line:col: message".
type ReadError struct {
	Pos Pos
	Msg string
	// Incomplete is set when the text ended inside a datum (an open list,
	// string, comment...), so a REPL knows to ask for more lines.
	Incomplete bool
}

func (e *ReadError) Error() string { return e.Pos.String() + ": " + e.Msg }

// IsIncomplete reports whether err is a ReadError caused by the input
// ending inside a datum.
func IsIncomplete(err error) bool {
	re, ok := err.(*ReadError)
	return ok && re.Incomplete
}

// Reader reads data from Scheme text, one datum per Read. It never
// panics and never recurses on nesting: open lists live on an explicit
// stack, so deeply nested input costs heap, not Go stack.
type Reader struct {
	src  *Source
	buf  []byte
	pos  int
	port io.RuneScanner // nil when reading an in-memory text
	// portErr is the error that ended reading from port (io.EOF at the end).
	portErr     error
	lastRuneLen int // size of the last rune taken from port

	trackOff  int   // byte offset where line and col were last computed
	dropped   int   // bytes of port input dropped from buf before buf[0]
	line, col int32 // position of trackOff

	foldCase bool
	datumPos Pos                    // where the datum being read, or last read, starts
	syms     *[symCacheSize]*Symbol // recently read symbols, by a hash of their name

	stack  []frame
	items  []Value // elements of the open vectors, innermost last
	bytes  []byte  // elements of the open bytevectors
	labels map[int]Value

	pairs     []Pair // a block the next pairs are taken from
	nextBlock int    // the size of the next block
}

// maxPairBlock is how many pairs the reader allocates at once, at most.
// Reading is mostly making pairs, and taking them from blocks costs one
// allocation per block instead of one per pair. A block lives as long as
// any of its pairs, which for code read once is as long as the program;
// blocks start small and double, so that a reader used for one small
// datum (a string port read once) keeps no more than it made.
const maxPairBlock = 64

func (r *Reader) newPair(car, cdr Value, pos Pos) *Pair {
	if len(r.pairs) == 0 {
		r.nextBlock = min(max(2*r.nextBlock, 4), maxPairBlock)
		r.pairs = make([]Pair, r.nextBlock)
	}
	p := &r.pairs[0]
	r.pairs = r.pairs[1:]
	p.Car, p.Cdr, p.Pos = car, cdr, pos
	return p
}

type frameKind uint8

const (
	fList frameKind = iota
	fVector
	fBytes
	fPrefix  // waiting for the datum after ' ` , #~ ...
	fComment // waiting for the datum after #; to discard it
	fLabel   // waiting for the datum after #n=
)

type frame struct {
	kind       frameKind
	close      byte // ) or ] for lists
	dot        uint8
	pos        Pos
	head, tail *Pair
	start      int               // fVector, fBytes: index of the first element in items/bytes
	sym        *Symbol           // fPrefix
	label      int               // fLabel
	ph         *labelPlaceholder // fLabel
}

// dot states of a list frame
const (
	noDot    = 0
	dotSeen  = 1 // after ".", waiting for the tail
	tailRead = 2 // tail read, waiting for the closer
)

// NewReader returns a reader over text, which it does not copy or
// modify. src names the text in positions and errors.
func NewReader(src *Source, text []byte) *Reader {
	return &Reader{src: src, buf: text, line: 1, col: 1}
}

// NewPortReader returns a reader that takes characters from rs as it
// needs them. Each Read consumes exactly one datum: the character after
// a symbol or number that ends it is given back with UnreadRune, so rs
// can be shared with other consumers (read-line after read, a REPL).
func NewPortReader(src *Source, rs io.RuneScanner) *Reader {
	return &Reader{src: src, port: rs, line: 1, col: 1}
}

// StartAtLine makes the reader number lines from line instead of 1, for
// text that continues a longer one, such as the inputs of a REPL session.
// Call it before the first Read.
func (r *Reader) StartAtLine(line int) { r.line = int32(line) }

// ReadAll reads every datum of text.
func ReadAll(src *Source, text []byte) ([]Value, error) {
	r := NewReader(src, text)
	var out []Value
	for {
		v, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
}

// ReadString reads the single datum of text; it is an error for text to
// hold none or more than one.
func ReadString(src *Source, text string) (Value, error) {
	r := NewReader(src, []byte(text))
	v, err := r.Read()
	if err == io.EOF {
		return nil, &ReadError{Pos: r.posAt(r.pos), Msg: "expected a datum, got end of input", Incomplete: true}
	}
	if err != nil {
		return nil, err
	}
	if _, err2 := r.Read(); err2 != io.EOF {
		if err2 != nil {
			return nil, err2
		}
		return nil, &ReadError{Pos: r.posAt(r.pos), Msg: "expected end of input after one datum"}
	}
	return v, nil
}

// Pos returns the position of the next character the reader will read.
func (r *Reader) Pos() Pos { return r.posAt(r.pos) }

// DatumPos is where the datum Read last returned starts: its first
// character, past the white space, comments and directives before it.
// Pairs carry their position; this is how an atom's is known.
func (r *Reader) DatumPos() Pos { return r.datumPos }

// FoldCase sets whether symbols and character names are case-folded, as
// #!fold-case and #!no-fold-case do.
func (r *Reader) FoldCase(on bool) {
	r.foldCase = on
}

// Read reads the next datum. At the end of the input it returns io.EOF
// (or the port's own read error); a syntax error is a *ReadError.
func (r *Reader) Read() (Value, error) {
	if r.port != nil {
		r.rebase()
	}
	v, err := r.read()
	r.stack = r.stack[:0]
	r.items = r.items[:0]
	r.bytes = r.bytes[:0]
	r.labels = nil
	if err != nil {
		if err == io.EOF && r.portErr != nil && r.portErr != io.EOF {
			return nil, r.portErr
		}
		return nil, err
	}
	r.unreadLookahead()
	return v, nil
}

// rebase drops the text of data already read from a port's buffer.
func (r *Reader) rebase() {
	r.posAt(r.pos)
	r.dropped += r.pos
	n := copy(r.buf, r.buf[r.pos:])
	r.buf = r.buf[:n]
	r.pos, r.trackOff = 0, 0
	if r.portErr == io.EOF {
		r.portErr = nil // a port at its end may get more later (a terminal)
	}
}

func (r *Reader) read() (Value, error) {
	for {
		kind, v, start, err := r.lex()
		if err != nil {
			return nil, err
		}
		var p Pos
		if kind != tEOF {
			p = r.posAt(start)
			if len(r.stack) == 0 && kind != tDatumComment {
				r.datumPos = p
			}
		}
		switch kind {
		case tEOF:
			return nil, r.eofError()
		case tOpen:
			close := byte(')')
			if r.buf[start] == '[' {
				close = ']'
			}
			r.stack = append(r.stack, frame{kind: fList, close: close, pos: p})
			continue
		case tVectorOpen:
			r.stack = append(r.stack, frame{kind: fVector, close: ')', pos: p, start: len(r.items)})
			continue
		case tBytesOpen:
			r.stack = append(r.stack, frame{kind: fBytes, close: ')', pos: p, start: len(r.bytes)})
			continue
		case tPrefix:
			r.stack = append(r.stack, frame{kind: fPrefix, pos: p, sym: v.(*Symbol)})
			continue
		case tDatumComment:
			r.stack = append(r.stack, frame{kind: fComment, pos: p})
			continue
		case tLabelDef:
			n := int(v.(Fixnum))
			if r.labels == nil {
				r.labels = map[int]Value{}
			}
			if _, dup := r.labels[n]; dup {
				return nil, &ReadError{Pos: p, Msg: "datum label `#" + strconv.Itoa(n) + "=` defined twice: expected a new label number"}
			}
			ph := &labelPlaceholder{n: n}
			r.labels[n] = ph
			r.stack = append(r.stack, frame{kind: fLabel, pos: p, label: n, ph: ph})
			continue
		case tLabelRef:
			n := int(v.(Fixnum))
			lv, ok := r.labels[n]
			if !ok {
				return nil, &ReadError{Pos: p, Msg: "undefined datum label `#" + strconv.Itoa(n) + "#`: expected a label defined earlier with #" + strconv.Itoa(n) + "="}
			}
			if ph, ok := lv.(*labelPlaceholder); ok {
				ph.used = true
			}
			v = lv
		case tDot:
			if len(r.stack) == 0 {
				return nil, &ReadError{Pos: p, Msg: "`.` in a bad place: expected it inside a list, between the last two data"}
			}
			top := &r.stack[len(r.stack)-1]
			if top.kind != fList || top.head == nil || top.dot != noDot {
				return nil, &ReadError{Pos: p, Msg: "`.` in a bad place: expected it inside a list, between the last two data"}
			}
			top.dot = dotSeen
			continue
		case tClose:
			closer := r.buf[start]
			if len(r.stack) == 0 {
				return nil, &ReadError{Pos: p, Msg: "unexpected `" + string(closer) + "`: no list is open"}
			}
			top := &r.stack[len(r.stack)-1]
			switch top.kind {
			case fPrefix, fComment, fLabel:
				return nil, &ReadError{Pos: p, Msg: "unexpected `" + string(closer) + "`: expected a datum after " + top.what() + " at " + top.pos.LineCol()}
			}
			if top.close != closer {
				return nil, &ReadError{Pos: p, Msg: "mismatched `" + string(closer) + "`: expected `" + string(top.close) + "` to close " + top.opener() + " opened at " + top.pos.LineCol()}
			}
			if top.dot == dotSeen {
				return nil, &ReadError{Pos: p, Msg: "`.` in a bad place: expected a datum between `.` and `" + string(closer) + "`"}
			}
			v, p = r.closeFrame(top), top.pos
			r.stack = r.stack[:len(r.stack)-1]
		}
		// A datum is complete: hand it to the innermost open frame.
		for delivered := false; !delivered; {
			if len(r.stack) == 0 {
				return v, nil
			}
			top := &r.stack[len(r.stack)-1]
			switch top.kind {
			case fList:
				switch top.dot {
				case dotSeen:
					top.tail.Cdr = v
					top.dot = tailRead
				case tailRead:
					return nil, &ReadError{Pos: p, Msg: "`.` in a bad place: expected `" + string(top.close) + "` after the datum following `.`"}
				default:
					if top.head == nil {
						top.head = r.newPair(v, Nil, top.pos)
						top.tail = top.head
					} else {
						np := r.newPair(v, Nil, p)
						top.tail.Cdr = np
						top.tail = np
					}
				}
				delivered = true
			case fVector:
				r.items = append(r.items, v)
				delivered = true
			case fBytes:
				n, ok := v.(Fixnum)
				if !ok || n < 0 || n > 255 {
					return nil, &ReadError{Pos: p, Msg: "bad bytevector element `" + shorten(WriteString(v)) + "`: expected an exact integer from 0 to 255"}
				}
				r.bytes = append(r.bytes, byte(n))
				delivered = true
			case fPrefix:
				v = r.newPair(top.sym, r.newPair(v, Nil, p), top.pos)
				p = top.pos
				r.stack = r.stack[:len(r.stack)-1]
			case fComment:
				r.stack = r.stack[:len(r.stack)-1]
				delivered = true
			case fLabel:
				ph := top.ph
				if v == Value(ph) {
					return nil, &ReadError{Pos: top.pos, Msg: "datum label `#" + strconv.Itoa(top.label) + "=` refers only to itself: expected a datum"}
				}
				r.labels[top.label] = v
				if ph.used {
					patchLabel(v, ph, v)
				}
				p = top.pos
				r.stack = r.stack[:len(r.stack)-1]
			}
		}
	}
}

// closeFrame builds the list, vector or bytevector of a frame being
// closed.
func (r *Reader) closeFrame(f *frame) Value {
	switch f.kind {
	case fVector:
		items := make([]Value, len(r.items)-f.start)
		copy(items, r.items[f.start:])
		clear(r.items[f.start:])
		r.items = r.items[:f.start]
		return &Vector{Items: items}
	case fBytes:
		b := make([]byte, len(r.bytes)-f.start)
		copy(b, r.bytes[f.start:])
		r.bytes = r.bytes[:f.start]
		return &Bytevector{Bytes: b}
	}
	if f.head == nil {
		return Nil
	}
	return f.head
}

func (f *frame) opener() string {
	switch f.kind {
	case fVector:
		return "`#(`"
	case fBytes:
		return "`#u8(`"
	}
	if f.close == ']' {
		return "`[`"
	}
	return "`(`"
}

func (f *frame) what() string {
	switch f.kind {
	case fComment:
		return "`#;`"
	case fLabel:
		return "`#" + strconv.Itoa(f.label) + "=`"
	}
	return "`" + prefixText[f.sym] + "`"
}

var prefixText = map[*Symbol]string{
	symQuote: "'", symQuasiquote: "`", symUnquote: ",", symUnquoteSplicing: ",@",
	symGexp: "#~", symUngexp: "#$", symUngexpSplicing: "#$@",
	symUngexpNative: "#+", symUngexpNativeSplicing: "#+@",
	symSyntax: "#'", symQuasisyntax: "#`", symUnsyntax: "#,", symUnsyntaxSplicing: "#,@",
}

// eofError is the error for the end of input inside the innermost open
// frame, or io.EOF when none is open.
func (r *Reader) eofError() error {
	if len(r.stack) == 0 {
		return io.EOF
	}
	top := &r.stack[len(r.stack)-1]
	var msg string
	switch top.kind {
	case fList:
		msg = "unterminated list: expected `" + string(top.close) + "` to close " + top.opener() + " opened at " + top.pos.LineCol()
	case fVector:
		msg = "unterminated vector: expected `)` to close `#(` opened at " + top.pos.LineCol()
	case fBytes:
		msg = "unterminated bytevector: expected `)` to close `#u8(` opened at " + top.pos.LineCol()
	default:
		msg = "unexpected end of input: expected a datum after " + top.what() + " at " + top.pos.LineCol()
	}
	return r.incompleteAt(r.pos, msg)
}

// labelPlaceholder stands for a datum label's value while that datum is
// still being read (#0=(a . #0#)); patchLabel replaces it afterwards.
type labelPlaceholder struct {
	n    int
	used bool
}

func (*labelPlaceholder) TypeName() string { return "datum label" }

// patchLabel replaces ph by v everywhere inside root's pairs and vectors.
func patchLabel(root Value, ph *labelPlaceholder, v Value) {
	seen := map[Value]bool{}
	stack := []Value{root}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[x] {
			continue
		}
		switch c := x.(type) {
		case *Pair:
			seen[x] = true
			if c.Car == Value(ph) {
				c.Car = v
			} else {
				stack = append(stack, c.Car)
			}
			if c.Cdr == Value(ph) {
				c.Cdr = v
			} else {
				stack = append(stack, c.Cdr)
			}
		case *Vector:
			seen[x] = true
			for i, it := range c.Items {
				if it == Value(ph) {
					c.Items[i] = v
				} else {
					stack = append(stack, it)
				}
			}
		}
	}
}
