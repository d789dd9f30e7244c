package eval

import "fruix.dev/fruix/lang"

// Data in code can be circular (#0=(a . #0#)) or share structure many
// times over, and still most of it is a small tree. The walks that look
// through a datum (for an alias, an unquote, the strings of a literal)
// first go through it without remembering anything, which allocates
// nothing, within datumWalkBudget pairs and vectors; a datum that outlasts
// the budget is walked again with a set of what was seen, which visits
// each pair and vector once.

// datumWalkBudget is how many pairs and vectors a walk without memory
// visits before it gives up.
const datumWalkBudget = 4096

// anyInDatum calls visit on d and on every value inside it (the cars and
// cdrs of its pairs, the items of its vectors) until visit returns true,
// and reports whether it did. visit may see a value more than once.
func anyInDatum(d lang.Value, visit func(lang.Value) bool) bool {
	budget := datumWalkBudget
	if found, finished := anyWithin(d, visit, &budget); finished {
		return found
	}
	return anyOnce(d, visit, map[lang.Value]bool{})
}

// anyWithin is anyInDatum spending one of budget per pair and vector. It
// reports whether visit returned true and whether the walk finished: what
// is found is found even when the rest of d is circular.
func anyWithin(d lang.Value, visit func(lang.Value) bool, budget *int) (found, finished bool) {
	for {
		if visit(d) {
			return true, true
		}
		switch x := d.(type) {
		case *lang.Pair:
			if *budget--; *budget < 0 {
				return false, false
			}
			if found, finished := anyWithin(x.Car, visit, budget); found || !finished {
				return found, finished
			}
			d = x.Cdr
			continue
		case *lang.Vector:
			if *budget--; *budget < 0 {
				return false, false
			}
			for _, it := range x.Items {
				if found, finished := anyWithin(it, visit, budget); found || !finished {
					return found, finished
				}
			}
		}
		return false, true
	}
}

// anyOnce is anyInDatum walking each pair and vector once.
func anyOnce(d lang.Value, visit func(lang.Value) bool, seen map[lang.Value]bool) bool {
	for {
		switch x := d.(type) {
		case *lang.Pair, *lang.Vector:
			if seen[x] {
				return false
			}
			seen[x] = true
		}
		if visit(d) {
			return true
		}
		switch x := d.(type) {
		case *lang.Pair:
			if anyOnce(x.Car, visit, seen) {
				return true
			}
			d = x.Cdr
			continue
		case *lang.Vector:
			for _, it := range x.Items {
				if anyOnce(it, visit, seen) {
					return true
				}
			}
		}
		return false
	}
}
