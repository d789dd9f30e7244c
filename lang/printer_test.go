package lang

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

type testRecord struct {
	name   string
	fields []Value
}

func (r *testRecord) PrintScheme(p *Printer, write bool) {
	p.WriteRaw("#<" + r.name)
	for _, f := range r.fields {
		p.WriteRaw(" ")
		p.Print(f)
	}
	p.WriteRaw(">")
}

type namedThing struct{}

func (namedThing) TypeName() string { return "thing" }

func TestWriteAndDisplay(t *testing.T) {
	str := NewString("a \"q\" \\ \n\t\x01\x7fλ")
	tests := []struct {
		v              Value
		write, display string
	}{
		{Nil, "()", "()"},
		{True, "#t", "#t"},
		{False, "#f", "#f"},
		{MakeInt(-42), "-42", "-42"},
		{Flonum(1), "1.0", "1.0"},
		{Flonum(math.Inf(1)), "+inf.0", "+inf.0"},
		{str, `"a \"q\" \\ \n\t\x1;\x7f;λ"`, "a \"q\" \\ \n\t\x01\x7fλ"},
		{NewString("\u200b\u00a0"), `"\x200b;\xa0;"`, "\u200b\u00a0"},
		{Char('a'), `#\a`, "a"},
		{Char(' '), `#\space`, " "},
		{Char('\n'), `#\newline`, "\n"},
		{Char(0), `#\null`, "\x00"},
		{Char(0x7f), `#\delete`, "\x7f"},
		{Char(0x1b), `#\escape`, "\x1b"},
		{Char(0x1), `#\x1`, "\x01"},
		{Char(0xa0), `#\xa0`, "\u00a0"},
		{Char('λ'), `#\λ`, "λ"},
		{Intern("abc"), "abc", "abc"},
		{Intern("a b"), "|a b|", "a b"},
		{Intern(""), "||", ""},
		{Intern("1"), "|1|", "1"},
		{Intern("+1"), "|+1|", "+1"},
		{Intern("1+"), "1+", "1+"},
		{Intern("."), "|.|", "."},
		{Intern("#foo"), "|#foo|", "#foo"},
		{Intern("a|b"), `|a\|b|`, "a|b"},
		{Intern("a\nb"), `|a\xa;b|`, "a\nb"},
		{Intern("(x)"), "|(x)|", "(x)"},
		{Intern("'x"), "|'x|", "'x"},
		{InternKeyword("key"), "#:key", "#:key"},
		{InternKeyword("a b"), "#:|a b|", "#:a b"},
		{List(Intern("quote"), Intern("x")), "'x", "'x"},
		{List(Intern("quasiquote"), List(Intern("unquote"), Intern("x"), List(Intern("unquote-splicing"), Intern("y")))), "`(unquote x ,@y)", "`(unquote x ,@y)"},
		{List(Intern("quote"), Intern("x"), Intern("y")), "(quote x y)", "(quote x y)"},
		{List(Intern("unquote"), Intern("@x")), ", @x", ", @x"},
		{List(Intern("quote"), Intern("@x")), "'@x", "'@x"},
		{Cons(Intern("quote"), Intern("x")), "(quote . x)", "(quote . x)"},
		{List(MakeInt(1), NewString("s"), Char('c')), `(1 "s" #\c)`, "(1 s c)"},
		{Cons(MakeInt(1), MakeInt(2)), "(1 . 2)", "(1 . 2)"},
		{&Vector{Items: []Value{MakeInt(1), NewString("x")}}, `#(1 "x")`, "#(1 x)"},
		{&Vector{}, "#()", "#()"},
		{&Bytevector{Bytes: []byte{0, 7, 255}}, "#u8(0 7 255)", "#u8(0 7 255)"},
		{Unspec, "#<unspecified>", "#<unspecified>"},
		{EOF, "#<eof>", "#<eof>"},
		{&testRecord{"point", []Value{MakeInt(1), NewString("y")}}, `#<point 1 "y">`, "#<point 1 y>"},
		{namedThing{}, "#<thing>", "#<thing>"},
	}
	for _, tt := range tests {
		if got := WriteString(tt.v); got != tt.write {
			t.Errorf("write: got %s, want %s", got, tt.write)
		}
		if got := DisplayString(tt.v); got != tt.display {
			t.Errorf("display: got %q, want %q", got, tt.display)
		}
	}
	var buf bytes.Buffer
	Write(&buf, NewString("x"))
	Display(&buf, NewString("x"))
	if buf.String() != `"x"x` {
		t.Errorf("Write then Display: %q", buf.String())
	}
}

