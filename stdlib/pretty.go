package stdlib

import (
	"strings"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// A pretty printer in the manner of Guile's (ice-9 pretty-print): a datum
// that does not fit in the width is broken over lines, the elements of a
// list aligned under the first argument, or indented by two for the
// definition and binding forms whose body matters more than their head.

// bodyParts says how many parts of the form named head stay on its first
// line, the rest being indented by two; ok is false for other heads. (A
// switch, not a map: nothing to build at start-up.)
func bodyParts(head string) (n int, ok bool) {
	switch head {
	case "define", "define*", "define-public", "define-syntax", "define-record-type",
		"define-module", "lambda", "lambda*", "let", "let*", "letrec", "letrec*",
		"when", "unless", "syntax-rules", "case", "let-values", "parameterize":
		return 1, true
	case "do":
		return 2, true
	case "with-exception-handler", "operating-system", "begin", "cond":
		return 0, true
	}
	return 0, false
}

// quoteAbbreviation is the prefix written for (quote x) and its kin, or "".
func quoteAbbreviation(head string) string {
	switch head {
	case "quote":
		return "'"
	case "quasiquote":
		return "`"
	case "unquote":
		return ","
	case "unquote-splicing":
		return ",@"
	}
	return ""
}

type prettyPrinter struct {
	b         strings.Builder
	width     int
	display   bool
	lineStart int // where in b the current line starts
	// widths holds the flat width of each list and vector measured, so
	// that a subtree is measured once, not again at every level above it:
	// measuredInProgress while it is being measured, reachesCycle when it
	// is or reaches a circular structure (which write prints with datum
	// labels, so its width is not the sum of its parts').
	widths map[lang.Value]int
	// breaking holds the circular lists and vectors being broken over
	// lines, so that one met again inside itself is written flat instead
	// of being broken forever.
	breaking map[lang.Value]bool
	// flattened counts the bytes flat has made, for tests.
	flattened int
}

const (
	measuredInProgress = -2
	reachesCycle       = -1
)

func (pp *prettyPrinter) flat(v lang.Value) string {
	var s string
	if pp.display {
		s = lang.DisplayString(v)
	} else {
		s = lang.WriteString(v)
	}
	pp.flattened += len(s)
	return s
}

// print writes v starting at column col.
func (pp *prettyPrinter) print(v lang.Value, col int) {
	switch x := v.(type) {
	case *lang.Pair, *lang.Vector:
		if pp.widths == nil {
			// Most data pretty-printed fits on a line: try that before
			// measuring anything.
			if flat := pp.flat(x); col+len(flat) <= pp.width {
				pp.write(flat)
				return
			}
		}
		if col+pp.flatWidth(x) <= pp.width {
			pp.write(pp.flat(x))
			return
		}
	default:
		pp.write(pp.flat(v))
		return
	}
	if pp.widths[v] == reachesCycle {
		if pp.breaking[v] {
			pp.write(pp.flat(v))
			return
		}
		if pp.breaking == nil {
			pp.breaking = map[lang.Value]bool{}
		}
		pp.breaking[v] = true
		defer delete(pp.breaking, v)
	}
	switch x := v.(type) {
	case *lang.Pair:
		items, tail, circular := lang.ListItems(x)
		if circular || !isNull(tail) {
			pp.write(pp.flat(x))
			return
		}
		if len(items) == 2 {
			if s, ok := items[0].(*lang.Symbol); ok {
				if prefix := quoteAbbreviation(s.Name); prefix != "" {
					pp.write(prefix)
					pp.print(items[1], col+len(prefix))
					return
				}
			}
		}
		pp.write("(")
		head, isSym := items[0].(*lang.Symbol)
		if n, ok := bodyParts(headName(head, isSym)); ok && len(items) > n+1 {
			// (define (f x)\n  body ...): the first n parts on the line.
			pp.write(head.Name)
			at := col + 1 + len(head.Name)
			for _, it := range items[1 : n+1] {
				pp.write(" ")
				pp.print(it, at+1)
				at = pp.column()
			}
			for _, it := range items[n+1:] {
				pp.newline(col + 2)
				pp.print(it, col+2)
			}
			pp.write(")")
			return
		}
		if isSym && len(items) > 1 && len(head.Name) < 12 {
			// (f a\n   b\n   c): arguments aligned after the operator.
			pp.write(head.Name + " ")
			at := col + 2 + len(head.Name)
			pp.print(items[1], at)
			for _, it := range items[2:] {
				pp.newline(at)
				pp.print(it, at)
			}
			pp.write(")")
			return
		}
		pp.print(items[0], col+1)
		for _, it := range items[1:] {
			pp.newline(col + 1)
			pp.print(it, col+1)
		}
		pp.write(")")
	case *lang.Vector:
		pp.write("#(")
		for i, it := range x.Items {
			if i > 0 {
				pp.newline(col + 2)
			}
			pp.print(it, col+2)
		}
		pp.write(")")
	}
}

// flatWidth is the length of the list or vector v written on one line.
func (pp *prettyPrinter) flatWidth(v lang.Value) int {
	if w := pp.measure(v); w != reachesCycle {
		return w
	}
	return len(pp.flat(v))
}

// measure returns the length of v written on one line, or reachesCycle.
// Each list and vector is measured once: its width is the sum of its
// elements' widths and the punctuation between them, which is what
// write prints for data without cycles.
func (pp *prettyPrinter) measure(v lang.Value) int {
	switch v.(type) {
	case *lang.Pair, *lang.Vector:
	default:
		return len(pp.flat(v))
	}
	if w, ok := pp.widths[v]; ok {
		if w == measuredInProgress {
			return reachesCycle // v contains itself
		}
		return w
	}
	if pp.widths == nil {
		pp.widths = map[lang.Value]int{}
	}
	pp.widths[v] = measuredInProgress
	var w int
	switch x := v.(type) {
	case *lang.Pair:
		w = pp.measureList(x)
	case *lang.Vector:
		w = pp.measureVector(x)
	}
	pp.widths[v] = w
	return w
}

// measureList measures a list as write prints it: 'x for (quote x) and
// its kin, (a b . c) for an improper list.
func (pp *prettyPrinter) measureList(p *lang.Pair) int {
	if s, ok := p.Car.(*lang.Symbol); ok && lang.Abbreviates(s) {
		if rest, ok := p.Cdr.(*lang.Pair); ok && rest.Cdr == lang.Value(lang.Nil) {
			w := pp.measure(rest.Car)
			if w == reachesCycle {
				return reachesCycle
			}
			prefix := quoteAbbreviation(s.Name)
			if sym, ok := rest.Car.(*lang.Symbol); ok && prefix == "," && strings.HasPrefix(sym.Name, "@") {
				w++ // write puts a space in , @x, which would read as ,@x
			}
			return len(prefix) + w
		}
	}
	w := pp.measure(p.Car)
	if w == reachesCycle {
		return reachesCycle
	}
	w++ // (
	slow, cells := lang.Value(p), 1
	for l := p.Cdr; ; {
		cell, ok := l.(*lang.Pair)
		if !ok {
			if isNull(l) {
				return w + 1 // )
			}
			tail := pp.measure(l)
			if tail == reachesCycle {
				return reachesCycle
			}
			return w + len(" . ") + tail + 1
		}
		item := pp.measure(cell.Car)
		if item == reachesCycle {
			return reachesCycle
		}
		w += 1 + item
		l = cell.Cdr
		cells++
		if cells&1 == 0 {
			slow = slow.(*lang.Pair).Cdr
			if slow == l {
				return reachesCycle // a circular list
			}
		}
	}
}

func (pp *prettyPrinter) measureVector(v *lang.Vector) int {
	w := len("#()")
	for i, it := range v.Items {
		item := pp.measure(it)
		if item == reachesCycle {
			return reachesCycle
		}
		if i > 0 {
			w++
		}
		w += item
	}
	return w
}

func headName(s *lang.Symbol, ok bool) string {
	if !ok {
		return ""
	}
	return s.Name
}

// write appends s to the output, following the line it ends on.
func (pp *prettyPrinter) write(s string) {
	pp.b.WriteString(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		pp.lineStart = pp.b.Len() - len(s) + i + 1
	}
}

func (pp *prettyPrinter) newline(col int) {
	pp.b.WriteString("\n")
	pp.lineStart = pp.b.Len()
	pp.b.WriteString(strings.Repeat(" ", col))
}

// column returns the column the output has reached.
func (pp *prettyPrinter) column() int { return pp.b.Len() - pp.lineStart }

// builtinPrettyPrint is (pretty-print obj [port] [#:width n] [#:display? b]).
func builtinPrettyPrint(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	pp := &prettyPrinter{width: 79}
	rest := args[1:]
	var portArgs []lang.Value
	if len(rest) > 0 {
		if _, isKeyword := rest[0].(*lang.Keyword); !isKeyword {
			portArgs, rest = rest[:1], rest[1:]
		}
	}
	for i := 0; i < len(rest); i += 2 {
		k, ok := rest[i].(*lang.Keyword)
		if !ok || i+1 >= len(rest) {
			return nil, procErrorf("pretty-print", "want keyword arguments #:width n or #:display? bool, got %s", lang.WriteString(rest[i]))
		}
		switch k.Name {
		case "width":
			n, ok := rest[i+1].(lang.Fixnum)
			if !ok || n < 1 {
				return nil, procErrorf("pretty-print", "#:width wants a positive integer, got %s", lang.WriteString(rest[i+1]))
			}
			pp.width = int(n)
		case "display?":
			pp.display = lang.IsTrue(rest[i+1])
		default:
			// Guile's other options (#:per-line-prefix, #:max-expr-width)
			// are accepted and ignored.
		}
	}
	p, err := outPort(th, "pretty-print", append([]lang.Value{args[0]}, portArgs...), 1)
	if err != nil {
		return nil, err
	}
	col := 0
	if !p.atLineStart {
		col = 1
	}
	pp.print(args[0], col)
	pp.b.WriteString("\n")
	return lang.Unspec, p.WriteString(pp.b.String())
}
