package eval

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"fruix.dev/fruix/lang"
)

// circularCodeDeadline bounds each evaluation of the tests below. They
// all take well under a millisecond; a regression loops for ever.
const circularCodeDeadline = 20 * time.Second

// evalWithin evaluates src as evalCircular does, within the deadline.
func evalWithin(t *testing.T, src string) (v lang.Value, err error) {
	t.Helper()
	within(t, "evaluating "+src, func() { v, err = evalCircular(t, src) })
	return v, err
}

// within runs f on its own goroutine and waits for it. A walk that goes
// round a circular form for ever cannot be stopped, and most of the ones
// these tests guard against also allocate without end, so past the
// deadline the test binary is stopped at once with every goroutine's
// stack, which shows where the walk went round, instead of hanging the
// suite or letting the runaway goroutine exhaust memory while later
// tests run.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(circularCodeDeadline):
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		panic(fmt.Sprintf("%s: %s did not finish within %v\n\n%s", t.Name(), what, circularCodeDeadline, buf))
	}
}

// TestCircularCodeListItems compiles forms in which a list the compiler
// walks with listItems is circular: a let's bindings, a case clause's
// data, a call's arguments, a body. Each used to be appended to until
// memory ran out; each is now a syntax error at the form.
func TestCircularCodeListItems(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`(let #0=((a 1) . #0#) a)`, `let: expected a proper list, not a circular one`},
		{`(let* #0=((a 1) . #0#) a)`, `let*: expected a proper list, not a circular one`},
		{`(case 1 (#0=(1 . #0#) 'one))`, `case clause data: expected a proper list, not a circular one`},
		{`(case 1 (#0=(1 2 3 . #0#) 'one))`, `case clause data: expected a proper list, not a circular one`},
		{`(car 1 . #0=(2 . #0#))`, `procedure call: expected a proper list, not a circular one`},
		{`(begin . #0=(1 2 . #0#))`, `begin: expected a proper list, not a circular one`},
		{`(lambda (x) . #0=(x . #0#))`, `lambda: expected a proper list, not a circular one`},
		{`(cond . #0=((#f 1) . #0#))`, `cond: expected a proper list, not a circular one`},
		{`(if . #0=(#t . #0#))`, `if: expected a proper list, not a circular one`},
	} {
		_, err := evalWithin(t, c.src)
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

// rhoList returns a list of prefix pairs leading into a cycle of cycle
// pairs (cycle 0: a proper list of prefix items), numbered from 0.
func rhoList(prefix, cycle int) lang.Value {
	var head lang.Value = lang.Nil
	var pairs []*lang.Pair
	for i := prefix + cycle - 1; i >= 0; i-- {
		p := &lang.Pair{Car: lang.MakeInt(int64(i)), Cdr: head}
		head = p
		pairs = append([]*lang.Pair{p}, pairs...)
	}
	if cycle > 0 {
		pairs[len(pairs)-1].Cdr = pairs[prefix]
	}
	return head
}

// TestListItemsFindsEveryCycle gives listItems circular lists of every
// small shape, the cycle reached after 0 to 6 pairs and 1 to 7 pairs
// long: each is refused. The proper lists of the same lengths come back
// item for item.
func TestListItemsFindsEveryCycle(t *testing.T) {
	c := New(Options{}).newCompiler(nil)
	for prefix := 0; prefix <= 6; prefix++ {
		for cycle := 1; cycle <= 7; cycle++ {
			var err error
			within(t, fmt.Sprintf("listItems of a cycle of %d after %d", cycle, prefix), func() {
				_, err = c.listItems(lang.Nil, rhoList(prefix, cycle), "test")
			})
			if err == nil || !strings.Contains(FormatError(err), "test: expected a proper list, not a circular one") {
				t.Errorf("prefix %d, cycle %d: got %v, want the circular list refused", prefix, cycle, err)
			}
		}
		for n := prefix; n <= prefix+7; n++ {
			items, err := c.listItems(lang.Nil, rhoList(n, 0), "test")
			if err != nil || len(items) != n {
				t.Fatalf("a proper list of %d: got %d items, %v", n, len(items), err)
			}
			for i, it := range items {
				if it != lang.MakeInt(int64(i)) {
					t.Errorf("a proper list of %d: item %d is %s", n, i, lang.WriteString(it))
				}
			}
		}
	}
}

// TestListItemsAllocations checks that looking out for cycles costs
// listItems no allocation: it allocates the slice of items once, at its
// size (appending them one by one, as it did before, took one allocation
// per doubling: 4 for 5 items, 7 for 40), and nothing for no items.
func TestListItemsAllocations(t *testing.T) {
	c := New(Options{}).newCompiler(nil)
	for _, n := range []int{0, 1, 2, 3, 5, 8, 40} {
		l := rhoList(n, 0)
		got := testing.AllocsPerRun(100, func() {
			sinkItems, _ = c.listItems(lang.Nil, l, "test")
		})
		want := 1.0
		if n == 0 {
			want = 0
		}
		if got > want {
			t.Errorf("listItems of %d items: %v allocations, want at most %v (the slice of items)", n, got, want)
		}
	}
}

// sinkItems keeps the items of the allocation test alive, so that the
// compiler cannot drop the slices it measures.
var sinkItems []lang.Value

// TestCircularQuasiquote quasiquotes templates that contain themselves,
// through the cdr, the car and a vector, without unquote: each used to
// loop for ever looking for an unquote, and now evaluates to the
// template, keeping its shape, as quote does.
func TestCircularQuasiquote(t *testing.T) {
	long := "#0=(" + strings.Repeat("a ", 3*datumWalkBudget) + ". #0#)"
	for _, c := range []struct{ src, want string }{
		{"(car `#0=(a . #0#))", `a`},
		{"(car `#0=(a #0#))", `a`},
		{"(vector-ref `#0=#(\"a\" #0#) 0)", `"a"`},
		{"(let ((x `#0=(1 . #0#))) (eq? x (cdr x)))", `#t`},
		{"(let ((x `#0=(1 #0#))) (eq? x (car (cdr x))))", `#t`},
		{"(let ((v `#0=#(\"a\" #0#))) (eq? v (vector-ref v 1)))", `#t`},
		{"(car `" + long + ")", `a`},
		// Nested: the inner quasiquote is data of the outer one.
		{"(let ((x (car (cdr (car (cdr `(1 `#0=(a . #0#)))))))) (eq? x (cdr x)))", `#t`},
		// Handed to a macro whose template quasiquotes it.
		{"(define-syntax q (syntax-rules () ((_ x) `(k . x)))) (car (q #0=(a . #0#)))", `k`},
		{"(define-syntax q (syntax-rules () ((_ x) `(k . x))))\n" +
			"(let ((v (q #0=(a . #0#)))) (eq? (cdr v) (cdr (cdr v))))", `#t`},
		// Shared, not circular, structure around an unquote is built.
		{"(let ((x 1)) `(#0=(,x) #0#))", `((1) (1))`},
	} {
		v, err := evalWithin(t, c.src)
		if err != nil {
			t.Errorf("%.80s: %s", c.src, FormatError(err))
			continue
		}
		if got := lang.WriteString(v); got != c.want {
			t.Errorf("%.80s: got %s, want %s", c.src, got, c.want)
		}
	}
}

// TestCircularQuasiquoteWithUnquote quasiquotes templates that contain
// themselves and hold an unquote: building their value would go round
// them for ever, so each is a syntax error at the quasiquote.
func TestCircularQuasiquoteWithUnquote(t *testing.T) {
	const want = "quasiquote: the template contains itself and holds unquote; expected finite data around unquote and unquote-splicing, not a circular list or vector"
	long := "#0=(" + strings.Repeat("a ", 3*datumWalkBudget) + ",x . #0#)"
	for _, c := range []struct {
		src    string
		column int
	}{
		{"(let ((x 1)) `#0=(,x . #0#))", 14},
		{"(let ((x 1)) `#0=(a ,x . #0#))", 14},
		{"(let ((x '(1))) `#0=(,@x . #0#))", 17},
		{"(let ((x 1)) `#0=(,x #0#))", 14},
		{"(let ((x 1)) `#0=#(,x #0#))", 14},
		{"(let ((x 1)) (list `(b #0=(c ,x . #0#))))", 20},
		{"(let ((x 1)) ``#0=(,,x . #0#))", 14},
		{"(let ((x 1)) `" + long + ")", 14},
	} {
		_, err := evalWithin(t, c.src)
		if err == nil {
			t.Errorf("%.80s: accepted", c.src)
			continue
		}
		got := strings.TrimSpace(FormatError(err))
		if prefix := fmt.Sprintf("circular.scm:1:%d: ", c.column); !strings.HasPrefix(got, prefix) || !strings.HasSuffix(got, want) {
			t.Errorf("%.80s:\n got %.200s\nwant circular.scm:1:%d: %s", c.src, got, c.column, want)
		}
	}
}

// TestCircularUnquoteSplicing splices circular lists: copying one went
// on until memory ran out; it is now an error at the template. A
// circular list spliced at the end of a list template is the list's
// tail, as append's last argument is.
func TestCircularUnquoteSplicing(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"(let ((x '#0=(1 . #0#))) `(0 ,@x 2))", "unquote-splicing: want proper list, got a circular list"},
		{"(let ((x '#0=(1 2 . #0#))) `(0 ,@x . 2))", "unquote-splicing: want proper list, got a circular list"},
		{"(let ((x '#0=(1 2 . #0#))) `#(,@x))", "unquote-splicing: want proper list, got a circular list"},
		{"(let ((x '#0=(1 . #0#))) `#(0 ,@x))", "unquote-splicing: want proper list, got a circular list"},
		{"(let ((x '(1 . 2))) `#(0 ,@x))", "unquote-splicing: want proper list, got pair"},
		{"(let ((x '(1 . 2))) `(0 ,@x 3))", "unquote-splicing: want proper list, got pair"},
	} {
		_, err := evalWithin(t, c.src)
		if err == nil {
			t.Errorf("%s: accepted", c.src)
			continue
		}
		got := strings.TrimSpace(FormatError(err))
		if !strings.HasPrefix(got, "circular.scm:1:") || !strings.Contains(got, c.want) {
			t.Errorf("%s:\n got %s\nwant circular.scm:1:COLUMN: ... %s", c.src, got, c.want)
		}
	}
	for _, c := range []struct{ src, want string }{
		{"(let ((x '#0=(1 . #0#))) (eq? x `(,@x)))", `#t`},
		{"(let ((x '#0=(1 . #0#))) (eq? x (cdr `(0 ,@x))))", `#t`},
		{"(let ((x '(1 2))) `#(0 ,@x))", `#(0 1 2)`},
		{"(let ((x '(1 2))) `#(0 ,@x 3))", `#(0 1 2 3)`},
	} {
		v, err := evalWithin(t, c.src)
		if err != nil {
			t.Errorf("%s: %s", c.src, FormatError(err))
			continue
		}
		if got := lang.WriteString(v); got != c.want {
			t.Errorf("%s: got %s, want %s", c.src, got, c.want)
		}
	}
}

