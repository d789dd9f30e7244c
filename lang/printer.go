package lang

import (
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable is implemented by value types defined outside this package
// (procedures, records, hash tables, ports...) to print themselves.
// write is true for `write` and false for `display`; nested values go
// through p.Print so that they print in the same mode.
type Printable interface {
	PrintScheme(p *Printer, write bool)
}

// Printer renders values for `write` and `display`. Types outside this
// package print through Printable.
type Printer struct {
	buf    []byte
	write  bool
	labels map[Value]int // cycle members needing a datum label; -1 until first printed
	next   int           // next datum label number
	depth  int           // nesting of Printable values, to stop runaway records
	nest   int           // nesting of lists and vectors
	// covered is set while printing inside a pair or vector whose cycles
	// were already looked for; Printable values reset it, since the
	// search does not look inside them.
	covered bool
	shared  bool // label all shared structure (write-shared)
	simple  bool // no labels at all (write-simple)
}

// maxPrintableDepth bounds nesting through Printable values, whose
// contents the cycle detection cannot see.
const maxPrintableDepth = 10000

// maxNesting bounds how deeply lists and vectors nest inside each other
// (through their elements; long lists cost nothing) before the printer
// gives up on the inner part: the printer recurses on elements, and Go
// stacks are limited to 1 GB. A variable so that tests can lower it.
var maxNesting = 1000000

// Write writes v to w as `write` does: strings and chars in their
// external syntax, circular structures with datum labels.
func Write(w io.Writer, v Value) error {
	_, err := w.Write(AppendWrite(nil, v))
	return err
}

// Display writes v to w as `display` does: strings and chars as their
// contents.
func Display(w io.Writer, v Value) error {
	_, err := w.Write(AppendDisplay(nil, v))
	return err
}

// WriteString returns v as `write` prints it.
func WriteString(v Value) string { return string(AppendWrite(nil, v)) }

// DisplayString returns v as `display` prints it.
func DisplayString(v Value) string { return string(AppendDisplay(nil, v)) }

// AppendWrite appends v as `write` prints it to b.
func AppendWrite(b []byte, v Value) []byte { return appendValue(b, v, true) }

// AppendWriteShared appends v as `write-shared` prints it: every pair
// and vector reached more than once gets a datum label, not only cycles.
func AppendWriteShared(b []byte, v Value) []byte {
	p := &Printer{buf: b, write: true, shared: true}
	p.Print(v)
	return p.buf
}

// AppendWriteSimple appends v as `write-simple` prints it: without datum
// labels, so it does not terminate on circular structures.
func AppendWriteSimple(b []byte, v Value) []byte {
	p := &Printer{buf: b, write: true, simple: true, covered: true}
	p.Print(v)
	return p.buf
}

// AppendDisplay appends v as `display` prints it to b.
func AppendDisplay(b []byte, v Value) []byte { return appendValue(b, v, false) }

func appendValue(b []byte, v Value, write bool) []byte {
	// Atoms print directly, without setting up a Printer.
	switch x := v.(type) {
	case Fixnum:
		return strconv.AppendInt(b, int64(x), 10)
	case *String:
		if !write {
			return append(b, x.String()...)
		}
		return appendQuoted(b, x.String())
	case *Symbol:
		if !write {
			return append(b, x.Name...)
		}
		return appendSymbol(b, x.Name)
	}
	p := &Printer{buf: b, write: write}
	p.Print(v)
	return p.buf
}

// WriteRaw appends text as it is.
func (p *Printer) WriteRaw(s string) { p.buf = append(p.buf, s...) }

// Writing reports whether the printer is in `write` mode.
func (p *Printer) Writing() bool { return p.write }

// Print prints the nested value v in the printer's mode.
func (p *Printer) Print(v Value) {
	switch x := v.(type) {
	case Fixnum:
		p.buf = strconv.AppendInt(p.buf, int64(x), 10)
	case *Bignum, *Ratnum, Flonum:
		p.buf = appendNumber(p.buf, x)
	case *Null:
		p.buf = append(p.buf, "()"...)
	case Boolean:
		if x {
			p.buf = append(p.buf, "#t"...)
		} else {
			p.buf = append(p.buf, "#f"...)
		}
	case *Symbol:
		if p.write {
			p.buf = appendSymbol(p.buf, x.Name)
		} else {
			p.buf = append(p.buf, x.Name...)
		}
	case *Keyword:
		p.buf = append(p.buf, "#:"...)
		if p.write {
			p.buf = appendSymbol(p.buf, x.Name)
		} else {
			p.buf = append(p.buf, x.Name...)
		}
	case *String:
		if p.write {
			p.buf = appendQuoted(p.buf, x.String())
		} else {
			p.buf = append(p.buf, x.String()...)
		}
	case Char:
		if p.write {
			p.buf = appendChar(p.buf, rune(x))
		} else {
			p.buf = utf8.AppendRune(p.buf, rune(x))
		}
	case *Pair:
		if !p.covered {
			p.printCovered(x)
			return
		}
		if p.nest >= maxNesting {
			p.buf = append(p.buf, "#<nested too deeply>"...)
			return
		}
		p.nest++
		p.printList(x)
		p.nest--
	case *Vector:
		if !p.covered {
			p.printCovered(x)
			return
		}
		if p.nest >= maxNesting {
			p.buf = append(p.buf, "#<nested too deeply>"...)
			return
		}
		if p.label(x) {
			return
		}
		p.nest++
		p.buf = append(p.buf, "#("...)
		for i, it := range x.Items {
			if i > 0 {
				p.buf = append(p.buf, ' ')
			}
			p.Print(it)
		}
		p.buf = append(p.buf, ')')
		p.nest--
	case *Bytevector:
		p.buf = append(p.buf, "#u8("...)
		for i, c := range x.Bytes {
			if i > 0 {
				p.buf = append(p.buf, ' ')
			}
			p.buf = strconv.AppendInt(p.buf, int64(c), 10)
		}
		p.buf = append(p.buf, ')')
	case *Unspecified:
		p.buf = append(p.buf, "#<unspecified>"...)
	case *EOFObject:
		p.buf = append(p.buf, "#<eof>"...)
	case Printable:
		if p.depth >= maxPrintableDepth {
			p.buf = append(p.buf, "#<...>"...)
			return
		}
		p.depth++
		covered := p.covered
		p.covered = p.simple
		x.PrintScheme(p, p.write)
		p.covered = covered
		p.depth--
	case Named:
		p.buf = append(p.buf, "#<"...)
		p.buf = append(p.buf, x.TypeName()...)
		p.buf = append(p.buf, '>')
	case nil:
		p.buf = append(p.buf, "#<nil>"...)
	default:
		p.buf = append(p.buf, "#<unknown>"...)
	}
}

// printCovered looks for the cycles of the pair or vector v, then prints
// it.
func (p *Printer) printCovered(v Value) {
	if cycles := findCycles(v, p.shared); cycles != nil {
		if p.labels == nil {
			p.labels = cycles
		} else {
			for k, n := range cycles {
				if _, ok := p.labels[k]; !ok {
					p.labels[k] = n
				}
			}
		}
	}
	p.covered = true
	p.Print(v)
	p.covered = false
}

// label prints a datum label for a cycle member: "#n=" before its first
// printing (returning false so the caller prints it), "#n#" afterwards
// (returning true).
func (p *Printer) label(v Value) bool {
	if p.labels == nil {
		return false
	}
	n, ok := p.labels[v]
	if !ok {
		return false
	}
	if n >= 0 {
		p.buf = append(p.buf, '#')
		p.buf = strconv.AppendInt(p.buf, int64(n), 10)
		p.buf = append(p.buf, '#')
		return true
	}
	n = p.next
	p.next++
	p.labels[v] = n
	p.buf = append(p.buf, '#')
	p.buf = strconv.AppendInt(p.buf, int64(n), 10)
	p.buf = append(p.buf, '=')
	return false
}

// Abbreviates reports whether write prints a list of two elements
// headed by s in its abbreviated form: 'x, `x, ,x or ,@x.
func Abbreviates(s *Symbol) bool {
	_, ok := abbreviations[s]
	return ok
}

var abbreviations = map[*Symbol]string{
	Intern("quote"):            "'",
	Intern("quasiquote"):       "`",
	Intern("unquote"):          ",",
	Intern("unquote-splicing"): ",@",
}

func (p *Printer) printList(x *Pair) {
	if p.label(x) {
		return
	}
	if s, ok := x.Car.(*Symbol); ok {
		if rest, ok := x.Cdr.(*Pair); ok && rest.Cdr == Nil && (p.labels == nil || !p.isLabelled(rest)) {
			if abbr, ok := abbreviations[s]; ok {
				p.buf = append(p.buf, abbr...)
				if sym, ok := rest.Car.(*Symbol); ok && abbr == "," && strings.HasPrefix(sym.Name, "@") {
					p.buf = append(p.buf, ' ') // ,@x would read as unquote-splicing
				}
				p.Print(rest.Car)
				return
			}
		}
	}
	p.buf = append(p.buf, '(')
	p.Print(x.Car)
	for {
		switch t := x.Cdr.(type) {
		case *Null:
			p.buf = append(p.buf, ')')
			return
		case *Pair:
			if p.isLabelled(t) {
				p.buf = append(p.buf, " . "...)
				p.Print(t)
				p.buf = append(p.buf, ')')
				return
			}
			p.buf = append(p.buf, ' ')
			p.Print(t.Car)
			x = t
		default:
			p.buf = append(p.buf, " . "...)
			p.Print(t)
			p.buf = append(p.buf, ')')
			return
		}
	}
}

func (p *Printer) isLabelled(v Value) bool {
	if p.labels == nil {
		return false
	}
	_, ok := p.labels[v]
	return ok
}

func mayBeCircular(v Value) bool {
	switch v.(type) {
	case *Pair, *Vector:
		return true
	}
	return false
}

// findCycles returns the pairs and vectors that are reached again while
// they are being walked (the targets of back edges), which are exactly
// the ones `write` must label; with shared, also those reached again by
// another path. A bounded walk first proves most data acyclic without
// allocating a visited set.
func findCycles(root Value, shared bool) map[Value]int {
	if !shared && finiteWithin(root, 100000) {
		return nil
	}
	const (
		unseen = iota
		active
		done
	)
	state := map[Value]int{}
	labels := map[Value]int{}
	type frame struct {
		v     Value
		next  int // next child index
		after bool
	}
	children := func(v Value, i int) (Value, bool) {
		switch x := v.(type) {
		case *Pair:
			switch i {
			case 0:
				return x.Car, true
			case 1:
				return x.Cdr, true
			}
		case *Vector:
			if i < len(x.Items) {
				return x.Items[i], true
			}
		}
		return nil, false
	}
	stack := []frame{{v: root}}
	state[root] = active
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		c, ok := children(top.v, top.next)
		if !ok {
			state[top.v] = done
			stack = stack[:len(stack)-1]
			continue
		}
		top.next++
		if !mayBeCircular(c) {
			continue
		}
		switch state[c] {
		case unseen:
			state[c] = active
			stack = append(stack, frame{v: c})
		case active:
			labels[c] = -1
		case done:
			if shared {
				labels[c] = -1
			}
		}
	}
	if len(labels) == 0 {
		return nil
	}
	return labels
}

