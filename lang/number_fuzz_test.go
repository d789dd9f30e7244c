package lang

import (
	"testing"
)

// FuzzNumbers checks, for any two texts that parse as numbers, that
// printing reads back eqv?, that no operation panics, that results are
// normalized, and the identities exact arithmetic must keep:
// (a + b) - b = a, a = b*q + r for both roundings of integer division,
// and antisymmetric comparison.
func FuzzNumbers(f *testing.F) {
	for _, s := range [][2]string{
		{"1", "2"}, {"9223372036854775807", "1"}, {"-9223372036854775808", "-1"},
		{"1/3", "2/3"}, {"0.5", "1/2"}, {"+nan.0", "1"}, {"-inf.0", "+inf.0"}, {"-0.0", "0"},
		{"123456789012345678901234567890", "-98765432109876543210"}, {"#e1.25", "#x-ff"}, {"7", "-2"},
		{"#b101/11", "#i1/7"}, {"1e308", "1e-308"}, {"0", "0"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, sa, sb string) {
		if len(sa) > 200 || len(sb) > 200 {
			return // long digit strings only slow the search down
		}
		a, okA := ParseNumber(sa, 10)
		b, okB := ParseNumber(sb, 10)
		for _, x := range []Value{a, b} {
			if x == nil {
				continue
			}
			checkNormal(t, x)
			text := NumberToString(x, 10)
			back, ok := ParseNumber(text, 10)
			if !ok || !Eqv(x, back) {
				t.Fatalf("%s prints as %q, which reads back as %v", WriteString(x), text, back)
			}
			for _, radix := range []int{2, 8, 16} {
				if IsExact(x) {
					if back, ok := ParseNumber(NumberToString(x, radix), radix); !ok || !Eqv(x, back) {
						t.Fatalf("%s in radix %d does not read back", text, radix)
					}
				}
			}
			for _, op := range []func(Value) (Value, error){Neg, Abs, Floor, Ceiling, Round, Truncate, Exact, Inexact, Sqrt, Numerator, Denominator} {
				if v, err := op(x); err == nil {
					checkNormal(t, v)
				}
			}
		}
		if !okA || !okB {
			return
		}
		for _, op := range []func(Value, Value) (Value, error){Add, Sub, Mul, Div, Quotient, Remainder, Modulo, FloorQuotient, Gcd, Lcm} {
			if v, err := op(a, b); err == nil {
				checkNormal(t, v)
			}
		}
		if IsExactInteger(b) && Sign(b) >= 0 && len(NumberToString(b, 10)) < 4 {
			if v, err := Expt(a, b); err == nil {
				checkNormal(t, v)
			}
		}
		ab, _ := Compare(a, b)
		ba, _ := Compare(b, a)
		if ab != Unordered && ab != -ba || (ab == Unordered) != (ba == Unordered) {
			t.Fatalf("Compare(%s, %s) = %d but Compare(%s, %s) = %d", sa, sb, ab, sb, sa, ba)
		}
		if !IsExact(a) || !IsExact(b) {
			return
		}
		sum, _ := Add(a, b)
		if diff, _ := Sub(sum, b); !Eqv(diff, a) {
			t.Fatalf("(%s + %s) - %s = %s", sa, sb, sb, WriteString(diff))
		}
		if IsExactInteger(a) && IsExactInteger(b) && !IsZero(b) {
			for _, div := range []func(Value, Value) (Value, Value, error){TruncateDiv, FloorDiv} {
				q, r, err := div(a, b)
				if err != nil {
					t.Fatal(err)
				}
				bq, _ := Mul(b, q)
				if back, _ := Add(bq, r); !Eqv(back, a) {
					t.Fatalf("%s = %s*%s + %s fails", sa, sb, WriteString(q), WriteString(r))
				}
				if ar, _ := Abs(r); !IsZero(r) {
					if c, _ := Compare(ar, mustAbs(b)); c >= 0 {
						t.Fatalf("remainder %s of %s / %s is too large", WriteString(r), sa, sb)
					}
				}
			}
		}
	})
}

func mustAbs(v Value) Value {
	a, err := Abs(v)
	if err != nil {
		panic(err)
	}
	return a
}
