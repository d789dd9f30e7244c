package lang

import (
	"math"
	"math/big"
	"sync/atomic"
)

// The numeric tower has four representations, ordered by level:
//
//	Fixnum  exact integer in int64
//	*Bignum exact integer outside int64 (never holds a value that fits)
//	*Ratnum exact non-integer rational in lowest terms
//	Flonum  inexact real (float64)
//
// Every constructor and operation returns normalized values, so a value
// has exactly one representation and eqv? can compare by type first.

// NumError is an arithmetic error a user can cause, such as an exact
// division by zero. The evaluator turns it into a Scheme condition; its
// text is "op: message", e.g. "/: division by zero".
type NumError struct {
	Op  string // the Scheme procedure, e.g. "/"
	Msg string
}

func (e *NumError) Error() string { return e.Op + ": " + e.Msg }

func numErr(op, msg string) error { return &NumError{Op: op, Msg: msg} }

func notNumber(op string, v Value) error {
	return &NumError{Op: op, Msg: "want number, got " + TypeName(v)}
}

func divByZero(op string) error { return &NumError{Op: op, Msg: "division by zero"} }

// The cache of pre-boxed small integers: converting a Fixnum to a Value
// allocates, and loops, counters and list indices mostly use small numbers.
const (
	smallIntMin = -1024
	smallIntMax = 4095
)

// It is made on first use rather than at start-up, where its 5,000
// allocations were a third of the set-up of Fruix's packages.
var smallInts atomic.Pointer[[smallIntMax - smallIntMin + 1]Value]

// MakeInt returns the exact integer n. Values in [-1024, 4095] come from
// a cache of pre-boxed values and do not allocate.
func MakeInt(n int64) Value {
	if uint64(n) < 256 {
		// Go boxes these from a static table of its own, without
		// allocating: no need to make the cache for them.
		return Fixnum(n)
	}
	if uint64(n-smallIntMin) < smallIntMax-smallIntMin+1 {
		t := smallInts.Load()
		if t == nil {
			t = makeSmallInts()
		}
		return t[n-smallIntMin]
	}
	return Fixnum(n)
}

func makeSmallInts() *[smallIntMax - smallIntMin + 1]Value {
	t := new([smallIntMax - smallIntMin + 1]Value)
	for i := range t {
		t[i] = Fixnum(i + smallIntMin)
	}
	if !smallInts.CompareAndSwap(nil, t) {
		return smallInts.Load()
	}
	return t
}

// MakeBig returns the exact integer x, as a Fixnum when it fits. The
// result does not share memory with x.
func MakeBig(x *big.Int) Value {
	if x.IsInt64() {
		return MakeInt(x.Int64())
	}
	b := new(Bignum)
	b.Set(x)
	return b
}

// normBig returns b itself, or a Fixnum when it fits; b must be fresh.
func normBig(b *Bignum) Value {
	if b.IsInt64() {
		return MakeInt(b.Int64())
	}
	return b
}

// MakeRat returns the exact rational r: an integer when its denominator
// is 1, a *Ratnum in lowest terms otherwise. The result does not share
// memory with r.
func MakeRat(r *big.Rat) Value {
	if r.IsInt() {
		return MakeBig(r.Num())
	}
	q := new(Ratnum)
	q.Set(r)
	return q
}

// normRat returns q itself, or an integer when its denominator is 1; q
// must be fresh.
func normRat(q *Ratnum) Value {
	if q.IsInt() {
		n := q.Num()
		if n.IsInt64() {
			return MakeInt(n.Int64())
		}
		b := new(Bignum)
		b.Set(n)
		return b
	}
	return q
}

// MakeFraction returns the exact rational num/den, normalized; it fails
// when den is zero.
func MakeFraction(num, den int64) (Value, error) {
	if den == 0 {
		return nil, divByZero("/")
	}
	if num%den == 0 && !(num == math.MinInt64 && den == -1) {
		return MakeInt(num / den), nil
	}
	return MakeRat(big.NewRat(num, den)), nil
}

// MakeFloat returns the inexact real f.
func MakeFloat(f float64) Value { return Flonum(f) }

// IsNumber reports whether v is a number.
func IsNumber(v Value) bool {
	switch v.(type) {
	case Fixnum, *Bignum, *Ratnum, Flonum:
		return true
	}
	return false
}