// TestHasUnquoteCircular checks hasUnquote on templates its bounded walk
// cannot finish: cycles without unquote are false; an unquote past the
// budget, inside or after a cycle, is found.
func TestHasUnquoteCircular(t *testing.T) {
	unquoted := lang.List(lang.Intern("unquote"), lang.Intern("x"))
	renamed := lang.List(&alias{sym: lang.Intern("unquote-splicing")}, lang.Intern("x"))
	for _, tc := range []struct {
		name string
		d    lang.Value
		want bool
	}{
		{"a cdr cycle without unquote", readLiteral(t, `#0=(a . #0#)`), false},
		{"a car cycle without unquote", readLiteral(t, `#0=(a #0#)`), false},
		{"a vector that contains itself", readLiteral(t, `#0=#("a" #0#)`), false},
		{"a cdr cycle with unquote", readLiteral(t, `#0=(a ,b . #0#)`), true},
		{"a vector that contains itself with unquote", readLiteral(t, `#0=#(#0# (a ,@b))`), true},
		{"a long cycle with unquote past the budget", circularWith(unquoted, 3*datumWalkBudget), true},
		{"a long cycle with a renamed unquote-splicing past the budget", circularWith(renamed, 3*datumWalkBudget), true},
		{"a long cycle without unquote", circularWith(lang.Intern("x"), 3*datumWalkBudget), false},
		{"a long list with unquote at its end", longListEndingWith(unquoted, 3*datumWalkBudget), true},
		{"a long list without unquote", longListEndingWith(lang.Intern("x"), 3*datumWalkBudget), false},
		{"a dotted unquote", readLiteral(t, "(a . ,b)"), true},
		{"unquote as a symbol in a vector", readLiteral(t, "#(unquote b)"), false},
	} {
		var got bool
		within(t, tc.name, func() { got = hasUnquote(tc.d) })
		if got != tc.want {
			t.Errorf("%s: hasUnquote = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestQuasiquoteFindsEachUnquote checks the templates on which the
// quasiquote compiler, no longer searching the rest of a list for an
// unquote at every pair, must still find each one: after a long constant
// run, after an unquote name that is data (a malformed unquote, or one
// whose name is bound locally), and in a dotted tail.
func TestQuasiquoteFindsEachUnquote(t *testing.T) {
	run := strings.Repeat("a ", 3*datumWalkBudget)
	for _, c := range []struct{ src, want string }{
		{"(let ((b 2)) (last-two `(" + run + ",b c)))", "(2 c)"},
		{"(let ((b 2)) `(a (unquote b c) ,b))", "(a (unquote b c) 2)"},
		{"(let ((b 2)) `(a (unquote) ,b))", "(a (unquote) 2)"},
		{"(let ((b 2)) `(a unquote b))", "(a . 2)"},
		{"(let ((b 2)) `(a (b . ,b) . ,b))", "(a (b . 2) . 2)"},
		{"(let ((unquote 1) (b 2)) `(a (unquote b c) . ,b))", "(a (unquote b c) unquote b)"},
		{"(let ((b 2)) `#(a ,b #(c ,b) (d . ,b)))", "#(a 2 #(c 2) (d . 2))"},
		{"(let ((b 2)) `(1 `(2 ,(3 ,b)) . ,b))", "(1 `(2 ,(3 2)) . 2)"},
	} {
		v, err := evalWithin(t, "(define (last-two l) (if (eq? (cdr (cdr l)) '()) l (last-two (cdr l))))\n"+c.src)
		if err != nil {
			t.Errorf("%.80s: %s", c.src, FormatError(err))
			continue
		}
		if got := lang.WriteString(v); got != c.want {
			t.Errorf("%.80s: got %s, want %s", c.src, got, c.want)
		}
	}
}

// TestQuasiquoteLongTemplateTime, run with FRUIX_QQ_TIMING=1 and -v,
// logs how long compiling and evaluating a quasiquoted list of n items
// with one unquote at its end takes (the best of 5), for the figures of
// docs/performance.md. It checks nothing: timings never gate a test.
func TestQuasiquoteLongTemplateTime(t *testing.T) {
	if os.Getenv("FRUIX_QQ_TIMING") != "1" {
		t.Skip("set FRUIX_QQ_TIMING=1 to measure")
	}
	var out bytes.Buffer
	th := New(Options{Stdout: &out, Stderr: &out})
	if _, err := th.EvalString(&lang.Source{Name: "qq.scm"}, "(define x 1)"); err != nil {
		t.Fatal(FormatError(err))
	}
	for _, n := range []int{100, 1000, 4000, 12288} {
		src := "`(" + strings.Repeat("a ", n) + ",x)"
		best := time.Duration(1 << 62)
		for range 5 {
			start := time.Now()
			if _, err := th.EvalString(&lang.Source{Name: "qq.scm"}, src); err != nil {
				t.Fatal(FormatError(err))
			}
			best = min(best, time.Since(start))
		}
		t.Logf("n=%d best of 5: %v", n, best)
	}
}
