package lang

import (
	"math"
	"math/big"
	"strings"
	"testing"
)

const (
	maxInt = "9223372036854775807"
	minInt = "-9223372036854775808"
)

// mustNum parses a number in test tables.
func mustNum(t *testing.T, s string) Value {
	t.Helper()
	v, ok := ParseNumber(s, 10)
	if !ok {
		t.Fatalf("bad number %q in test table", s)
	}
	return v
}

// checkNormal fails when v is not in its one normal representation.
func checkNormal(t *testing.T, v Value) {
	t.Helper()
	switch x := v.(type) {
	case *Bignum:
		if x.IsInt64() {
			t.Errorf("%s is a Bignum that fits in a Fixnum", x.String())
		}
	case *Ratnum:
		if x.IsInt() {
			t.Errorf("%s is a Ratnum with denominator 1", x.String())
		}
	}
}

func TestArithmetic(t *testing.T) {
	ops := map[string]func(a, b Value) (Value, error){
		"+": Add, "-": Sub, "*": Mul, "/": Div,
		"quotient": Quotient, "remainder": Remainder, "modulo": Modulo,
		"floor-quotient": FloorQuotient, "gcd": Gcd, "lcm": Lcm, "expt": Expt,
	}
	tests := []struct{ op, a, b, want string }{
		{"+", "1", "2", "3"},
		{"+", maxInt, "1", "9223372036854775808"},
		{"+", minInt, "-1", "-9223372036854775809"},
		{"+", "9223372036854775808", "-1", maxInt},
		{"+", "1/2", "1/2", "1"},
		{"+", "1/3", "1/6", "1/2"},
		{"+", "1", "0.5", "1.5"},
		{"+", "1/2", "0.25", "0.75"},
		{"+", "100000000000000000000", "0.0", "1.0e20"},
		{"-", minInt, "1", "-9223372036854775809"},
		{"-", "0", minInt, "9223372036854775808"},
		{"-", "-9223372036854775809", "-1", minInt},
		{"-", "1/2", "1/2", "0"},
		{"-", "0.0", "0", "0.0"},
		{"*", "4294967296", "4294967296", "18446744073709551616"},
		{"*", minInt, "-1", "9223372036854775808"},
		{"*", "-1", minInt, "9223372036854775808"},
		{"*", "3037000499", "3037000499", "9223372030926249001"},
		{"*", "3037000500", "3037000500", "9223372037000250000"},
		{"*", "2/3", "3/2", "1"},
		{"*", "0", "1.5", "0.0"},
		{"*", "18446744073709551616", "1/18446744073709551616", "1"},
		{"/", "6", "3", "2"},
		{"/", "1", "3", "1/3"},
		{"/", "-6", "4", "-3/2"},
		{"/", "6", "-4", "-3/2"},
		{"/", minInt, "-1", "9223372036854775808"},
		{"/", "1/2", "1/4", "2"},
		{"/", "1", "2.0", "0.5"},
		{"/", "1.0", "0", "error: /: division by zero"},
		{"/", "1", "0", "error: /: division by zero"},
		{"/", "0", "0", "error: /: division by zero"},
		{"/", "1.0", "0.0", "+inf.0"},
		{"/", "-1", "0.0", "-inf.0"},
		{"/", "0.0", "0.0", "+nan.0"},
		{"quotient", "7", "2", "3"},
		{"quotient", "-7", "2", "-3"},
		{"quotient", "7", "-2", "-3"},
		{"quotient", minInt, "-1", "9223372036854775808"},
		{"quotient", "7.0", "2", "3.0"},
		{"quotient", "7", "0", "error: quotient: division by zero"},
		{"quotient", "7.5", "2", "error: quotient: want integer, got 7.5"},
		{"quotient", "100000000000000000000", "3", "33333333333333333333"},
		{"remainder", "-7", "2", "-1"},
		{"remainder", "7", "-2", "1"},
		{"remainder", minInt, "-1", "0"},
		{"remainder", "-7.0", "2", "-1.0"},
		{"remainder", "-100000000000000000000", "3", "-1"},
		{"modulo", "-7", "2", "1"},
		{"modulo", "7", "-2", "-1"},
		{"modulo", "-7", "-2", "-1"},
		{"modulo", "-7.0", "2", "1.0"},
		{"modulo", "-100000000000000000000", "3", "2"},
		{"modulo", "100000000000000000000", "-3", "-2"},
		{"floor-quotient", "-7", "2", "-4"},
		{"floor-quotient", "7", "-2", "-4"},
		{"floor-quotient", "-100000000000000000000", "3", "-33333333333333333334"},
		{"gcd", "12", "18", "6"},
		{"gcd", "-12", "18", "6"},
		{"gcd", "0", "0", "0"},
		{"gcd", "0", "-5", "5"},
		{"gcd", minInt, "6", "2"},
		{"gcd", "12.0", "18", "6.0"},
		{"gcd", "#e1e400", "3.0", "1.0"},
		{"gcd", "#e1e400", "#i1e20", "1.0e20"},
		{"quotient", "#e1e400", "3.0", "+inf.0"},
		{"remainder", "#e1e30", "7.0", "1.0"},
		{"remainder", "-6.0", "2", "-0.0"},
		{"lcm", "4", "6", "12"},
		{"lcm", "-4", "6", "12"},
		{"lcm", "0", "6", "0"},
		{"expt", "2", "10", "1024"},
		{"expt", "2", "100", "1267650600228229401496703205376"},
		{"expt", "2", "-2", "1/4"},
		{"expt", "2/3", "3", "8/27"},
		{"expt", "-2/3", "-3", "-27/8"},
		{"expt", "0", "0", "1"},
		{"expt", "0", "5", "0"},
		{"expt", "0", "-1", "error: expt: division by zero"},
		{"expt", "-1", "100000000000000000001", "-1"},
		{"expt", "2", "100000000000", "error: expt: result too large"},
		{"expt", "2.0", "3", "8.0"},
		{"expt", "4", "1/2", "2.0"},
		{"expt", "4", "0.5", "2.0"},
		{"expt", "-8", "1/3", "error: expt: result is not a real number (Fruix has no complex numbers)"},
	}
	for _, tt := range tests {
		got, err := ops[tt.op](mustNum(t, tt.a), mustNum(t, tt.b))
		var s string
		if err != nil {
			s = "error: " + err.Error()
		} else {
			s = NumberToString(got, 10)
			checkNormal(t, got)
			if want, ok := ParseNumber(tt.want, 10); ok && IsExact(want) != IsExact(got) {
				t.Errorf("(%s %s %s): exactness: got %s", tt.op, tt.a, tt.b, s)
			}
		}
		if s != tt.want {
			t.Errorf("(%s %s %s) = %s, want %s", tt.op, tt.a, tt.b, s, tt.want)
		}
	}
}