// finiteWithin walks v's pairs and vectors and reports whether the walk
// ends within limit steps, which proves v has no cycle.
func finiteWithin(v Value, limit int) bool {
	var stack []Value
	for {
		switch x := v.(type) {
		case *Pair:
			if limit--; limit < 0 {
				return false
			}
			if mayBeCircular(x.Car) {
				stack = append(stack, x.Car)
			}
			v = x.Cdr
			continue
		case *Vector:
			if limit -= 1 + len(x.Items); limit < 0 {
				return false
			}
			for _, it := range x.Items {
				if mayBeCircular(it) {
					stack = append(stack, it)
				}
			}
		}
		if len(stack) == 0 {
			return true
		}
		v = stack[len(stack)-1]
		stack = stack[:len(stack)-1]
	}
}

// appendQuoted appends s as a string literal with R7RS escapes.
func appendQuoted(b []byte, s string) []byte {
	if plainASCII(s) { // the usual case: nothing to escape
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	b = append(b, '"')
	for _, r := range s {
		switch r {
		case '"':
			b = append(b, `\"`...)
		case '\\':
			b = append(b, `\\`...)
		case '\n':
			b = append(b, `\n`...)
		case '\t':
			b = append(b, `\t`...)
		case '\r':
			b = append(b, `\r`...)
		case '\a':
			b = append(b, `\a`...)
		case '\b':
			b = append(b, `\b`...)
		default:
			if r < 0x20 || r == 0x7f || (r >= 0x80 && !unicode.IsPrint(r) && r != utf8.RuneError) {
				b = appendHexEscape(b, r)
			} else {
				b = utf8.AppendRune(b, r)
			}
		}
	}
	return append(b, '"')
}

// plainASCII reports whether s is printable ASCII without quotes or
// backslashes, which a string literal holds as they are.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func appendHexEscape(b []byte, r rune) []byte {
	b = append(b, `\x`...)
	b = strconv.AppendInt(b, int64(r), 16)
	return append(b, ';')
}

