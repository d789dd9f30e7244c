package eval

import (
	"fmt"
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
