package stdlib

import (
	"math/rand"
	"strings"
	"testing"

	"fruix.dev/fruix/lang"
)

// referencePrinter is pretty-print as it was before it measured each
// subtree once: it flattens every subtree again at each level, which is
// quadratic in depth but plainly right. The tests check that the printer
// writes exactly what it writes, on data without cycles.
type referencePrinter struct {
	b       strings.Builder
	width   int
	display bool
}

func (pp *referencePrinter) flat(v lang.Value) string {
	if pp.display {
		return lang.DisplayString(v)
	}
	return lang.WriteString(v)
}

func (pp *referencePrinter) print(v lang.Value, col int) {
	flat := pp.flat(v)
	if col+len(flat) <= pp.width {
		pp.b.WriteString(flat)
		return
	}
	switch x := v.(type) {
	case *lang.Pair:
		if listLength(x) < 0 {
			pp.b.WriteString(flat)
			return
		}
		items, _ := listToSlice("pretty-print", []lang.Value{x}, 0)
		if len(items) == 2 {
			if s, ok := items[0].(*lang.Symbol); ok {
				if prefix := quoteAbbreviation(s.Name); prefix != "" {
					pp.b.WriteString(prefix)
					pp.print(items[1], col+len(prefix))
					return
				}
			}
		}
		pp.b.WriteString("(")
		head, isSym := items[0].(*lang.Symbol)
		if n, ok := bodyParts(headName(head, isSym)); ok && len(items) > n+1 {
			pp.b.WriteString(head.Name)
			at := col + 1 + len(head.Name)
			for _, it := range items[1 : n+1] {
				pp.b.WriteString(" ")
				pp.print(it, at+1)
				at = pp.column()
			}
			for _, it := range items[n+1:] {
				pp.newline(col + 2)
				pp.print(it, col+2)
			}
			pp.b.WriteString(")")
			return
		}
		if isSym && len(items) > 1 && len(head.Name) < 12 {
			pp.b.WriteString(head.Name + " ")
			at := col + 2 + len(head.Name)
			pp.print(items[1], at)
			for _, it := range items[2:] {
				pp.newline(at)
				pp.print(it, at)
			}
			pp.b.WriteString(")")
			return
		}
		pp.print(items[0], col+1)
		for _, it := range items[1:] {
			pp.newline(col + 1)
			pp.print(it, col+1)
		}
		pp.b.WriteString(")")
	case *lang.Vector:
		pp.b.WriteString("#(")
		for i, it := range x.Items {
			if i > 0 {
				pp.newline(col + 2)
			}
			pp.print(it, col+2)
		}
		pp.b.WriteString(")")
	default:
		pp.b.WriteString(flat)
	}
}

func (pp *referencePrinter) newline(col int) {
	pp.b.WriteString("\n")
	pp.b.WriteString(strings.Repeat(" ", col))
}

func (pp *referencePrinter) column() int {
	s := pp.b.String()
	return len(s) - strings.LastIndexByte(s, '\n') - 1
}

func prettyText(v lang.Value, width, col int, display bool) string {
	pp := &prettyPrinter{width: width, display: display}
	pp.print(v, col)
	return pp.b.String()
}

func referenceText(v lang.Value, width, col int, display bool) string {
	pp := &referencePrinter{width: width, display: display}
	pp.print(v, col)
	return pp.b.String()
}

// randomDatum makes nested data of the kinds pretty-print lays out
// differently: the definition and binding forms, quote and its kin,
// calls, vectors, strings with quotes and newlines, improper lists,
// shared (not circular) structure, and atoms of every width.
type datumMaker struct {
	rng    *rand.Rand
	shared []lang.Value
}

var prettyHeads = []string{"define", "lambda", "let", "do", "cond", "begin", "quote", "quasiquote",
	"unquote", "unquote-splicing", "list", "string-append", "a-rather-long-procedure-name", "f", "operating-system"}

func (m *datumMaker) atom() lang.Value {
	switch m.rng.Intn(9) {
	case 0:
		return lang.MakeInt(m.rng.Int63n(1 << uint(m.rng.Intn(60)+1)))
	case 1:
		return lang.NewString(strings.Repeat("s", m.rng.Intn(30)))
	case 2:
		return lang.NewString("a \"quoted\"\nline\tand é")
	case 3:
		return lang.Char('x')
	case 4:
		return lang.Boolean(m.rng.Intn(2) == 0)
	case 5:
		return lang.Nil
	case 6:
		return lang.Intern("@at")
	case 7:
		return lang.Intern(strings.Repeat("sym", m.rng.Intn(8)+1))
	}
	return lang.Intern(prettyHeads[m.rng.Intn(len(prettyHeads))])
}