// IsReal reports whether v is a real number; Fruix has no complex
// numbers, so this is IsNumber.
func IsReal(v Value) bool { return IsNumber(v) }

// IsExact reports whether v is an exact number.
func IsExact(v Value) bool {
	switch v.(type) {
	case Fixnum, *Bignum, *Ratnum:
		return true
	}
	return false
}

// IsExactInteger reports whether v is an exact integer.
func IsExactInteger(v Value) bool {
	switch v.(type) {
	case Fixnum, *Bignum:
		return true
	}
	return false
}

// IsInteger reports whether v is an integer, exact or inexact (2.0 is an
// integer).
func IsInteger(v Value) bool {
	switch v := v.(type) {
	case Fixnum, *Bignum:
		return true
	case Flonum:
		f := float64(v)
		return !math.IsInf(f, 0) && f == math.Trunc(f)
	}
	return false
}

// IsRational reports whether v is a rational number: every exact number
// and every finite flonum.
func IsRational(v Value) bool {
	switch v := v.(type) {
	case Fixnum, *Bignum, *Ratnum:
		return true
	case Flonum:
		return !math.IsInf(float64(v), 0) && !math.IsNaN(float64(v))
	}
	return false
}

// IsNaN reports whether v is a NaN flonum.
func IsNaN(v Value) bool {
	f, ok := v.(Flonum)
	return ok && math.IsNaN(float64(f))
}

// Sign returns -1, 0 or +1 for the sign of the number v (0 for NaN and
// for non-numbers).
func Sign(v Value) int {
	switch v := v.(type) {
	case Fixnum:
		switch {
		case v < 0:
			return -1
		case v > 0:
			return 1
		}
	case *Bignum:
		return v.Int.Sign()
	case *Ratnum:
		return v.Rat.Sign()
	case Flonum:
		switch {
		case v < 0:
			return -1
		case v > 0:
			return 1
		}
	}
	return 0
}

// IsZero reports whether v is a zero number (0, 0.0 or -0.0).
func IsZero(v Value) bool {
	switch v := v.(type) {
	case Fixnum:
		return v == 0
	case Flonum:
		return v == 0
	}
	return false
}

// ToInt64 returns v as an int64 when v is an exact integer that fits.
func ToInt64(v Value) (int64, bool) {
	if n, ok := v.(Fixnum); ok {
		return int64(n), true
	}
	return 0, false
}

// ToFloat returns the number v as a float64, rounding exact values to the
// nearest flonum; ok is false when v is not a number.
func ToFloat(v Value) (f float64, ok bool) {
	switch v := v.(type) {
	case Fixnum:
		return float64(v), true
	case *Bignum:
		f, _ := new(big.Float).SetInt(&v.Int).Float64()
		return f, true
	case *Ratnum:
		f, _ := v.Rat.Float64()
		return f, true
	case Flonum:
		return float64(v), true
	}
	return 0, false
}

// ToBig returns the exact integer v as a new *big.Int; ok is false when v
// is not an exact integer.
func ToBig(v Value) (*big.Int, bool) {
	switch v := v.(type) {
	case Fixnum:
		return big.NewInt(int64(v)), true
	case *Bignum:
		return new(big.Int).Set(&v.Int), true
	}
	return nil, false
}

// toRat returns the exact number v as a *big.Rat (shared for Ratnum; do
// not modify).
func toRat(v Value) *big.Rat {
	switch v := v.(type) {
	case Fixnum:
		return new(big.Rat).SetInt64(int64(v))
	case *Bignum:
		return new(big.Rat).SetInt(&v.Int)
	case *Ratnum:
		return &v.Rat
	}
	panic("lang: toRat of inexact or non-number")
}

// bigOf returns the exact integer v as a *big.Int (shared for Bignum; do
// not modify).
func bigOf(v Value) *big.Int {
	switch v := v.(type) {
	case Fixnum:
		return big.NewInt(int64(v))
	case *Bignum:
		return &v.Int
	}
	panic("lang: bigOf of non-integer")
}

// level orders the representations for contagion: 0 fixnum, 1 bignum,
// 2 ratnum, 3 flonum, -1 not a number.
func level(v Value) int {
	switch v.(type) {
	case Fixnum:
		return 0
	case *Bignum:
		return 1
	case *Ratnum:
		return 2
	case Flonum:
		return 3
	}
	return -1
}