func TestArithmeticTypeErrors(t *testing.T) {
	str := NewString("x")
	for _, tt := range []struct {
		f    func(a, b Value) (Value, error)
		want string
	}{
		{Add, "+: want number, got string"},
		{Sub, "-: want number, got string"},
		{Mul, "*: want number, got string"},
		{Div, "/: want number, got string"},
		{Quotient, "quotient: want number, got string"},
		{Expt, "expt: want number, got string"},
	} {
		if _, err := tt.f(MakeInt(1), str); err == nil || err.Error() != tt.want {
			t.Errorf("got %v, want %s", err, tt.want)
		}
	}
	if _, err := Compare(str, MakeInt(1)); err == nil {
		t.Error("Compare of a string: no error")
	}
}

func TestUnary(t *testing.T) {
	ops := map[string]func(Value) (Value, error){
		"-": Neg, "abs": Abs, "floor": Floor, "ceiling": Ceiling, "round": Round,
		"truncate": Truncate, "exact": Exact, "inexact": Inexact, "sqrt": Sqrt,
		"numerator": Numerator, "denominator": Denominator,
	}
	tests := []struct{ op, a, want string }{
		{"-", minInt, "9223372036854775808"},
		{"-", "9223372036854775808", minInt},
		{"-", "1/2", "-1/2"},
		{"-", "0.0", "-0.0"},
		{"abs", minInt, "9223372036854775808"},
		{"abs", "-1/2", "1/2"},
		{"abs", "-0.0", "0.0"},
		{"floor", "7/2", "3"},
		{"floor", "-7/2", "-4"},
		{"floor", "-3.5", "-4.0"},
		{"ceiling", "7/2", "4"},
		{"ceiling", "-7/2", "-3"},
		{"truncate", "-7/2", "-3"},
		{"truncate", "7/2", "3"},
		{"round", "7/2", "4"},
		{"round", "5/2", "2"},
		{"round", "-5/2", "-2"},
		{"round", "-7/2", "-4"},
		{"round", "7/3", "2"},
		{"round", "2.5", "2.0"},
		{"round", "3.5", "4.0"},
		{"round", "-2.5", "-2.0"},
		{"round", "5", "5"},
		{"exact", "2.0", "2"},
		{"exact", "0.5", "1/2"},
		{"exact", "0.1", "3602879701896397/36028797018963968"},
		{"exact", "1e20", "100000000000000000000"},
		{"exact", "+inf.0", "error: exact: no exact representation of +inf.0"},
		{"exact", "+nan.0", "error: exact: no exact representation of +nan.0"},
		{"inexact", "1/3", "0.3333333333333333"},
		{"inexact", "100000000000000000000", "1.0e20"},
		{"sqrt", "16", "4"},
		{"sqrt", "15", "3.872983346207417"},
		{"sqrt", "4/9", "2/3"},
		{"sqrt", "16.0", "4.0"},
		{"sqrt", "1000000000000000000000000000000000000", "1000000000000000000"},
		{"sqrt", "1" + strings.Repeat("0", 399) + "1", "1.0e200"},
		{"sqrt", "-4", "error: sqrt: result is not a real number (Fruix has no complex numbers)"},
		{"numerator", "6/4", "3"},
		{"denominator", "6/4", "2"},
		{"denominator", "5", "1"},
		{"numerator", "0.5", "1.0"},
		{"denominator", "0.5", "2.0"},
	}
	for _, tt := range tests {
		got, err := ops[tt.op](mustNum(t, tt.a))
		var s string
		if err != nil {
			s = "error: " + err.Error()
		} else {
			s = NumberToString(got, 10)
			checkNormal(t, got)
		}
		if s != tt.want {
			t.Errorf("(%s %s) = %s, want %s", tt.op, tt.a, s, tt.want)
		}
	}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1", "2", -1},
		{"2", "1", 1},
		{"1", "1.0", 0},
		{"1/3", "0.3333333333333333", 1}, // compared exactly, not after rounding 1/3
		{"9007199254740993", "9007199254740992.0", 1},
		{"100000000000000000000", "1e20", 0},
		{"-100000000000000000000", "99", -1},
		{"1/2", "1/3", 1},
		{"+inf.0", "100000000000000000000", 1},
		{"-inf.0", "-100000000000000000000", -1},
		{"+nan.0", "1", Unordered},
		{"1", "+nan.0", Unordered},
		{minInt, maxInt, -1},
	}
	for _, tt := range tests {
		got, err := Compare(mustNum(t, tt.a), mustNum(t, tt.b))
		if err != nil || got != tt.want {
			t.Errorf("Compare(%s, %s) = %d, %v; want %d", tt.a, tt.b, got, err, tt.want)
		}
	}
	nan := mustNum(t, "+nan.0")
	for _, f := range []func(a, b Value) (bool, error){NumEqual, NumLess, NumLessEq, NumGreater, NumGreaterEq} {
		if r, _ := f(nan, MakeInt(1)); r {
			t.Error("a comparison with NaN is true")
		}
	}
	if r, _ := NumEqual(MakeInt(1), Flonum(1)); !r {
		t.Error("(= 1 1.0) is false")
	}
	if r, _ := NumLessEq(MakeInt(1), Flonum(1)); !r {
		t.Error("(<= 1 1.0) is false")
	}
}

