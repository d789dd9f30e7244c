package eval

import (
	"strings"
	"testing"
)

// wantErrorAt evaluates src within the deadline and checks that it fails
// with an error that FormatError prints as prefix followed by want.
func wantErrorAt(t *testing.T, src, prefix, want string) {
	t.Helper()
	_, err := evalWithin(t, src)
	if err == nil {
		t.Errorf("%s: accepted", src)
		return
	}
	got := strings.TrimSpace(FormatError(err))
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
