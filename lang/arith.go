package lang

import (
	"math"
	"math/big"
)

// Add returns a + b. Fixnum sums that do not overflow take an inlined
// fast path and do not allocate in the small-integer cache range.
func Add(a, b Value) (Value, error) {
	if x, ok := a.(Fixnum); ok {
		if y, ok := b.(Fixnum); ok {
			if s := x + y; (x^s)&(y^s) >= 0 {
				return MakeInt(int64(s)), nil
			}
		}
	}
	return arith2("+", opAdd, a, b)
}

// Sub returns a - b.
func Sub(a, b Value) (Value, error) {
	if x, ok := a.(Fixnum); ok {
		if y, ok := b.(Fixnum); ok {
			d := x - y
			if (x^y)&(x^d) >= 0 {
				return MakeInt(int64(d)), nil
			}
		}
	}
	return arith2("-", opSub, a, b)
}

// Mul returns a * b.
func Mul(a, b Value) (Value, error) {
	if x, ok := a.(Fixnum); ok {
		if y, ok := b.(Fixnum); ok {
			if p, ok := mul64(int64(x), int64(y)); ok {
				return MakeInt(p), nil
			}
		}
	}
	return arith2("*", opMul, a, b)
}

// mul64 returns x*y and whether it fits in int64.
func mul64(x, y int64) (int64, bool) {
	if x == 0 || y == 0 {
		return 0, true
	}
	p := x * y
	if p/y != x || (x == -1 && y == math.MinInt64) || (y == -1 && x == math.MinInt64) {
		return 0, false
	}
	return p, true
}

// Div returns a / b. Exact operands give an exact result (a rational when
// needed); an exact division by zero is an error, an inexact one gives an
// infinity or NaN.
func Div(a, b Value) (Value, error) {
	if x, ok := a.(Fixnum); ok {
		if y, ok := b.(Fixnum); ok && y != 0 {
			if x%y == 0 && !(x == math.MinInt64 && y == -1) {
				return MakeInt(int64(x / y)), nil
			}
		}
	}
	return arith2("/", opDiv, a, b)
}

// Neg returns -a.
func Neg(a Value) (Value, error) {
	if x, ok := a.(Fixnum); ok && x != math.MinInt64 {
		return MakeInt(int64(-x)), nil
	}
	switch x := a.(type) {
	case Fixnum, *Bignum:
		r := new(Bignum)
		r.Neg(bigOf(x))
		return normBig(r), nil
	case *Ratnum:
		r := new(Ratnum)
		r.Neg(&x.Rat)
		return r, nil
	case Flonum:
		return -x, nil
	}
	return nil, notNumber("-", a)
}

// Abs returns the absolute value of a.
func Abs(a Value) (Value, error) {
	switch x := a.(type) {
	case Fixnum:
		if x >= 0 {
			return a, nil
		}
	case *Bignum:
		if x.Sign() >= 0 {
			return a, nil
		}
	case *Ratnum:
		if x.Sign() >= 0 {
			return a, nil
		}
	case Flonum:
		return Flonum(math.Abs(float64(x))), nil
	default:
		return nil, notNumber("abs", a)
	}
	return Neg(a)
}

type arithOp int

const (
	opAdd arithOp = iota
	opSub
	opMul
	opDiv
)

// arith2 is the general path of the four operations: it converts both
// operands to the higher of their two levels and normalizes the result.
func arith2(name string, op arithOp, a, b Value) (Value, error) {
	la, lb := level(a), level(b)
	if la < 0 {
		return nil, notNumber(name, a)
	}
	if lb < 0 {
		return nil, notNumber(name, b)
	}
	l := max(la, lb)
	switch {
	case l == 3:
		x, _ := ToFloat(a)
		y, _ := ToFloat(b)
		switch op {
		case opAdd:
			return Flonum(x + y), nil
		case opSub:
			return Flonum(x - y), nil
		case opMul:
			return Flonum(x * y), nil
		default:
			if y == 0 && lb != 3 {
				return nil, divByZero(name)
			}
			return Flonum(x / y), nil
		}
	case l == 2 || op == opDiv:
		x, y := toRat(a), toRat(b)
		r := new(Ratnum)
		switch op {
		case opAdd:
			r.Add(x, y)
		case opSub:
			r.Sub(x, y)
		case opMul:
			r.Mul(x, y)
		default:
			if y.Sign() == 0 {
				return nil, divByZero(name)
			}
			r.Quo(x, y)
		}
		return normRat(r), nil
	default:
		x, y := bigOf(a), bigOf(b)
		r := new(Bignum)
		switch op {
		case opAdd:
			r.Add(x, y)
		case opSub:
			r.Sub(x, y)
		default:
			r.Mul(x, y)
		}
		return normBig(r), nil
	}
}

