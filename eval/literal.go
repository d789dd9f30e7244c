package eval

import "fruix.dev/fruix/lang"

// literal marks the strings of a constant datum (a quoted datum, a
// literal vector) immutable, as Guile and R7RS make literals constants,
// and returns it.
//
// Most literals are small and acyclic, and walking them without
// remembering what was seen allocates nothing. A walk that goes on for
// longer than literalWalkBudget steps may be going round a circular
// literal (#0=(a . #0#)) or through shared structure many times over, and
// the datum is walked again with a set of what was seen, which visits
// each pair and vector once. Marking twice does no harm.
func literal(d lang.Value) lang.Value {
	budget := literalWalkBudget
	if !markConstantWithin(d, &budget) {
		markConstantOnce(d, map[lang.Value]bool{})
	}
	return d
}

// literalWalkBudget is how many pairs and vectors markConstantWithin
// visits before it gives up.
const literalWalkBudget = 4096

// markConstantWithin marks the strings of x immutable, spending one of
// budget per pair and vector, and reports whether it finished.
func markConstantWithin(x lang.Value, budget *int) bool {
	for {
		switch v := x.(type) {
		case *lang.String:
			v.Immutable = true
		case *lang.Pair:
			if *budget--; *budget < 0 {
				return false
			}
			if !markConstantWithin(v.Car, budget) {
				return false
			}
			x = v.Cdr
			continue
		case *lang.Vector:
			if *budget--; *budget < 0 {
				return false
			}
			for _, it := range v.Items {
				if !markConstantWithin(it, budget) {
					return false
				}
			}
		}
		return true
	}
}

// markConstantOnce marks the strings of x immutable, walking each pair
// and vector once.
func markConstantOnce(x lang.Value, seen map[lang.Value]bool) {
	for {
		switch v := x.(type) {
		case *lang.String:
			v.Immutable = true
		case *lang.Pair:
			if seen[v] {
				return
			}
			seen[v] = true
			markConstantOnce(v.Car, seen)
			x = v.Cdr
			continue
		case *lang.Vector:
			if seen[v] {
				return
			}
			seen[v] = true
			for _, it := range v.Items {
				markConstantOnce(it, seen)
			}
		}
		return
	}
}