func TestPredicates(t *testing.T) {
	tests := []struct {
		s                               string
		exact, integer, rational, isNaN bool
	}{
		{"1", true, true, true, false},
		{"100000000000000000000", true, true, true, false},
		{"1/2", true, false, true, false},
		{"2.0", false, true, true, false},
		{"2.5", false, false, true, false},
		{"+inf.0", false, false, false, false},
		{"+nan.0", false, false, false, true},
	}
	for _, tt := range tests {
		v := mustNum(t, tt.s)
		if !IsNumber(v) || !IsReal(v) || IsExact(v) != tt.exact || IsInteger(v) != tt.integer ||
			IsRational(v) != tt.rational || IsNaN(v) != tt.isNaN {
			t.Errorf("predicates of %s wrong", tt.s)
		}
	}
	if IsNumber(NewString("1")) || IsNumber(Char('1')) {
		t.Error("IsNumber of a non-number")
	}
}

func TestNormalization(t *testing.T) {
	if _, ok := MakeBig(big.NewInt(5)).(Fixnum); !ok {
		t.Error("MakeBig(5) is not a Fixnum")
	}
	if _, ok := MakeRat(big.NewRat(6, 3)).(Fixnum); !ok {
		t.Error("MakeRat(6/3) is not a Fixnum")
	}
	if v := MakeRat(big.NewRat(2, 4)); NumberToString(v, 10) != "1/2" {
		t.Errorf("MakeRat(2/4) = %s", NumberToString(v, 10))
	}
	if v, err := MakeFraction(math.MinInt64, -1); err != nil || NumberToString(v, 10) != "9223372036854775808" {
		t.Errorf("MakeFraction(MinInt64, -1) = %v, %v", v, err)
	}
	if _, err := MakeFraction(1, 0); err == nil {
		t.Error("MakeFraction(1, 0): no error")
	}
	b, _ := Add(mustNum(t, maxInt), MakeInt(1))
	back, _ := Sub(b, MakeInt(1))
	if _, ok := back.(Fixnum); !ok {
		t.Error("(- (+ max 1) 1) is not a Fixnum")
	}
	s, r, err := ExactIntegerSqrt(MakeInt(17))
	if err != nil || s != MakeInt(4) || r != MakeInt(1) {
		t.Errorf("ExactIntegerSqrt(17) = %v %v %v", s, r, err)
	}
	if _, _, err := ExactIntegerSqrt(MakeInt(-1)); err == nil {
		t.Error("ExactIntegerSqrt(-1): no error")
	}
	q, rem, _ := FloorDiv(MakeInt(-7), MakeInt(2))
	if q != MakeInt(-4) || rem != MakeInt(1) {
		t.Errorf("floor/ -7 2 = %v %v", q, rem)
	}
	q, rem, _ = TruncateDiv(MakeInt(-7), MakeInt(2))
	if q != MakeInt(-3) || rem != MakeInt(-1) {
		t.Errorf("truncate/ -7 2 = %v %v", q, rem)
	}
}