func (m *datumMaker) datum(depth int) lang.Value {
	if depth <= 0 || m.rng.Intn(6) == 0 {
		return m.atom()
	}
	if len(m.shared) > 0 && m.rng.Intn(8) == 0 {
		return m.shared[m.rng.Intn(len(m.shared))]
	}
	n := m.rng.Intn(7)
	items := make([]lang.Value, 0, n+1)
	switch m.rng.Intn(5) {
	case 0: // a vector
		for range n {
			items = append(items, m.datum(depth-1))
		}
		v := &lang.Vector{Items: items}
		m.shared = append(m.shared, v)
		return v
	case 1: // a form with a known head
		items = append(items, lang.Intern(prettyHeads[m.rng.Intn(len(prettyHeads))]))
	}
	for range n {
		items = append(items, m.datum(depth-1))
	}
	if len(items) == 0 {
		return lang.Nil
	}
	var tail lang.Value = lang.Nil
	if m.rng.Intn(10) == 0 {
		tail = m.atom()
	}
	for i := len(items) - 1; i >= 0; i-- {
		tail = lang.Cons(items[i], tail)
	}
	m.shared = append(m.shared, tail)
	return tail
}

func deepList(depth int, wide bool) lang.Value {
	var v lang.Value = lang.Intern("x")
	for i := range depth {
		if wide {
			v = lang.List(lang.Intern("f"), lang.MakeInt(int64(i)), v, lang.NewString("tail"))
		} else {
			v = lang.List(v)
		}
	}
	return v
}

func TestPrettyPrintMatchesReference(t *testing.T) {
	m := &datumMaker{rng: rand.New(rand.NewSource(1))}
	var data []lang.Value
	for range 200 {
		m.shared = m.shared[:0]
		data = append(data, m.datum(5))
	}
	wide := make([]lang.Value, 300)
	for i := range wide {
		wide[i] = lang.NewString(strings.Repeat("w", i%13))
	}
	data = append(data,
		deepList(60, false), deepList(40, true),
		lang.List(wide...), &lang.Vector{Items: wide},
		lang.List(lang.Intern("define"), lang.List(lang.Intern("f"), lang.Intern("x")), deepList(12, true)),
		lang.List(lang.Intern("quote"), deepList(20, true)),
		lang.List(lang.Intern("unquote"), lang.Intern("@x")),
	)
	for i, v := range data {
		for _, width := range []int{8, 24, 40, 79} {
			for _, col := range []int{0, 1} {
				for _, display := range []bool{false, true} {
					got, want := prettyText(v, width, col, display), referenceText(v, width, col, display)
					if got != want {
						t.Fatalf("datum %d, width %d, col %d, display %v: %s\ngot:\n%s\nwant:\n%s", i, width, col, display, lang.WriteString(v), got, want)
					}
				}
			}
		}
	}
}

// TestPrettyPrintMeasuresOnce checks that the printer flattens each
// subtree a bounded number of times, not once per level above it: a
// 2,000-deep list costs a few times its own length in flattened text,
// where flattening at every level would cost about a thousand times. (A
// wide list is less deep: its output, indented by three more columns at
// each level, grows with the square of the depth whatever the printer.)
func TestPrettyPrintMeasuresOnce(t *testing.T) {
	for _, c := range []struct {
		depth int
		wide  bool
	}{{2000, false}, {500, true}} {
		depth, wide := c.depth, c.wide
		v := deepList(depth, wide)
		size := len(lang.WriteString(v))
		pp := &prettyPrinter{width: 79}
		pp.print(v, 0)
		if pp.flattened > 4*size {
			t.Errorf("wide %v: flattened %d bytes for a datum of %d", wide, pp.flattened, size)
		}
		out := pp.b.String()
		if strings.Count(out, "(") != depth || strings.Count(out, ")") != depth {
			t.Errorf("wide %v: the output does not hold the %d lists", wide, depth)
		}
	}
}

// TestPrettyPrintCircular checks data with cycles: a circular list is
// written flat with its labels, as before; a list that contains itself,
// which used to be broken over lines forever, is written flat where it
// is met again inside itself.
func TestPrettyPrintCircular(t *testing.T) {
	ring := lang.Cons(lang.Intern("a"), lang.Nil)
	ring.Cdr = lang.Cons(lang.Intern("b"), ring)
	outer := lang.List(lang.Intern("f"), lang.NewString(strings.Repeat("s", 30)), ring)
	if got, want := prettyText(outer, 20, 0, false), referenceText(outer, 20, 0, false); got != want {
		t.Errorf("a circular list inside a list:\ngot:\n%s\nwant:\n%s", got, want)
	}
	self := lang.Cons(lang.Intern("g"), lang.Nil)
	self.Cdr = lang.Cons(lang.NewString(strings.Repeat("t", 30)), lang.Cons(self, lang.Nil))
	got := prettyText(self, 20, 0, false)
	want := "(g \"" + strings.Repeat("t", 30) + "\"\n   #0=(g \"" + strings.Repeat("t", 30) + "\" #0#))"
	if got != want {
		t.Errorf("a list that contains itself:\ngot:\n%s\nwant:\n%s", got, want)
	}
	vec := &lang.Vector{Items: []lang.Value{lang.NewString(strings.Repeat("v", 30)), nil}}
	vec.Items[1] = vec
	if got := prettyText(vec, 20, 0, false); !strings.Contains(got, "#0=#(") || strings.Count(got, "\n") != 1 {
		t.Errorf("a vector that contains itself:\n%s", got)
	}
}
