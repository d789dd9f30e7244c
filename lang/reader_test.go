package lang

import (
	"bufio"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
)

var testSrc = &Source{Name: "t.scm"}

// readAllWritten reads text and writes each datum back, space-separated.
func readAllWritten(t *testing.T, text string) (string, error) {
	t.Helper()
	vs, err := ReadAll(testSrc, []byte(text))
	var parts []string
	for _, v := range vs {
		parts = append(parts, WriteString(v))
	}
	return strings.Join(parts, " "), err
}

func TestReadSyntax(t *testing.T) {
	tests := []struct{ in, want string }{
		// lists, brackets, dotted pairs
		{"()", "()"},
		{"(a b c)", "(a b c)"},
		{"(a . b)", "(a . b)"},
		{"(a b . c)", "(a b . c)"},
		{"(a . (b c))", "(a b c)"},
		{"[a b]", "(a b)"},
		{"(let ([x 1] [y 2]) x)", "(let ((x 1) (y 2)) x)"},
		{"[]", "()"},
		{"(a .b)", "(a .b)"},
		{"(a . b #;c)", "(a . b)"},
		// abbreviations
		{"'a", "'a"},
		{"'(1 . 2)", "'(1 . 2)"},
		{"`(a ,b ,@c)", "`(a ,b ,@c)"},
		{"' a", "'a"},
		{"''a", "''a"},
		{",@ x", ",@x"},
		// G-expressions and syntax
		{"#~(a #$b)", "(gexp (a (ungexp b)))"},
		{"#$@x", "(ungexp-splicing x)"},
		{"#+x #+@y", "(ungexp-native x) (ungexp-native-splicing y)"},
		{"#'x #`y #,z #,@w", "(syntax x) (quasisyntax y) (unsyntax z) (unsyntax-splicing w)"},
		// comments
		{"; comment\na ; more\nb", "a b"},
		{"#;a b", "b"},
		{"#; (a (b)) c", "c"},
		{"#;#;a b c", "c"},
		{"(a #;b)", "(a)"},
		{"#| block |# a", "a"},
		{"#| outer #| inner |# still |# a", "a"},
		{"#||# a #|x||# b", "a b"},
		{"a;no newline at end", "a"},
		// booleans
		{"#t #f #true #false #T #F", "#t #f #t #f #t #f"},
		// characters
		{`#\a #\Z #\( #\) #\; #\" #\\ #\λ`, `#\a #\Z #\( #\) #\; #\" #\\ #\λ`},
		{`#\space #\newline #\tab #\nul #\null #\alarm #\backspace #\delete #\escape #\return`,
			`#\space #\newline #\tab #\null #\null #\alarm #\backspace #\delete #\escape #\return`},
		{`#\x41 #\x #\X #\x3bb #\x0`, `#\A #\x #\X #\λ #\null`},
		{`(#\a)`, `(#\a)`},
		{`#\x7f #\x1 #\xa0`, `#\delete #\x1 #\xa0`},
		// strings
		{`"abc"`, `"abc"`},
		{`""`, `""`},
		{`"a\"b\\c"`, `"a\"b\\c"`},
		{`"\a\b\t\n\r"`, `"\a\b\t\n\r"`},
		{`"\x41;\x3bb;"`, `"Aλ"`},
		{`"\|"`, `"|"`},
		{"\"line\\\n    next\"", `"linenext"`},
		{"\"line\\   \n\tnext\"", `"linenext"`},
		{"\"two\nlines\"", `"two\nlines"`},
		{`"λ"`, `"λ"`},
		// vectors, bytevectors
		{"#(1 2 3)", "#(1 2 3)"},
		{"#()", "#()"},
		{"#(a #(b) (c))", "#(a #(b) (c))"},
		{"#u8(0 1 255)", "#u8(0 1 255)"},
		{"#u8()", "#u8()"},
		{"#U8(1)", "#u8(1)"},
		{"#vu8(1 2)", "#u8(1 2)"},
		// keywords
		{"#:foo #:bar-baz", "#:foo #:bar-baz"},
		{"(f #:key 1)", "(f #:key 1)"},
		// symbols
		{"abc ABC a.b ... + - -> <=? !$%&*/:<=>?^_~ 1+ -1+ a#b λ", "abc ABC a.b ... + - -> <=? !$%&*/:<=>?^_~ 1+ -1+ a#b λ"},
		{"|a b| |x| || |a\\|b| |\\x41;|", "|a b| x || |a\\|b| A"},
		{"ab|c d|e", "|abc de|"},
		{"|1| |.|", "|1| |.|"},
		{"#{foo bar}#", "|foo bar|"},
		// numbers
		{"1 -1 +1 1.5 .5 -.5 1e3 1/2 #xff #b-101 #e1.5 #i1/4 -0.0 +inf.0 -inf.0 +nan.0",
			"1 -1 1 1.5 0.5 -0.5 1000.0 1/2 255 -5 3/2 0.25 -0.0 +inf.0 -inf.0 +nan.0"},
		{"123456789012345678901234567890", "123456789012345678901234567890"},
		{"1/0 +a -b .a", "1/0 +a -b .a"},
		// directives
		{"#!fold-case ABC #\\SPACE |XY| #!no-fold-case ABC", "abc #\\space XY ABC"},
		{"#!eof", "#<eof>"},
		{"#!/usr/bin/guile -s\n!#\n(a)", "(a)"},
		{"#!/usr/bin/fruix-eval\n(a)", "(a)"},
		{"a #! comment !# b", "a b"},
		// datum labels
		{"#0=(a . #0#)", "#0=(a . #0#)"},
		{"(#1=(x) #1#)", "((x) (x))"},
		{"#0=#(1 #0#)", "#0=#(1 #0#)"},
		{"#0=(a #0# b)", "#0=(a #0# b)"},
		// whitespace kinds
		{"\ta\r\nb\fc\vd", "a b c d"},
	}
	for _, tt := range tests {
		got, err := readAllWritten(t, tt.in)
		if err != nil {
			t.Errorf("read %q: %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("read %q: got %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestReadValues(t *testing.T) {
	v, err := ReadString(testSrc, "(1 \"s\" #\\c sym #:kw 1.5 #(v) #u8(7) ())")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for l := v; l != Nil; l = l.(*Pair).Cdr {
		kinds = append(kinds, TypeName(l.(*Pair).Car))
	}
	want := "integer string character symbol keyword real vector bytevector empty list"
	if got := strings.Join(kinds, " "); got != want {
		t.Errorf("types: %s, want %s", got, want)
	}
	a, _ := ReadString(testSrc, "foo")
	b, _ := ReadString(testSrc, "foo")
	if a != b || a != Value(Intern("foo")) {
		t.Error("symbols are not interned")
	}
	k, _ := ReadString(testSrc, "#:foo")
	if k != Value(InternKeyword("foo")) {
		t.Error("keywords are not interned")
	}
	if _, err := ReadString(testSrc, "a b"); err == nil {
		t.Error("ReadString of two data: no error")
	}
	if _, err := ReadString(testSrc, "  "); !IsIncomplete(err) {
		t.Errorf("ReadString of nothing: %v", err)
	}
}

func TestReadPositions(t *testing.T) {
	text := "(define (f x)\n  (+ x 1))\n\n  'q  `(λ ,y)\n(é (a\tb))\n(x ab|c d|e #:k|e y|)"
	vs, err := ReadAll(testSrc, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	pos := func(v Value) string { return v.(*Pair).Pos.String() }
	def := vs[0].(*Pair)
	checks := []struct {
		what, got, want string
	}{
		{"define form", pos(def), "t.scm:1:1"},
		{"pair holding (f x)", pos(def.Cdr), "t.scm:1:9"},
		{"(f x)", pos(def.Cdr.(*Pair).Car), "t.scm:1:9"},
		{"pair holding x", pos(def.Cdr.(*Pair).Car.(*Pair).Cdr), "t.scm:1:12"},
		{"(+ x 1)", pos(def.Cdr.(*Pair).Cdr.(*Pair).Car), "t.scm:2:3"},
		{"pair holding 1", pos(def.Cdr.(*Pair).Cdr.(*Pair).Car.(*Pair).Cdr.(*Pair).Cdr), "t.scm:2:8"},
		{"'q", pos(vs[1]), "t.scm:4:3"},
		{"q inside 'q", pos(vs[1].(*Pair).Cdr), "t.scm:4:4"},
		{"`(λ ,y)", pos(vs[2]), "t.scm:4:7"},
		{"(λ ,y)", pos(vs[2].(*Pair).Cdr.(*Pair).Car), "t.scm:4:8"},
		{",y", pos(vs[2].(*Pair).Cdr.(*Pair).Car.(*Pair).Cdr.(*Pair).Car), "t.scm:4:11"},
		{"(é ...)", pos(vs[3]), "t.scm:5:1"},
		{"(a b)", pos(vs[3].(*Pair).Cdr.(*Pair).Car), "t.scm:5:4"},
		{"pair holding b after a tab", pos(vs[3].(*Pair).Cdr.(*Pair).Car.(*Pair).Cdr), "t.scm:5:7"},
		{"pair holding a symbol with bars", pos(vs[4].(*Pair).Cdr), "t.scm:6:4"},
		{"pair holding a keyword with bars", pos(vs[4].(*Pair).Cdr.(*Pair).Cdr), "t.scm:6:13"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s at %s, want %s", c.what, c.got, c.want)
		}
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		in, want   string
		incomplete bool
	}{
		{"(a b", "t.scm:1:5: unterminated list: expected `)` to close `(` opened at 1:1", true},
		{"\n  [a (b)", "t.scm:2:9: unterminated list: expected `]` to close `[` opened at 2:3", true},
		{"#(1 2", "t.scm:1:6: unterminated vector: expected `)` to close `#(` opened at 1:1", true},
		{"#u8(1 2", "t.scm:1:8: unterminated bytevector: expected `)` to close `#u8(` opened at 1:1", true},
		{"x\n  \"abc", "t.scm:2:7: unterminated string (started at 2:3): expected `\"`", true},
		{"\"abc\\", "t.scm:1:6: unterminated string (started at 1:1): expected `\"`", true},
		{"#| a #| b |#", "t.scm:1:13: unterminated `#|` comment (started at 1:1): expected `|#`", true},
		{"|abc", "t.scm:1:5: unterminated `|` symbol (started at 1:1): expected `|`", true},
		{"x #{a b", "t.scm:1:8: unterminated `#{` symbol (started at 1:3): expected `}#`", true},
		{"'", "t.scm:1:2: unexpected end of input: expected a datum after `'` at 1:1", true},
		{"(a #;", "t.scm:1:6: unexpected end of input: expected a datum after `#;` at 1:4", true},
		{"#", "t.scm:1:1: unexpected end of input after `#`: expected one of #t #f #\\ #( #u8( #: #; #| #! #~ #$ #+ #' #` #, #x #b #o #d #e #i or a datum label #0= #0#", true},
		{`#\`, "t.scm:1:1: unexpected end of input after `#\\`: expected a character", true},
		{"a #! b", "t.scm:1:7: unterminated `#!` comment (started at 1:3): expected `!#`", true},
		{")", "t.scm:1:1: unexpected `)`: no list is open", false},
		{"a ]", "t.scm:1:3: unexpected `]`: no list is open", false},
		{"(a\n (b]", "t.scm:2:4: mismatched `]`: expected `)` to close `(` opened at 2:2", false},
		{"[a)", "t.scm:1:3: mismatched `)`: expected `]` to close `[` opened at 1:1", false},
		{"#(a]", "t.scm:1:4: mismatched `]`: expected `)` to close `#(` opened at 1:1", false},
		{"('a)", "", false},
		{"(')", "t.scm:1:3: unexpected `)`: expected a datum after `'` at 1:2", false},
		{"(#;)", "t.scm:1:4: unexpected `)`: expected a datum after `#;` at 1:2", false},
		{"#q", "t.scm:1:1: bad `#` syntax `#q`: expected one of #t #f #\\ #( #u8( #: #; #| #! #~ #$ #+ #' #` #, #x #b #o #d #e #i or a datum label #0= #0#", false},
		{"#tru", "t.scm:1:1: bad `#` syntax `#tru`: expected one of #t #f #\\ #( #u8( #: #; #| #! #~ #$ #+ #' #` #, #x #b #o #d #e #i or a datum label #0= #0#", false},
		{"#u8 (1)", "t.scm:1:1: bad `#` syntax `#u8`: expected one of #t #f #\\ #( #u8( #: #; #| #! #~ #$ #+ #' #` #, #x #b #o #d #e #i or a datum label #0= #0#", false},
		{"#xfg", "t.scm:1:1: bad number `#xfg`", false},
		{"#e+inf.0", "t.scm:1:1: bad number `#e+inf.0`", false},
		{`#\foo`, "t.scm:1:1: unknown character name `#\\foo`: expected one character, a name such as #\\space #\\newline #\\tab, or #\\x41", false},
		{`#\xd800`, "t.scm:1:1: bad character `#\\xd800`: not a Unicode scalar value", false},
		{`"\q"`, "t.scm:1:2: unknown escape `\\q` in string: expected one of \\a \\b \\t \\n \\r \\\" \\\\ \\| \\xHH; or \\ at the end of a line", false},
		{`"\x41"`, "t.scm:1:2: bad `\\x` escape `\\x41` in string: expected hex digits and `;`, as in \\x41;", false},
		{`"\xzz;"`, "t.scm:1:2: bad `\\x` escape `\\xzz;` in string: expected hex digits and `;`, as in \\x41;", false},
		{`"\x110000;"`, "t.scm:1:2: bad `\\x` escape `\\x110000;` in string: not a Unicode scalar value", false},
		{`|a\qb|`, "t.scm:1:3: unknown escape `\\q` in symbol: expected one of \\a \\b \\t \\n \\r \\\" \\\\ \\| \\xHH; or \\ at the end of a line", false},
		{"#u8(256)", "t.scm:1:5: bad bytevector element `256`: expected an exact integer from 0 to 255", false},
		{"#u8(a)", "t.scm:1:5: bad bytevector element `a`: expected an exact integer from 0 to 255", false},
		{"#u8(-1)", "t.scm:1:5: bad bytevector element `-1`: expected an exact integer from 0 to 255", false},
		{"(. a)", "t.scm:1:2: `.` in a bad place: expected it inside a list, between the last two data", false},
		{".", "t.scm:1:1: `.` in a bad place: expected it inside a list, between the last two data", false},
		{"(a . b c)", "t.scm:1:8: `.` in a bad place: expected `)` after the datum following `.`", false},
		{"(a .)", "t.scm:1:5: `.` in a bad place: expected a datum between `.` and `)`", false},
		{"(a . . b)", "t.scm:1:6: `.` in a bad place: expected it inside a list, between the last two data", false},
		{"#(a . b)", "t.scm:1:5: `.` in a bad place: expected it inside a list, between the last two data", false},
		{"#:", "t.scm:1:1: bad keyword `#:`: expected a name after `#:`", false},
		{" #!foo", "t.scm:1:2: unknown reader directive `#!foo`: expected #!fold-case, #!no-fold-case, #!eof, or a `#! ... !#` comment", false},
		{"#1#", "t.scm:1:1: undefined datum label `#1#`: expected a label defined earlier with #1=", false},
		{"#1=#1#", "t.scm:1:1: datum label `#1=` refers only to itself: expected a datum", false},
		{"#12x", "t.scm:1:1: bad datum label `#12x`: expected #n= or #n#", false},
	}
	for _, tt := range tests {
		_, err := ReadAll(testSrc, []byte(tt.in))
		if tt.want == "" {
			if err != nil {
				t.Errorf("read %q: unexpected error %v", tt.in, err)
			}
			continue
		}
		var re *ReadError
		if !errors.As(err, &re) {
			t.Errorf("read %q: got %v, want a *ReadError", tt.in, err)
			continue
		}
		if re.Error() != tt.want {
			t.Errorf("read %q:\n got  %s\n want %s", tt.in, re.Error(), tt.want)
		}
		if re.Incomplete != tt.incomplete {
			t.Errorf("read %q: Incomplete = %v, want %v", tt.in, re.Incomplete, tt.incomplete)
		}
	}
}

func TestReadDeepNesting(t *testing.T) {
	const depth = 100000
	text := strings.Repeat("(", depth) + "x" + strings.Repeat(")", depth)
	v, err := ReadString(testSrc, text)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		p, ok := v.(*Pair)
		if !ok {
			break
		}
		v = p.Car
		n++
	}
	if n != depth || v != Value(Intern("x")) {
		t.Errorf("depth %d, innermost %v", n, v)
	}
	if _, err := ReadAll(testSrc, []byte(strings.Repeat("(", depth))); !IsIncomplete(err) {
		t.Errorf("unclosed deep nesting: %v", err)
	}
	quotes := strings.Repeat("'", depth) + "x"
	if _, err := ReadString(testSrc, quotes); err != nil {
		t.Error(err)
	}
}

func TestReadLongList(t *testing.T) {
	text := "(" + strings.Repeat("1 ", 1000000) + ")"
	v, err := ReadString(testSrc, text)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for p, ok := v.(*Pair); ok; p, ok = p.Cdr.(*Pair) {
		n++
	}
	if n != 1000000 {
		t.Errorf("%d elements", n)
	}
}

// TestPortReader checks that reading from a port takes exactly one datum,
// so that what follows stays in the port for its other readers.
func TestPortReader(t *testing.T) {
	port := bufio.NewReader(strings.NewReader("(a b) sym 42\"str\"rest of line\n#\\x next"))
	r := NewPortReader(testSrc, port)
	want := []string{"(a b)", "sym", "42", `"str"`}
	for _, w := range want {
		v, err := r.Read()
		if err != nil {
			t.Fatal(err)
		}
		if got := WriteString(v); got != w {
			t.Errorf("read %s, want %s", got, w)
		}
	}
	line, _ := port.ReadString('\n')
	if line != "rest of line\n" {
		t.Errorf("rest of the port: %q", line)
	}
	v, err := r.Read()
	if err != nil || WriteString(v) != `#\x` {
		t.Errorf("after read-line: %v %v", v, err)
	}
	c, _, _ := port.ReadRune()
	if c != ' ' {
		t.Errorf("the character after #\\x is %q, want a space", c)
	}
	v, err = r.Read()
	if err != nil || WriteString(v) != "next" {
		t.Errorf("last datum: %v %v", v, err)
	}
	if _, err := r.Read(); err != io.EOF {
		t.Errorf("at the end: %v, want io.EOF", err)
	}
}

func TestPortReaderPositionsAndErrors(t *testing.T) {
	r := NewPortReader(testSrc, strings.NewReader("a\n  (b\n c"))
	if v, err := r.Read(); err != nil || v != Value(Intern("a")) {
		t.Fatal(v, err)
	}
	_, err := r.Read()
	if err == nil || err.Error() != "t.scm:3:3: unterminated list: expected `)` to close `(` opened at 2:3" || !IsIncomplete(err) {
		t.Errorf("got %v", err)
	}
	r = NewPortReader(testSrc, strings.NewReader("x (y)"))
	r.Read()
	v, _ := r.Read()
	if p := v.(*Pair).Pos.String(); p != "t.scm:1:3" {
		t.Errorf("position of (y): %s", p)
	}
}

type failingPort struct{ n int }

func (p *failingPort) ReadRune() (rune, int, error) {
	if p.n == 0 {
		return 0, 0, errors.New("disk on fire")
	}
	p.n--
	return '(', 1, nil
}
func (p *failingPort) UnreadRune() error { return errors.New("cannot unread") }

func TestPortReadError(t *testing.T) {
	r := NewPortReader(testSrc, &failingPort{n: 3})
	if _, err := r.Read(); err == nil || !strings.Contains(err.Error(), "unterminated list") {
		t.Errorf("got %v", err)
	}
	r = NewPortReader(testSrc, &failingPort{n: 0})
	if _, err := r.Read(); err == nil || err.Error() != "disk on fire" {
		t.Errorf("got %v, want the port's error", err)
	}
}

func TestInvalidUTF8(t *testing.T) {
	vs, err := ReadAll(testSrc, []byte("\"a\xffb\" ab\xfe #\\\xff"))
	if err != nil {
		t.Fatal(err)
	}
	if s := vs[0].(*String).String(); s != "a\uFFFDb" {
		t.Errorf("string %q", s)
	}
	if s := vs[1].(*Symbol).Name; s != "ab\uFFFD" {
		t.Errorf("symbol %q", s)
	}
	if c := vs[2].(Char); c != '\uFFFD' {
		t.Errorf("char %q", c)
	}
}

func TestStartAtLine(t *testing.T) {
	src := &Source{Name: "<repl>"}
	r := NewReader(src, []byte("\n  (a\n b)"))
	r.StartAtLine(7)
	v, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	if p := v.(*Pair).Pos; p.Line != 8 || p.Col != 3 {
		t.Errorf("position %d:%d, want 8:3", p.Line, p.Col)
	}
	r = NewReader(src, []byte("(a\n"))
	r.StartAtLine(3)
	_, err = r.Read()
	if err == nil || !strings.HasPrefix(err.Error(), "<repl>:4:1: ") || !strings.Contains(err.Error(), "opened at 3:1") {
		t.Errorf("error %v: want it at <repl>:4:1 naming the ( opened at 3:1", err)
	}
}

// TestReaderSmallDatumKeepsLittle: a small datum read by a reader of
// its own (a string port read once) keeps little memory alive, though
// the pairs it holds keep their block of pairs alive.
func TestReaderSmallDatumKeepsLittle(t *testing.T) {
	kept := make([]Value, 0, 1000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 1000 {
		v, err := NewReader(&Source{Name: "s"}, []byte("(a b)")).Read()
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, v)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if perDatum := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / 1000; perDatum > 512 {
		t.Errorf("each (a b) read keeps %d bytes alive; a block of pairs should start small", perDatum)
	}
	runtime.KeepAlive(kept)
}
