package eval

import (
	"bytes"
	"strings"
	"testing"

	"fruix.dev/fruix/lang"
)

// circularBuiltins are the few procedures the tests below call.
var circularBuiltins = []*Builtin{
	{Name: "car", MinArgs: 1, MaxArgs: 1, Fn: func(_ *Thread, a []lang.Value) (lang.Value, error) {
		if p, ok := a[0].(*lang.Pair); ok {
			return p.Car, nil
		}
		return nil, WrongType("car", 1, "pair", a[0])
	}},
	{Name: "cdr", MinArgs: 1, MaxArgs: 1, Fn: func(_ *Thread, a []lang.Value) (lang.Value, error) {
		if p, ok := a[0].(*lang.Pair); ok {
			return p.Cdr, nil
		}
		return nil, WrongType("cdr", 1, "pair", a[0])
	}},
	{Name: "eq?", MinArgs: 2, MaxArgs: 2, Fn: func(_ *Thread, a []lang.Value) (lang.Value, error) {
		if a[0] == a[1] {
			return lang.True, nil
		}
		return lang.False, nil
	}},
	{Name: "vector-ref", MinArgs: 2, MaxArgs: 2, Fn: func(_ *Thread, a []lang.Value) (lang.Value, error) {
		v, ok := a[0].(*lang.Vector)
		if !ok {
			return nil, WrongType("vector-ref", 1, "vector", a[0])
		}
		i, ok := lang.ToInt64(a[1])
		if !ok || i < 0 || i >= int64(len(v.Items)) {
			return nil, WrongType("vector-ref", 2, "index", a[1])
		}
		return v.Items[i], nil
	}},
}

func evalCircular(t *testing.T, src string) (lang.Value, error) {
	t.Helper()
	var out bytes.Buffer
	th := New(Options{Stdout: &out, Stderr: &out})
	th.RegisterNativeModule([]string{"guile"}, func(_ *Thread, m *Module) error {
		m.DefineBuiltins(circularBuiltins)
		return nil
	})
	return th.EvalString(&lang.Source{Name: "circular.scm"}, src)
}

// TestCircularQuotedLiterals evaluates quoted data that contain
// themselves, through the cdr, the car and a vector: each used to hang
// or exhaust memory while the compiler looked for identifiers renamed by
// macros in them. The literal keeps its shape: the cdr of the circular
// list is the list itself.
func TestCircularQuotedLiterals(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`(car '#0=(a . #0#))`, `a`},
		{`(car '#0=(a #0#))`, `a`},
		{`(vector-ref '#0=#("a" #0#) 0)`, `"a"`},
		{`(let ((x '#0=(1 . #0#))) (eq? x (cdr x)))`, `#t`},
		{`(let ((v '#0=#("a" #0#))) (eq? v (vector-ref v 1)))`, `#t`},
		// A circular literal handed to a macro and quoted by its
		// template: with renamed identifiers of the template around it,
		// and without.
		{`(define-syntax q (syntax-rules () ((_ x) 'x))) (car (q #0=(a . #0#)))`, `a`},
		{`(define-syntax k (syntax-rules () ((_ x) '(k . x)))) (car (k #0=(a . #0#)))`, `k`},
		{`(define-syntax k (syntax-rules () ((_ x) '(k . x))))
		  (let ((v (k #0=(a . #0#)))) (eq? (cdr v) (cdr (cdr v))))`, `#t`},
		{`(define-syntax k (syntax-rules () ((_ x) '#(k x))))
		  (let ((v (vector-ref (k #0=#(a #0#)) 1))) (eq? v (vector-ref v 1)))`, `#t`},
	} {
		v, err := evalCircular(t, c.src)
		if err != nil {
			t.Errorf("%s: %s", c.src, FormatError(err))
			continue
		}
		if got := lang.WriteString(v); got != c.want {
			t.Errorf("%s: got %s, want %s", c.src, got, c.want)
		}
	}
}

// TestCircularSyntaxRulesPattern checks that a syntax-rules pattern that
// contains itself is refused where the macro is defined, with a
// positioned error, instead of being walked round for ever at a use.
func TestCircularSyntaxRulesPattern(t *testing.T) {
	_, err := evalCircular(t, `(define-syntax m (syntax-rules () ((_ #0=(a . #0#)) 'ok))) (m (1 2))`)
	if err == nil {
		t.Fatal("a use that cannot match a circular pattern was accepted")
	}
	msg := FormatError(err)
	if !strings.HasPrefix(msg, "circular.scm:1:") || !strings.Contains(msg, "rule 1 contains itself") {
		t.Errorf("got %q, want a positioned error about the circular pattern", msg)
	}
}

