package lang

import (
	"math"
	"math/big"
)

// Floor returns the largest integer not greater than a, of a's exactness.
func Floor(a Value) (Value, error) { return roundTo("floor", a, math.Floor) }

// Ceiling returns the smallest integer not less than a.
func Ceiling(a Value) (Value, error) { return roundTo("ceiling", a, math.Ceil) }

// Truncate returns the integer closest to a whose absolute value is not
// greater than a's.
func Truncate(a Value) (Value, error) { return roundTo("truncate", a, math.Trunc) }

// Round returns the closest integer to a, rounding to even when a is
// halfway between two integers.
func Round(a Value) (Value, error) { return roundTo("round", a, math.RoundToEven) }

func roundTo(op string, a Value, f func(float64) float64) (Value, error) {
	switch x := a.(type) {
	case Fixnum, *Bignum:
		return a, nil
	case Flonum:
		return Flonum(f(float64(x))), nil
	case *Ratnum:
		// q, m: the floor of x and x's distance above it (0 < m < 1).
		num, den := x.Num(), x.Denom()
		q, m := new(big.Int), new(big.Int)
		q.DivMod(num, den, m) // den > 0, so this is floor division
		up := false
		switch op {
		case "ceiling":
			up = true
		case "truncate":
			up = num.Sign() < 0
		case "round":
			c := new(big.Int).Lsh(m, 1).Cmp(den)
			up = c > 0 || (c == 0 && q.Bit(0) == 1)
		}
		if up {
			q.Add(q, big.NewInt(1))
		}
		return MakeBig(q), nil
	}
	return nil, notNumber(op, a)
}

// Exact returns the exact number equal to a; an inexact a that is an
// infinity or NaN has none and is an error.
func Exact(a Value) (Value, error) {
	switch x := a.(type) {
	case Fixnum, *Bignum, *Ratnum:
		return a, nil
	case Flonum:
		f := float64(x)
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, &NumError{Op: "exact", Msg: "no exact representation of " + formatFlonum(f)}
		}
		if f == math.Trunc(f) && f > -1<<63 && f < 1<<63 {
			return MakeInt(int64(f)), nil
		}
		return MakeRat(new(big.Rat).SetFloat64(f)), nil
	}
	return nil, notNumber("exact", a)
}

// Inexact returns the flonum closest to a.
func Inexact(a Value) (Value, error) {
	if f, ok := ToFloat(a); ok {
		return Flonum(f), nil
	}
	return nil, notNumber("inexact", a)
}

// Numerator returns the numerator of a in lowest terms (inexact when a
// is).
func Numerator(a Value) (Value, error) { return fractionPart("numerator", a, true) }

// Denominator returns the denominator of a in lowest terms, always
// positive; the denominator of 0 is 1.
func Denominator(a Value) (Value, error) { return fractionPart("denominator", a, false) }

func fractionPart(op string, a Value, num bool) (Value, error) {
	switch x := a.(type) {
	case Fixnum, *Bignum:
		if num {
			return a, nil
		}
		return MakeInt(1), nil
	case *Ratnum:
		if num {
			return MakeBig(x.Num()), nil
		}
		return MakeBig(x.Denom()), nil
	case Flonum:
		e, err := Exact(x)
		if err != nil {
			return nil, &NumError{Op: op, Msg: "no exact representation of " + formatFlonum(float64(x))}
		}
		r, _ := fractionPart(op, e, num)
		return Inexact(r)
	}
	return nil, notNumber(op, a)
}
