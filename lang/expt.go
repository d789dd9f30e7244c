package lang

import (
	"math"
	"math/big"
)

// maxExptBits bounds the size of exact powers: a result above it is
// almost certainly a mistake and would exhaust memory.
const maxExptBits = 1 << 24

// Expt returns base raised to the power exp. An exact base with an exact
// integer exponent gives an exact result (a rational for a negative
// exponent); otherwise the result is inexact. Results that would be
// complex numbers are errors, since Fruix has only reals.
func Expt(base, exp Value) (Value, error) {
	if !IsNumber(base) {
		return nil, notNumber("expt", base)
	}
	if !IsNumber(exp) {
		return nil, notNumber("expt", exp)
	}
	if IsExactInteger(exp) {
		if IsExact(base) {
			return exptExact(base, exp)
		}
		b, _ := ToFloat(base)
		e, _ := ToFloat(exp)
		return Flonum(math.Pow(b, e)), nil
	}
	b, _ := ToFloat(base)
	e, _ := ToFloat(exp)
	if b < 0 && e != math.Trunc(e) && !math.IsInf(e, 0) {
		return nil, numErr("expt", "result is not a real number (Fruix has no complex numbers)")
	}
	return Flonum(math.Pow(b, e)), nil
}

func exptExact(base, exp Value) (Value, error) {
	if IsZero(exp) {
		return MakeInt(1), nil
	}
	neg := Sign(exp) < 0
	e := new(big.Int).Abs(bigOf(exp))
	if IsZero(base) {
		if neg {
			return nil, divByZero("expt")
		}
		return MakeInt(0), nil
	}
	num, den := new(big.Int), new(big.Int)
	switch x := base.(type) {
	case Fixnum, *Bignum:
		num.Set(bigOf(x))
		den.SetInt64(1)
	case *Ratnum:
		num.Set(x.Num())
		den.Set(x.Denom())
	}
	pow := func(x *big.Int) (*big.Int, error) {
		ax := new(big.Int).Abs(x)
		if ax.Cmp(big.NewInt(1)) == 0 {
			if x.Sign() < 0 && e.Bit(0) == 1 {
				return big.NewInt(-1), nil
			}
			return big.NewInt(1), nil
		}
		if !e.IsInt64() || int64(ax.BitLen()-1)*e.Int64() > maxExptBits {
			return nil, numErr("expt", "result too large")
		}
		return new(big.Int).Exp(x, e, nil), nil
	}
	n, err := pow(num)
	if err != nil {
		return nil, err
	}
	d, err := pow(den)
	if err != nil {
		return nil, err
	}
	if neg {
		n, d = d, n
	}
	return MakeRat(new(big.Rat).SetFrac(n, d)), nil
}

// Sqrt returns the square root of a: exact when a is an exact perfect
// square (or a ratio of two), inexact otherwise. The square root of a
// negative number is an error, since Fruix has only reals.
func Sqrt(a Value) (Value, error) {
	if !IsNumber(a) {
		return nil, notNumber("sqrt", a)
	}
	if Sign(a) < 0 {
		return nil, numErr("sqrt", "result is not a real number (Fruix has no complex numbers)")
	}
	switch x := a.(type) {
	case Fixnum, *Bignum:
		if s, ok := exactSqrt(bigOf(x)); ok {
			return MakeBig(s), nil
		}
	case *Ratnum:
		n, okn := exactSqrt(x.Num())
		d, okd := exactSqrt(x.Denom())
		if okn && okd {
			return MakeRat(new(big.Rat).SetFrac(n, d)), nil
		}
	}
	f, _ := ToFloat(a)
	if math.IsInf(f, 0) && IsExact(a) {
		// Too large for a flonum, though its square root may not be.
		x := new(big.Float).SetPrec(64)
		if r, ok := a.(*Ratnum); ok {
			x.SetRat(&r.Rat)
		} else {
			x.SetInt(bigOf(a))
		}
		f, _ = x.Sqrt(x).Float64()
		return Flonum(f), nil
	}
	return Flonum(math.Sqrt(f)), nil
}

func exactSqrt(x *big.Int) (*big.Int, bool) {
	s := new(big.Int).Sqrt(x)
	return s, new(big.Int).Mul(s, s).Cmp(x) == 0
}