// Unordered is what Compare returns when either operand is a NaN.
const Unordered = 2

// Compare returns -1, 0 or +1 as a is less than, equal to or greater than
// b, or Unordered when either is a NaN. Mixed exact and inexact operands
// are compared exactly, so comparisons stay transitive. Use NumEqual and
// NumLess... for Scheme's = < <= > >=, which handle NaN.
func Compare(a, b Value) (int, error) {
	if x, ok := a.(Fixnum); ok {
		if y, ok := b.(Fixnum); ok {
			switch {
			case x < y:
				return -1, nil
			case x > y:
				return 1, nil
			}
			return 0, nil
		}
	}
	return compareSlow("compare", a, b)
}

func compareSlow(name string, a, b Value) (int, error) {
	la, lb := level(a), level(b)
	if la < 0 {
		return 0, notNumber(name, a)
	}
	if lb < 0 {
		return 0, notNumber(name, b)
	}
	if la == 3 || lb == 3 {
		if la == 3 && lb == 3 {
			return cmpFloat(float64(a.(Flonum)), float64(b.(Flonum))), nil
		}
		if la == 3 {
			return cmpFloatExact(float64(a.(Flonum)), b), nil
		}
		c := cmpFloatExact(float64(b.(Flonum)), a)
		if c == Unordered {
			return c, nil
		}
		return -c, nil
	}
	if la <= 1 && lb <= 1 {
		return bigOf(a).Cmp(bigOf(b)), nil
	}
	return toRat(a).Cmp(toRat(b)), nil
}

func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	case x == y:
		return 0
	}
	return Unordered
}

// cmpFloatExact compares the flonum x with the exact number e, exactly.
func cmpFloatExact(x float64, e Value) int {
	if math.IsNaN(x) {
		return Unordered
	}
	if math.IsInf(x, 0) {
		if x > 0 {
			return 1
		}
		return -1
	}
	if n, ok := e.(Fixnum); ok && n > -1<<53 && n < 1<<53 {
		return cmpFloat(x, float64(n))
	}
	return new(big.Rat).SetFloat64(x).Cmp(toRat(e))
}

// NumEqual reports whether a = b numerically (1 = 1.0; NaN is not equal
// to anything).
func NumEqual(a, b Value) (bool, error) {
	if x, ok := a.(Fixnum); ok {
		if y, ok := b.(Fixnum); ok {
			return x == y, nil
		}
	}
	c, err := compareSlow("=", a, b)
	return c == 0, err
}

// NumLess reports whether a < b.
func NumLess(a, b Value) (bool, error) {
	if x, ok := a.(Fixnum); ok {
		if y, ok := b.(Fixnum); ok {
			return x < y, nil
		}
	}
	c, err := compareSlow("<", a, b)
	return c == -1, err
}

// NumLessEq reports whether a <= b.
func NumLessEq(a, b Value) (bool, error) {
	if x, ok := a.(Fixnum); ok {
		if y, ok := b.(Fixnum); ok {
			return x <= y, nil
		}
	}
	c, err := compareSlow("<=", a, b)
	return c == -1 || c == 0, err
}

// NumGreater reports whether a > b.
func NumGreater(a, b Value) (bool, error) {
	if x, ok := a.(Fixnum); ok {
		if y, ok := b.(Fixnum); ok {
			return x > y, nil
		}
	}
	c, err := compareSlow(">", a, b)
	return c == 1, err
}

// NumGreaterEq reports whether a >= b.
func NumGreaterEq(a, b Value) (bool, error) {
	if x, ok := a.(Fixnum); ok {
		if y, ok := b.(Fixnum); ok {
			return x >= y, nil
		}
	}
	c, err := compareSlow(">=", a, b)
	return c == 1 || c == 0, err
}
