package eval

import (
	"strings"
	"testing"

	"fruix.dev/fruix/lang"
)

// wantErrorAt evaluates src within the deadline and checks that it fails
// with an error whose first line, as FormatError prints it (a backtrace
// may follow), is prefix, then want at the end.
func wantErrorAt(t *testing.T, src, prefix, want string) {
	t.Helper()
	_, err := evalWithin(t, src)
	if err == nil {
		t.Errorf("%s: accepted", src)
		return
	}
	got, _, _ := strings.Cut(strings.TrimSpace(FormatError(err)), "\n")
	if !strings.HasPrefix(got, prefix) || !strings.HasSuffix(got, want) {
		t.Errorf("%s:\n got %s\nwant %s...%s", src, got, prefix, want)
	}
}

// TestCircularFormals binds values to circular formals lists. Listing
// their identifiers used to append until memory ran out; each is now a
// syntax error at the form.
func TestCircularFormals(t *testing.T) {
	for _, c := range []struct{ src, prefix, want string }{
		{`(define-values #0=(a . #0#) 1)`, "circular.scm:1:1: ", `define-values: bad formals: expected a proper or dotted list of identifiers, not a circular one`},
		{`(define-values #0=(a b c . #0#) 1)`, "circular.scm:1:1: ", `define-values: bad formals: expected a proper or dotted list of identifiers, not a circular one`},
		{`(define-values (x . #0=(a b . #0#)) 1)`, "circular.scm:1:1: ", `define-values: bad formals: expected a proper or dotted list of identifiers, not a circular one`},
		{"\n  (let-values ((#0=(a . #0#) (values 1))) a)", "circular.scm:2:3: ", `let-values: bad formals: expected a proper or dotted list of identifiers, not a circular one`},
		{`(define-record-type p #0=(mk a . #0#) p?)`, "circular.scm:1:1: ", `define-record-type: bad constructor spec #0=(mk a . #0#)`},
	} {
		wantErrorAt(t, c.src, c.prefix, c.want)
	}
}

// TestFormalsStillBind checks that proper and dotted formals bind as
// before the walk learned to detect cycles, including one long enough
// for the slow pointer to move several times.
func TestFormalsStillBind(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"(define-values (a b . c) (values 1 2 3 4)) `(,a ,b ,c)", `(1 2 (3 4))`},
		{`(define-values (a) (values 1)) a`, `1`},
		{`(define-values r (values 1 2)) r`, `(1 2)`},
		{`(define-values () (values)) 'ok`, `ok`},
		{"(define-values (a b c d e f g) (values 1 2 3 4 5 6 7)) `(,a ,g)", `(1 7)`},
		{"(let-values (((a b . c) (values 1 2 3))) `(,a ,b ,c))", `(1 2 (3))`},
	} {
		v, err := evalWithin(t, c.src)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if got := writeString(v); got != c.want {
			t.Errorf("%s = %s, want %s", c.src, got, c.want)
		}
	}
}

// TestCircularApply applies procedures to circular argument lists.
// Copying the list used to append until memory ran out; it is now a
// wrong-type error for apply's last argument, which guard can catch.
func TestCircularApply(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`(apply car '#0=(1 . #0#))`, `apply: argument 2: want proper list, got a circular list`},
		{`(apply car 1 2 '#0=(1 2 3 . #0#))`, `apply: argument 4: want proper list, got a circular list`},
		{`(apply car '(0 . #0=(1 2 . #0#)))`, `apply: argument 2: want proper list, got a circular list`},
		{`(apply car '(1 . 2))`, `apply: argument 2: want proper list, got pair`},
	} {
		_, err := evalWithin(t, c.src)
		if err == nil {
			t.Errorf("%s: accepted", c.src)
			continue
		}
		if k := ErrorKind(err); k != KindWrongType {
			t.Errorf("%s: error kind %s, want %s", c.src, k, KindWrongType)
		}
		wantErrorAt(t, c.src, "circular.scm:1:1: ", c.want)
	}
	v, err := evalWithin(t, `(guard (e (#t 'caught)) (apply car '#0=(1 . #0#)))`)
	if err != nil || writeString(v) != "caught" {
		t.Errorf("guard around apply of a circular list: %v, %v", v, err)
	}
}