func TestSmallIntCacheDoesNotAllocate(t *testing.T) {
	a, b := MakeInt(100), MakeInt(200)
	n := testing.AllocsPerRun(100, func() {
		v, _ := Add(a, b)
		v, _ = Sub(v, a)
		v, _ = Mul(v, MakeInt(3))
		if c, _ := Compare(v, b); c > 1 {
			panic("unreachable")
		}
	})
	if n != 0 {
		t.Errorf("fixnum arithmetic in the cache range allocates %v times", n)
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in, want string // want "" for not a number
	}{
		{"0", "0"}, {"-0", "0"}, {"+5", "5"}, {"007", "7"},
		{maxInt, maxInt}, {minInt, minInt},
		{"9223372036854775808", "9223372036854775808"},
		{"1/3", "1/3"}, {"-4/6", "-2/3"}, {"4/2", "2"}, {"1/0", ""}, {"1/", ""}, {"/2", ""},
		{"1.5", "1.5"}, {".5", "0.5"}, {"5.", "5.0"}, {"-.5", "-0.5"}, {".", ""}, {"..", ""},
		{"1e3", "1000.0"}, {"1E3", "1000.0"}, {"1e-3", "0.001"}, {"1.5e+2", "150.0"}, {"1e", ""}, {"e1", ""},
		{"1e400", "+inf.0"}, {"-1e400", "-inf.0"}, {"1e-400", "0.0"},
		{"+inf.0", "+inf.0"}, {"-inf.0", "-inf.0"}, {"+nan.0", "+nan.0"}, {"-nan.0", "+nan.0"}, {"+INF.0", "+inf.0"},
		{"inf.0", ""}, {"-0.0", "-0.0"},
		{"#x10", "16"}, {"#xff", "255"}, {"#XFF", "255"}, {"#x-ff", "-255"}, {"#xff/2", "255/2"}, {"#x1.5", ""},
		{"#b101", "5"}, {"#b102", ""}, {"#o17", "15"}, {"#o8", ""}, {"#d10", "10"},
		{"#e1.5", "3/2"}, {"#e1e99999999", ""}, {"#e1e-99999999", ""}, {"#e1e20000", "1" + strings.Repeat("0", 20000)}, {"#e1e3", "1000"}, {"#e0.1", "1/10"}, {"#i1/2", "0.5"}, {"#i3", "3.0"},
		{"#x#e10", "16"}, {"#e#x10", "16"}, {"#x#x10", ""}, {"#e#i1", ""}, {"#e+inf.0", ""},
		{"#i#xff", "255.0"}, {"#", ""}, {"#q1", ""},
		{"1+", ""}, {"+", ""}, {"-", ""}, {"...", ""}, {"1+2i", ""}, {"abc", ""}, {"", ""},
		{"123456789012345678901234567890", "123456789012345678901234567890"},
	}
	for _, tt := range tests {
		v, ok := ParseNumber(tt.in, 10)
		got := ""
		if ok {
			got = NumberToString(v, 10)
			checkNormal(t, v)
		}
		if got != tt.want {
			t.Errorf("ParseNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if _, ok := ParseNumber("1", 99); ok {
		t.Error("ParseNumber with radix 99 succeeded")
	}
	if s := NumberToString(MakeInt(10), 99); s != "10" {
		t.Errorf("NumberToString with radix 99: %s", s)
	}
	if v, ok := ParseNumber("ff", 16); !ok || v != MakeInt(255) {
		t.Errorf("ParseNumber(ff, 16) = %v %v", v, ok)
	}
}

func TestNumberToString(t *testing.T) {
	tests := []struct {
		v     Value
		radix int
		want  string
	}{
		{MakeInt(255), 16, "ff"},
		{MakeInt(-5), 2, "-101"},
		{mustNum(t, "1/3"), 2, "1/11"},
		{Flonum(0.5), 2, "0.1"},
		{Flonum(-2.5), 16, "-2.8"},
		{Flonum(4), 2, "100.0"},
		{Flonum(1), 10, "1.0"},
		{Flonum(0.1), 10, "0.1"},
		{Flonum(100), 10, "100.0"},
		{Flonum(1e6), 10, "1000000.0"},
		{Flonum(1e7), 10, "1.0e7"},
		{Flonum(1.2e7), 10, "1.2e7"},
		{Flonum(12345670), 10, "12345670.0"},
		{Flonum(123456700), 10, "123456700.0"},
		{Flonum(1e21), 10, "1.0e21"},
		{Flonum(1e100), 10, "1.0e100"},
		{Flonum(1.5e300), 10, "1.5e300"},
		{Flonum(0.001), 10, "0.001"},
		{Flonum(0.0015), 10, "0.0015"},
		{Flonum(1.5e-4), 10, "1.5e-4"},
		{Flonum(5e-324), 10, "5.0e-324"},
		{Flonum(1.0 / 3), 10, "0.3333333333333333"},
		{Flonum(12345678901234567890.0), 10, "12345678901234567000.0"},
		{Flonum(math.Inf(1)), 10, "+inf.0"},
		{Flonum(math.Inf(-1)), 10, "-inf.0"},
		{Flonum(math.NaN()), 10, "+nan.0"},
		{Flonum(math.Copysign(0, -1)), 10, "-0.0"},
		{NewString("x"), 10, ""},
	}
	for _, tt := range tests {
		if got := NumberToString(tt.v, tt.radix); got != tt.want {
			t.Errorf("NumberToString(%v, %d) = %q, want %q", tt.v, tt.radix, got, tt.want)
		}
	}
}

// TestFlonumRoundTrip checks that printed flonums read back as the same
// bits, across magnitudes.
func TestFlonumRoundTrip(t *testing.T) {
	f := 1.0
	for i := 0; i < 2000; i++ {
		for _, x := range []float64{f, -f, 1 / f, f * 1.2345678901234567, math.Nextafter(f, 0)} {
			s := NumberToString(Flonum(x), 10)
			if !strings.ContainsAny(s, ".") && !strings.Contains(s, "inf") {
				t.Fatalf("%v prints as %q, without a point", x, s)
			}
			v, ok := ParseNumber(s, 10)
			if !ok || math.Float64bits(float64(v.(Flonum))) != math.Float64bits(x) {
				t.Fatalf("%v prints as %q, which reads back as %v", x, s, v)
			}
		}
		f *= 1.7
		if math.IsInf(f, 0) {
			f = 1e-300
		}
	}
}

func BenchmarkFixnumAdd(b *testing.B) {
	var acc Value = MakeInt(0)
	one := MakeInt(1)
	for i := 0; i < b.N; i++ {
		acc, _ = Add(acc, one)
		if i&1023 == 1023 {
			acc = MakeInt(0)
		}
	}
}

func BenchmarkFixnumAddLarge(b *testing.B) {
	var acc Value = MakeInt(1 << 40)
	one := MakeInt(1)
	for i := 0; i < b.N; i++ {
		acc, _ = Add(acc, one)
	}
}

func BenchmarkFixnumCompare(b *testing.B) {
	x, y := MakeInt(10), MakeInt(20)
	n := 0
	for i := 0; i < b.N; i++ {
		if c, _ := Compare(x, y); c < 0 {
			n++
		}
	}
}
