package lang

import (
	"math"
	"math/big"
)

// Integer division in the two roundings of R7RS: truncate/ (quotient,
// remainder) rounds the quotient toward zero, floor/ (floor-quotient,
// modulo) toward negative infinity. Operands may be exact integers or
// inexact integers such as 7.0; an inexact operand makes the result
// inexact.

// Quotient returns a/b rounded toward zero (truncate-quotient).
func Quotient(a, b Value) (Value, error) {
	q, _, err := divide("quotient", a, b, false, true, false)
	return q, err
}

// Remainder returns a - b*Quotient(a, b) (truncate-remainder); its sign is
// that of a.
func Remainder(a, b Value) (Value, error) {
	_, r, err := divide("remainder", a, b, false, false, true)
	return r, err
}

// FloorQuotient returns a/b rounded toward negative infinity.
func FloorQuotient(a, b Value) (Value, error) {
	q, _, err := divide("floor-quotient", a, b, true, true, false)
	return q, err
}

// Modulo returns a - b*FloorQuotient(a, b) (floor-remainder); its sign is
// that of b.
func Modulo(a, b Value) (Value, error) {
	_, r, err := divide("modulo", a, b, true, false, true)
	return r, err
}

// TruncateDiv returns both results of truncate/.
func TruncateDiv(a, b Value) (q, r Value, err error) {
	return divide("truncate/", a, b, false, true, true)
}

// FloorDiv returns both results of floor/.
func FloorDiv(a, b Value) (q, r Value, err error) {
	return divide("floor/", a, b, true, true, true)
}

func wantInteger(op string, v Value) error {
	if !IsNumber(v) {
		return notNumber(op, v)
	}
	return &NumError{Op: op, Msg: "want integer, got " + NumberToString(v, 10)}
}

// divide computes the quotient and/or remainder of a by b.
func divide(op string, a, b Value, floor, wantQ, wantR bool) (q, r Value, err error) {
	if x, ok := a.(Fixnum); ok {
		if y, ok := b.(Fixnum); ok && y != 0 && !(x == math.MinInt64 && y == -1) {
			qq, rr := x/y, x%y
			if floor && rr != 0 && (rr < 0) != (y < 0) {
				qq--
				rr += y
			}
			if wantQ {
				q = MakeInt(int64(qq))
			}
			if wantR {
				r = MakeInt(int64(rr))
			}
			return q, r, nil
		}
	}
	if !IsInteger(a) {
		return nil, nil, wantInteger(op, a)
	}
	if !IsInteger(b) {
		return nil, nil, wantInteger(op, b)
	}
	if IsZero(b) {
		return nil, nil, divByZero(op)
	}
	// Inexact integers are finite and so exactly convertible: compute
	// exactly, then make the results inexact if an operand was.
	inexact := !IsExact(a) || !IsExact(b)
	a, _ = Exact(a)
	b, _ = Exact(b)
	x, y := bigOf(a), bigOf(b)
	bq, br := new(Bignum), new(Bignum)
	bq.QuoRem(x, y, &br.Int)
	if floor && br.Sign() != 0 && br.Sign() != y.Sign() {
		bq.Sub(&bq.Int, big.NewInt(1))
		br.Add(&br.Int, y)
	}
	if inexact {
		fq, _ := ToFloat(bq)
		fr, _ := ToFloat(br)
		if fr == 0 && Sign(a) < 0 && !floor {
			fr = math.Copysign(0, -1) // as fmod gives: the sign of the dividend
		}
		return Flonum(fq), Flonum(fr), nil
	}
	return normBig(bq), normBig(br), nil
}

// Gcd returns the greatest common divisor of a and b, always
// non-negative; (gcd 0 0) is 0.
func Gcd(a, b Value) (Value, error) {
	if x, ok := a.(Fixnum); ok {
		if y, ok := b.(Fixnum); ok && x != math.MinInt64 && y != math.MinInt64 {
			x, y = max(x, -x), max(y, -y)
			for y != 0 {
				x, y = y, x%y
			}
			return MakeInt(int64(x)), nil
		}
	}
	if !IsInteger(a) {
		return nil, wantInteger("gcd", a)
	}
	if !IsInteger(b) {
		return nil, wantInteger("gcd", b)
	}
	inexact := !IsExact(a) || !IsExact(b)
	a, _ = Exact(a)
	b, _ = Exact(b)
	x := new(big.Int).Abs(bigOf(a))
	y := new(big.Int).Abs(bigOf(b))
	g := new(Bignum)
	g.GCD(nil, nil, x, y)
	if inexact {
		f, _ := ToFloat(g)
		return Flonum(f), nil
	}
	return normBig(g), nil
}

// Lcm returns the least common multiple of a and b, always non-negative;
// it is 0 when either is 0.
func Lcm(a, b Value) (Value, error) {
	g, err := Gcd(a, b)
	if err != nil {
		return nil, &NumError{Op: "lcm", Msg: err.(*NumError).Msg}
	}
	if IsZero(g) {
		return Mul(g, a) // 0, exact or inexact as the operands
	}
	q, err := Quotient(a, g)
	if err != nil {
		return nil, err
	}
	p, err := Mul(q, b)
	if err != nil {
		return nil, err
	}
	return Abs(p)
}

// ExactIntegerSqrt returns s and r with s*s + r = n and s the largest such
// integer, for an exact non-negative integer n.
func ExactIntegerSqrt(n Value) (s, r Value, err error) {
	if !IsExactInteger(n) {
		if IsNumber(n) {
			return nil, nil, &NumError{Op: "exact-integer-sqrt", Msg: "want exact non-negative integer, got " + NumberToString(n, 10)}
		}
		return nil, nil, notNumber("exact-integer-sqrt", n)
	}
	x := bigOf(n)
	if x.Sign() < 0 {
		return nil, nil, &NumError{Op: "exact-integer-sqrt", Msg: "want exact non-negative integer, got " + x.String()}
	}
	bs := new(Bignum)
	bs.Sqrt(x)
	br := new(Bignum)
	br.Mul(&bs.Int, &bs.Int)
	br.Sub(x, &br.Int)
	return normBig(bs), normBig(br), nil
}