// charNames maps characters to the names `write` uses for them.
var charNames = map[rune]string{
	0:    "null",
	7:    "alarm",
	8:    "backspace",
	9:    "tab",
	10:   "newline",
	13:   "return",
	27:   "escape",
	32:   "space",
	0x7f: "delete",
}

func appendChar(b []byte, r rune) []byte {
	b = append(b, `#\`...)
	if name, ok := charNames[r]; ok {
		return append(b, name...)
	}
	if r < 0x20 || (r >= 0x7f && !unicode.IsPrint(r)) {
		b = append(b, 'x')
		return strconv.AppendInt(b, int64(r), 16)
	}
	return utf8.AppendRune(b, r)
}

// appendSymbol appends a symbol's name, between bars with escapes when
// reading it back would otherwise give something else.
func appendSymbol(b []byte, name string) []byte {
	if !symbolNeedsBars(name) {
		return append(b, name...)
	}
	b = append(b, '|')
	for _, r := range name {
		switch {
		case r == '|':
			b = append(b, `\|`...)
		case r == '\\':
			b = append(b, `\\`...)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && !unicode.IsPrint(r)):
			b = appendHexEscape(b, r)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '|')
}

func symbolNeedsBars(name string) bool {
	if name == "" || name == "." {
		return true
	}
	if name[0] == '#' {
		return true
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c < utf8.RuneSelf {
			if isDelimiter(c) || c == '|' || c == '\'' || c == '`' || c == ',' || c == '\\' || c < 0x21 || c == 0x7f {
				return true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(name[i:])
		if !unicode.IsGraphic(r) || unicode.IsSpace(r) {
			return true
		}
		i += size - 1
	}
	if c := name[0]; !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
		return false // the reader takes only these for numbers
	}
	_, isNum := ParseNumber(name, 10)
	return isNum
}
