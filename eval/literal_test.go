package eval

import (
	"strings"
	"testing"

	"fruix.dev/fruix/lang"
)

func readLiteral(t *testing.T, text string) lang.Value {
	t.Helper()
	v, err := lang.ReadString(&lang.Source{Name: "lit.scm"}, text)
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return v
}

// stringsOf returns the strings of v, each pair and vector looked at once.
func stringsOf(v lang.Value, seen map[lang.Value]bool, out *[]*lang.String) {
	switch x := v.(type) {
	case *lang.String:
		*out = append(*out, x)
	case *lang.Pair:
		if !seen[x] {
			seen[x] = true
			stringsOf(x.Car, seen, out)
			stringsOf(x.Cdr, seen, out)
		}
	case *lang.Vector:
		if !seen[x] {
			seen[x] = true
			for _, it := range x.Items {
				stringsOf(it, seen, out)
			}
		}
	}
}

func allConstant(t *testing.T, name string, v lang.Value) {
	t.Helper()
	var strs []*lang.String
	stringsOf(v, map[lang.Value]bool{}, &strs)
	if len(strs) == 0 {
		t.Fatalf("%s: no strings to check", name)
	}
	for _, s := range strs {
		if !s.Immutable {
			t.Errorf("%s: %s is still mutable", name, lang.WriteString(s))
			return
		}
	}
}

// TestLiteralMarksStrings checks literals of every shape: small ones,
// circular ones (through the cdr, the car, a vector), long ones past the
// walk's budget, and shared structure that a walk without a memory would
// go through 2^40 times.
func TestLiteralMarksStrings(t *testing.T) {
	var long strings.Builder
	long.WriteString("(")
	for range 3 * datumWalkBudget {
		long.WriteString(`"s" `)
	}
	long.WriteString(`#("v"))`)
	var doubling strings.Builder
	doubling.WriteString(`(#0=("leaf" "leaf")`)
	for i := 1; i <= 40; i++ {
		doubling.WriteString(" #" + itoa(int64(i)) + "=(#" + itoa(int64(i-1)) + "# #" + itoa(int64(i-1)) + "#)")
	}
	doubling.WriteString(")")
	for _, c := range []struct{ name, text string }{
		{"a small list", `("a" b ("c" . "d") #("e" ("f")))`},
		{"a circular list", `#0=("a" "b" . #0#)`},
		{"a list that contains itself", `#0=("a" #0# ("b" #0#))`},
		{"a vector that contains itself", `#0=#("a" #0# ("b"))`},
		{"a long list", long.String()},
		{"a deep list", strings.Repeat("(", 2*datumWalkBudget) + `"deep"` + strings.Repeat(")", 2*datumWalkBudget)},
		{"doubling shared structure", doubling.String()},
	} {
		v := readLiteral(t, c.text)
		if got := literal(v); got != v {
			t.Errorf("%s: literal returned another value", c.name)
		}
		allConstant(t, c.name, v)
	}
}

// TestLiteralSmallAllocatesNothing checks that a small literal is walked
// without a set of what was seen.
func TestLiteralSmallAllocatesNothing(t *testing.T) {
	v := readLiteral(t, `(define (f x) (list "a" x #("b" c) '("d" . e)))`)
	if n := testing.AllocsPerRun(100, func() { literal(v) }); n != 0 {
		t.Errorf("literal of a small datum: %v allocations, want 0", n)
	}
}