// TestCircularSyntaxRulesTemplate checks that syntax-rules refuses, where
// it is defined, a template or an ellipsis pattern that contains itself,
// which expanding would recurse over for ever, and still accepts shared
// data that is not circular.
func TestCircularSyntaxRulesTemplate(t *testing.T) {
	for _, src := range []string{
		`(define-syntax m (syntax-rules () ((_) '#0=(1 . #0#)))) (m)`,
		`(define-syntax m (syntax-rules () ((_ x) '#0=(x . #0#)))) (m 1)`,
		`(define-syntax m (syntax-rules () ((_ (#0=(a . #0#) ...)) 'ok))) (m ())`,
		`(define-syntax m (syntax-rules () ((_) #0=#(1 #0#)))) (m)`,
	} {
		_, err := evalCircular(t, src)
		if err == nil || !strings.Contains(FormatError(err), "contains itself") {
			t.Errorf("%s: got %v, want an error saying the rule contains itself", src, err)
		}
	}
	v, err := evalCircular(t, `(define-syntax m (syntax-rules () ((_) '(#0=(1 2) #0#)))) (m)`)
	if err != nil || lang.WriteString(v) != "((1 2) (1 2))" {
		t.Errorf("shared, not circular, template: %v, %v", v, err)
	}
}

// TestCircularFormsInErrors checks that an error message quoting a form
// that contains itself terminates, and writes the cycle with a label, also
// when the form mixes a user's circular datum with identifiers a macro
// template renamed.
func TestCircularFormsInErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`(set! #0=(a . #0#) 1)`, `set!: expected a variable, got #0=(a . #0#)`},
		{`(set! #0=(a #0#) 1)`, `set!: expected a variable, got #0=(a #0#)`},
		{`(define-syntax m (syntax-rules () ((_ x) (set! (k . x) 1)))) (m #0=(a . #0#))`,
			`set!: expected a variable, got (k . #0=(a . #0#))`},
		{`(define-syntax m (syntax-rules () ((_ x) (set! #(k x) 1)))) (m #0=#(a #0#))`,
			`set!: expected a variable, got #(k #0=#(a #0#))`},
	} {
		_, err := evalCircular(t, c.src)
		if err == nil {
			t.Errorf("%s: accepted", c.src)
			continue
		}
		got := strings.TrimSpace(FormatError(err))
		if !strings.HasPrefix(got, "circular.scm:1:") || !strings.HasSuffix(got, ": "+c.want) {
			t.Errorf("%s:\n got %s\nwant circular.scm:1:COLUMN: %s", c.src, got, c.want)
		}
	}
}

// TestHasAliasCircular checks hasAlias on data its bounded walk cannot
// finish: cycles without an alias are false, an alias past the budget,
// inside or after a cycle, is found.
func TestHasAliasCircular(t *testing.T) {
	x := &alias{sym: lang.Intern("x")}
	for _, c := range []struct {
		name string
		d    lang.Value
		want bool
	}{
		{"a cdr cycle without alias", readLiteral(t, `#0=(a . #0#)`), false},
		{"a car cycle without alias", readLiteral(t, `#0=(a #0#)`), false},
		{"a vector that contains itself", readLiteral(t, `#0=#("a" #0#)`), false},
		{"a cycle with an alias at its start", circularWith(x, 1), true},
		{"a long cycle with an alias past the budget", circularWith(x, 3*datumWalkBudget), true},
		{"a long list with an alias at its end", longListEndingWith(x, 3*datumWalkBudget), true},
		{"a long list without alias", longListEndingWith(lang.Intern("x"), 3*datumWalkBudget), false},
	} {
		if got := hasAlias(c.d); got != c.want {
			t.Errorf("%s: hasAlias = %v, want %v", c.name, got, c.want)
		}
	}
}

// circularWith returns a circular list of n items whose last item is x.
func circularWith(x lang.Value, n int) *lang.Pair {
	head := &lang.Pair{Car: lang.Intern("a")}
	tail := head
	for i := 1; i < n; i++ {
		p := &lang.Pair{Car: lang.Intern("a")}
		tail.Cdr = p
		tail = p
	}
	tail.Car = x
	tail.Cdr = head
	return head
}

func longListEndingWith(x lang.Value, n int) lang.Value {
	var l lang.Value = lang.List(x)
	for i := 1; i < n; i++ {
		l = &lang.Pair{Car: lang.Intern("a"), Cdr: l}
	}
	return l
}

