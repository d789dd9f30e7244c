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
