package eval

import "fruix.dev/fruix/lang"

// literal marks the strings of a constant datum (a quoted datum, a
// literal vector) immutable, as Guile and R7RS make literals constants,
// and returns it. The datum may be circular (see anyInDatum); marking
// twice does no harm.
func literal(d lang.Value) lang.Value {
	anyInDatum(d, markConstant)
	return d
}

func markConstant(v lang.Value) bool {
	if s, ok := v.(*lang.String); ok {
		s.Immutable = true
	}
	return false
}