// TestStripSyntaxKeepsShape strips aliases from data of every shape and
// checks that the copy has no alias left and the shape of the original:
// each pair and vector of the original has one copy, shared and circular
// structure included, and the original is left as it was.
func TestStripSyntaxKeepsShape(t *testing.T) {
	x := &alias{sym: &alias{sym: lang.Intern("x")}}
	doubling := lang.Value(lang.List(x, lang.NewString("leaf")))
	for range 40 {
		doubling = lang.List(doubling, doubling)
	}
	selfVector := &lang.Vector{Items: []lang.Value{x, nil}}
	selfVector.Items[1] = selfVector
	carCycle := &lang.Pair{Car: x}
	carCycle.Cdr = lang.List(carCycle)
	for _, c := range []struct {
		name string
		d    lang.Value
	}{
		{"a small list", lang.List(lang.Intern("a"), x, lang.List(x, lang.MakeInt(1)), &lang.Vector{Items: []lang.Value{x}})},
		{"an improper list ending in an alias", &lang.Pair{Car: lang.Intern("a"), Cdr: x}},
		{"a circular list", circularWith(x, 3)},
		{"a long circular list", circularWith(x, 3*datumWalkBudget)},
		{"a list that contains itself", carCycle},
		{"a vector that contains itself", selfVector},
		{"a long list", longListEndingWith(x, 3*datumWalkBudget)},
		{"doubling shared structure", doubling},
	} {
		got := stripSyntax(c.d)
		if !anyOnce(c.d, isAlias, map[lang.Value]bool{}) {
			t.Errorf("%s: the original lost its aliases", c.name)
		}
		if err := sameShape(c.d, got, map[lang.Value]lang.Value{}, map[lang.Value]lang.Value{}); err != "" {
			t.Errorf("%s: %s", c.name, err)
		}
	}
}

// sameShape reports how copy differs from the original o with its
// aliases replaced by their symbols, "" if it does not: each pair and
// vector of o must have one copy (fwd), and each copy one original (back).
func sameShape(o, copy lang.Value, fwd, back map[lang.Value]lang.Value) string {
	switch x := o.(type) {
	case *alias:
		if copy != lang.Value(baseSymbol(x)) {
			return "an alias of " + baseSymbol(x).Name + " became " + lang.WriteString(copy)
		}
		return ""
	case *lang.Pair, *lang.Vector:
		if c, ok := fwd[o]; ok {
			if c != copy {
				return "a pair or vector met twice was copied twice"
			}
			return ""
		}
		if _, ok := back[copy]; ok {
			return "one copy stands for two originals"
		}
		fwd[o], back[copy] = copy, o
		if p, ok := x.(*lang.Pair); ok {
			cp, ok := copy.(*lang.Pair)
			if !ok {
				return "a pair became " + lang.TypeName(copy)
			}
			// Follow the cdr in a loop: a long list is not a deep one.
			if err := sameShape(p.Car, cp.Car, fwd, back); err != "" {
				return err
			}
			for {
				next, ok := p.Cdr.(*lang.Pair)
				if !ok {
					return sameShape(p.Cdr, cp.Cdr, fwd, back)
				}
				if c, ok := fwd[next]; ok {
					if c != cp.Cdr {
						return "a pair met twice was copied twice"
					}
					return ""
				}
				cnext, ok := cp.Cdr.(*lang.Pair)
				if !ok {
					return "a pair became " + lang.TypeName(cp.Cdr)
				}
				if _, ok := back[cnext]; ok {
					return "one copy stands for two originals"
				}
				fwd[next], back[cnext] = cnext, next
				if err := sameShape(next.Car, cnext.Car, fwd, back); err != "" {
					return err
				}
				p, cp = next, cnext
			}
		}
		v := x.(*lang.Vector)
		cv, ok := copy.(*lang.Vector)
		if !ok || len(cv.Items) != len(v.Items) {
			return "a vector became " + lang.WriteString(copy)
		}
		for i := range v.Items {
			if err := sameShape(v.Items[i], cv.Items[i], fwd, back); err != "" {
				return err
			}
		}
		return ""
	}
	if copy != o {
		return lang.WriteString(o) + " became " + lang.WriteString(copy)
	}
	return ""
}

// TestStripSyntaxSmallAllocations checks that the common case, a small
// acyclic datum, is stripped without a map of what was seen: nothing is
// allocated when it holds no alias, and only its copy when it does.
func TestStripSyntaxSmallAllocations(t *testing.T) {
	plain := readLiteral(t, `(define (f x) (list "a" x #("b" c) '("d" . e)))`)
	if n := testing.AllocsPerRun(100, func() { stripSyntax(plain) }); n != 0 {
		t.Errorf("stripSyntax of a small datum without aliases: %v allocations, want 0", n)
	}
	x := &alias{sym: lang.Intern("x")}
	renamed := lang.List(lang.Intern("define"), lang.List(x, lang.Intern("y")),
		lang.List(lang.Intern("list"), x, &lang.Vector{Items: []lang.Value{x, lang.Intern("c")}}))
	// 8 pairs, and a vector with its items.
	const copyAllocs = 8 + 2
	if n := testing.AllocsPerRun(100, func() { stripSyntax(renamed) }); n > copyAllocs {
		t.Errorf("stripSyntax of a small datum with aliases: %v allocations, want at most %d (its copy)", n, copyAllocs)
	}
}