// TestWriteReadsBack checks that everything written reads back Equal.
func TestWriteReadsBack(t *testing.T) {
	var syms []Value
	for _, name := range []string{"", " ", "a b", "1", "-", "+", "...", "1/2", "#t", "a;b", "|", "\\", "λ", "\x00", "+inf.0", "-nan.0", ".5", "1e3", "#!eof", "a\"b", "{}"} {
		syms = append(syms, Intern(name))
	}
	for _, v := range append(syms,
		NewString("\x00\a\b\t\n\v\f\r\x1b\"\\|λ\u200b"),
		Char(0), Char(' '), Char('('), Char(0x7f), Char(0x10FFFF), Char('\\'),
		Flonum(-0.0), Flonum(math.Copysign(0, -1)), Flonum(1e300), Flonum(5e-324),
		mustNum(t, "-123456789012345678901234567890/7"),
	) {
		text := WriteString(v)
		back, err := ReadString(testSrc, text)
		if err != nil {
			t.Errorf("%s does not read back: %v", text, err)
			continue
		}
		if !Equal(v, back) {
			t.Errorf("%s reads back as %s", text, WriteString(back))
		}
	}
}

func TestWriteCycles(t *testing.T) {
	p := Cons(MakeInt(1), Nil)
	p.Cdr = p
	if got := WriteString(p); got != "#0=(1 . #0#)" {
		t.Errorf("circular list: %s", got)
	}
	q := List(Intern("a"), Intern("b")).(*Pair)
	q.Cdr.(*Pair).Car = q
	if got := WriteString(q); got != "#0=(a #0#)" {
		t.Errorf("list containing itself: %s", got)
	}
	v := &Vector{Items: []Value{MakeInt(1), nil}}
	v.Items[1] = v
	if got := WriteString(v); got != "#0=#(1 #0#)" {
		t.Errorf("vector containing itself: %s", got)
	}
	// Shared but acyclic structure is not labelled by write.
	shared := List(MakeInt(1))
	if got := WriteString(List(shared, shared)); got != "((1) (1))" {
		t.Errorf("shared structure: %s", got)
	}
	// A long cyclic list, past the acyclic fast path.
	long := List(make([]Value, 200000)...)
	for l := long.(*Pair); ; l = l.Cdr.(*Pair) {
		l.Car = MakeInt(0)
		if l.Cdr == Nil {
			l.Cdr = long
			break
		}
	}
	got := WriteString(long)
	if !strings.HasPrefix(got, "#0=(0 0 ") || !strings.HasSuffix(got, " 0 . #0#)") {
		t.Errorf("long cycle prints as %s...%s", got[:20], got[len(got)-20:])
	}
	back, err := ReadString(testSrc, got)
	if err != nil || !Equal(back, long) {
		t.Errorf("long cycle does not read back Equal: %v", err)
	}
}

func TestWriteDeepNesting(t *testing.T) {
	var v Value = Nil
	for i := 0; i < 100000; i++ {
		v = List(v)
	}
	s := WriteString(v)
	if len(s) != 2*100000+2 {
		t.Errorf("printed length %d", len(s))
	}
}

func TestRunawayPrintable(t *testing.T) {
	r := &testRecord{name: "loop"}
	r.fields = []Value{r}
	s := WriteString(r)
	if !strings.Contains(s, "#<...>") {
		t.Errorf("self-containing record printed without a cut-off")
	}
}

func TestCycleInsidePrintable(t *testing.T) {
	l := Cons(MakeInt(1), Nil)
	l.Cdr = l
	r := &testRecord{name: "box", fields: []Value{l, l}}
	if got := WriteString(r); got != "#<box #0=(1 . #0#) #0#>" {
		t.Errorf("got %s", got)
	}
}

func TestWriteSharedAndSimple(t *testing.T) {
	shared := List(MakeInt(1))
	v := List(shared, shared, &Vector{Items: []Value{shared}})
	if got := string(AppendWriteShared(nil, v)); got != "(#0=(1) #0# #(#0#))" {
		t.Errorf("write-shared: %s", got)
	}
	if got := string(AppendWriteSimple(nil, v)); got != "((1) (1) #((1)))" {
		t.Errorf("write-simple: %s", got)
	}
	c := Cons(MakeInt(1), Nil)
	c.Cdr = c
	if got := string(AppendWriteShared(nil, c)); got != "#0=(1 . #0#)" {
		t.Errorf("write-shared of a cycle: %s", got)
	}
}

func TestWriteSharedDAG(t *testing.T) {
	got := string(AppendWriteShared(nil, sharedDAG(3)))
	if got != "(#0=(#1=(leaf leaf) #1#) #0#)" {
		t.Errorf("write-shared of a DAG: %s", got)
	}
	if n := len(AppendWriteShared(nil, sharedDAG(60))); n > 2000 {
		t.Errorf("write-shared of a 60-level DAG prints %d bytes", n)
	}
}

func TestWriteNestingLimit(t *testing.T) {
	defer func(n int) { maxNesting = n }(maxNesting)
	maxNesting = 3
	v := List(List(List(List(List(MakeInt(1))))), MakeInt(2))
	if got := WriteString(v); got != "(((#<nested too deeply>)) 2)" {
		t.Errorf("got %s", got)
	}
}
