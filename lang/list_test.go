package lang

import "testing"

// TestListLength counts proper and dotted lists and finds every cycle:
// 0 to 6 pairs before a cycle of 1 to 7 pairs.
func TestListLength(t *testing.T) {
	for n := range 10 {
		items := make([]Value, n)
		for i := range items {
			items[i] = Fixnum(i)
		}
		if got, tail, circular := ListLength(List(items...)); got != n || tail != Value(Nil) || circular {
			t.Errorf("proper list of %d: %d, %v, %v", n, got, tail, circular)
		}
		var dotted Value = Intern("rest")
		for range n {
			dotted = &Pair{Car: Fixnum(0), Cdr: dotted}
		}
		if got, tail, circular := ListLength(dotted); got != n || tail != Value(Intern("rest")) || circular {
			t.Errorf("dotted list of %d: %d, %v, %v", n, got, tail, circular)
		}
	}
	for before := range 7 {
		for cycle := 1; cycle <= 7; cycle++ {
			pairs := make([]*Pair, before+cycle)
			for i := range pairs {
				pairs[i] = &Pair{Car: Fixnum(i)}
			}
			for i := 0; i+1 < len(pairs); i++ {
				pairs[i].Cdr = pairs[i+1]
			}
			pairs[len(pairs)-1].Cdr = pairs[before]
			if _, tail, circular := ListLength(pairs[0]); !circular || tail != nil {
				t.Errorf("%d pairs before a cycle of %d: not found circular", before, cycle)
			}
		}
	}
}

// TestListItems copies the items of proper and dotted lists, each in one
// allocation, and gives none for a circular list.
func TestListItems(t *testing.T) {
	for n := range 6 {
		var l Value = Intern("rest")
		for i := n - 1; i >= 0; i-- {
			l = &Pair{Car: Fixnum(i), Cdr: l}
		}
		items, tail, circular := ListItems(l)
		if len(items) != n || tail != Value(Intern("rest")) || circular {
			t.Fatalf("dotted list of %d: %v, %v, %v", n, items, tail, circular)
		}
		for i, it := range items {
			if it != Value(Fixnum(i)) {
				t.Errorf("dotted list of %d: item %d is %v", n, i, it)
			}
		}
		want := 1.0
		if n == 0 {
			want = 0
		}
		if allocs := testing.AllocsPerRun(20, func() { items, _, _ = ListItems(l) }); allocs != want {
			t.Errorf("list of %d: %v allocations, want %v", n, allocs, want)
		}
	}
	cycle := &Pair{Car: Fixnum(1)}
	cycle.Cdr = &Pair{Car: Fixnum(2), Cdr: cycle}
	if items, tail, circular := ListItems(&Pair{Car: Fixnum(0), Cdr: cycle}); items != nil || tail != nil || !circular {
		t.Errorf("circular list: %v, %v, %v", items, tail, circular)
	}
}