// TestListToSliceOrdinaryLists checks the items apply passes on from
// lists of every length up to a few cycles of the slow pointer, and that
// copying one allocates only the slice.
func TestListToSliceOrdinaryLists(t *testing.T) {
	for n := 0; n <= 9; n++ {
		l := rhoList(n, 0)
		items, err := listToSlice("apply", 2, l)
		if err != nil {
			t.Fatalf("%d items: %v", n, err)
		}
		if len(items) != n {
			t.Fatalf("%d items: got %d", n, len(items))
		}
		for i, it := range items {
			if !lang.Equal(it, lang.MakeInt(int64(i))) {
				t.Fatalf("%d items: item %d is %s", n, i, writeString(it))
			}
		}
	}
	for prefix := 0; prefix <= 4; prefix++ {
		for cycle := 1; cycle <= 5; cycle++ {
			if _, err := listToSlice("apply", 2, rhoList(prefix, cycle)); err == nil || !strings.Contains(err.Error(), "got a circular list") {
				t.Errorf("%d pairs into a cycle of %d: %v", prefix, cycle, err)
			}
		}
	}
	l := rhoList(100, 0)
	if allocs := testing.AllocsPerRun(100, func() { listToSlice("apply", 2, l) }); allocs != 1 {
		t.Errorf("copying a 100-item list: %v allocations, want 1", allocs)
	}
}

// TestCircularMacroUse matches uses of syntax-rules macros whose list is
// circular against patterns with an ellipsis. Counting the items used to
// go round for ever; no pattern matches a circular list, so a later rule
// may still match the use, and when none does the error says why, at
// the use.
func TestCircularMacroUse(t *testing.T) {
	const oneRule = "(define-syntax m (syntax-rules () ((_ x ...) 1)))\n"
	const circular = "m: expected a proper list to match an ellipsis, not a circular one"
	for _, c := range []struct{ src, prefix, want string }{
		{oneRule + `(m . #0=(1 . #0#))`, "circular.scm:2:1: ", circular},
		{oneRule + `  (m 1 2 . #0=(3 4 5 . #0#))`, "circular.scm:2:3: ", circular},
		{"(define-syntax m (syntax-rules () ((_ (x ...) y) 1)))\n(m #0=(1 2 . #0#) 3)", "circular.scm:2:1: ", circular},
		{"(define-syntax m (syntax-rules () ((_ (x y ...) ...) 1)))\n(m (1 2) (3 . #0=(4 . #0#)))", "circular.scm:2:1: ", circular},
		{"(define-syntax m (syntax-rules () ((_ x ... y z) 1)))\n(m . #0=(1 2 . #0#))", "circular.scm:2:1: ", circular},
		{"(define-syntax-rule (m x ...) 1)\n(m . #0=(1 . #0#))", "circular.scm:2:1: ", circular},
		{"(define-syntax m (syntax-rules () ((_ x y) 1)))\n(m . #0=(1 . #0#))", "circular.scm:2:1: ", "m: no syntax rule matches (m . #0=(1 . #0#))"},
	} {
		wantErrorAt(t, c.src, c.prefix, c.want)
	}
	for _, c := range []struct{ src, want string }{
		{"(define-syntax m (syntax-rules () ((_ x ...) 'list) ((_ . r) 'r)))\n(m . #0=(1 . #0#))", `#0=(1 . #0#)`},
		{"(define-syntax m (syntax-rules () ((_ x ... y) '(y x ...))))\n(m 1 2 3 4 5)", `(5 1 2 3 4)`},
		{"(define-syntax m (syntax-rules () ((_ (x ...) ...) '(x ... ...))))\n(m (1 2) () (3 4 5))", `(1 2 3 4 5)`},
		{"(define-syntax m (syntax-rules () ((_ x ... . r) '(r x ...))))\n(m 1 2 . 3)", `(3 1 2)`},
	} {
		v, err := evalWithin(t, c.src)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if got := writeString(v); got != c.want {
			t.Errorf("%s = %s, want %s", c.src, got, c.want)
		}
	}
}
