package stdlib

import (
	"math"
	"math/big"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// The numbers of R7RS (scheme base), (scheme inexact) and (scheme
// complex) as far as reals go, with Guile's 1+, 1- and bitwise
// operations. The arithmetic itself is lang's numeric tower; these
// builtins check their arguments so that errors name the argument.
var numberBuiltins = []*eval.Builtin{
	{Name: "number?", MinArgs: 1, MaxArgs: 1, Fn: numPred(lang.IsNumber), Doc: "(number? v): whether v is a number."},
	{Name: "complex?", MinArgs: 1, MaxArgs: 1, Fn: numPred(lang.IsNumber), Doc: "(complex? v): whether v is a number (Fruix numbers are all real)."},
	{Name: "real?", MinArgs: 1, MaxArgs: 1, Fn: numPred(lang.IsReal), Doc: "(real? v): whether v is a real number."},
	{Name: "rational?", MinArgs: 1, MaxArgs: 1, Fn: numPred(lang.IsRational), Doc: "(rational? v): whether v is a rational number (exact, or a finite flonum)."},
	{Name: "integer?", MinArgs: 1, MaxArgs: 1, Fn: numPred(lang.IsInteger), Doc: "(integer? v): whether v is an integer, exact or inexact."},
	{Name: "exact-integer?", MinArgs: 1, MaxArgs: 1, Fn: numPred(lang.IsExactInteger), Doc: "(exact-integer? v): whether v is an exact integer."},
	{Name: "exact-rational?", MinArgs: 1, MaxArgs: 1, Fn: numPred(lang.IsExact), Doc: "(exact-rational? v): whether v is an exact number."},
	{Name: "exact-nonnegative-integer?", MinArgs: 1, MaxArgs: 1, Fn: numPred(func(v lang.Value) bool { return lang.IsExactInteger(v) && lang.Sign(v) >= 0 }), Doc: "(exact-nonnegative-integer? v): whether v is an exact integer >= 0."},
	{Name: "exact?", MinArgs: 1, MaxArgs: 1, Fn: numCheck("exact?", lang.IsExact), Doc: "(exact? z): whether the number z is exact."},
	{Name: "inexact?", MinArgs: 1, MaxArgs: 1, Fn: numCheck("inexact?", func(v lang.Value) bool { return !lang.IsExact(v) }), Doc: "(inexact? z): whether the number z is inexact."},
	{Name: "nan?", MinArgs: 1, MaxArgs: 1, Fn: numCheck("nan?", lang.IsNaN), Doc: "(nan? x): whether x is a NaN."},
	{Name: "finite?", MinArgs: 1, MaxArgs: 1, Fn: numCheck("finite?", isFinite), Doc: "(finite? x): whether x is neither infinite nor NaN."},
	{Name: "infinite?", MinArgs: 1, MaxArgs: 1, Fn: numCheck("infinite?", isInfinite), Doc: "(infinite? x): whether x is +inf.0 or -inf.0."},
	{Name: "zero?", MinArgs: 1, MaxArgs: 1, Fn: numCheck("zero?", lang.IsZero), Doc: "(zero? z): whether z is zero."},
	{Name: "positive?", MinArgs: 1, MaxArgs: 1, Fn: numCheck("positive?", func(v lang.Value) bool { return !lang.IsNaN(v) && lang.Sign(v) > 0 }), Doc: "(positive? x): whether x > 0."},
	{Name: "negative?", MinArgs: 1, MaxArgs: 1, Fn: numCheck("negative?", func(v lang.Value) bool { return !lang.IsNaN(v) && lang.Sign(v) < 0 }), Doc: "(negative? x): whether x < 0."},
	{Name: "odd?", MinArgs: 1, MaxArgs: 1, Fn: parity("odd?", 1), Doc: "(odd? n): whether the integer n is odd."},
	{Name: "even?", MinArgs: 1, MaxArgs: 1, Fn: parity("even?", 0), Doc: "(even? n): whether the integer n is even."},

	{Name: "=", MinArgs: 1, MaxArgs: -1, Fn: comparison("=", lang.NumEqual), Doc: "(= z1 z2 ...): whether the numbers are all equal."},
	{Name: "<", MinArgs: 1, MaxArgs: -1, Fn: comparison("<", lang.NumLess), Doc: "(< x1 x2 ...): whether the numbers are strictly increasing."},
	{Name: ">", MinArgs: 1, MaxArgs: -1, Fn: comparison(">", lang.NumGreater), Doc: "(> x1 x2 ...): whether the numbers are strictly decreasing."},
	{Name: "<=", MinArgs: 1, MaxArgs: -1, Fn: comparison("<=", lang.NumLessEq), Doc: "(<= x1 x2 ...): whether the numbers are non-decreasing."},
	{Name: ">=", MinArgs: 1, MaxArgs: -1, Fn: comparison(">=", lang.NumGreaterEq), Doc: "(>= x1 x2 ...): whether the numbers are non-increasing."},
	{Name: "max", MinArgs: 1, MaxArgs: -1, Fn: extremum("max", 1), Doc: "(max x1 x2 ...): the largest; inexact if any argument is."},
	{Name: "min", MinArgs: 1, MaxArgs: -1, Fn: extremum("min", -1), Doc: "(min x1 x2 ...): the smallest; inexact if any argument is."},

	{Name: "+", MinArgs: 0, MaxArgs: -1, Fn: builtinAdd, Doc: "(+ z ...): the sum; 0 for none."},
	{Name: "*", MinArgs: 0, MaxArgs: -1, Fn: builtinMul, Doc: "(* z ...): the product; 1 for none."},
	{Name: "-", MinArgs: 1, MaxArgs: -1, Fn: builtinSub, Doc: "(- z) is the negation, (- z1 z2 ...) the difference."},
	{Name: "/", MinArgs: 1, MaxArgs: -1, Fn: builtinDiv, Doc: "(/ z) is the reciprocal, (/ z1 z2 ...) the quotient; exact operands give exact rationals."},
	{Name: "1+", MinArgs: 1, MaxArgs: 1, Fn: builtinOnePlus, Doc: "(1+ z): z plus one."},
	{Name: "1-", MinArgs: 1, MaxArgs: 1, Fn: builtinOneMinus, Doc: "(1- z): z minus one."},
	{Name: "abs", MinArgs: 1, MaxArgs: 1, Fn: unary("abs", lang.Abs), Doc: "(abs x): the absolute value."},
	{Name: "magnitude", MinArgs: 1, MaxArgs: 1, Fn: unary("magnitude", lang.Abs), Doc: "(magnitude z): the absolute value of a real number."},
	{Name: "quotient", MinArgs: 2, MaxArgs: 2, Fn: intBinary("quotient", lang.Quotient), Doc: "(quotient n1 n2): n1/n2 rounded toward zero."},
	{Name: "remainder", MinArgs: 2, MaxArgs: 2, Fn: intBinary("remainder", lang.Remainder), Doc: "(remainder n1 n2): the remainder of quotient; its sign is n1's."},
	{Name: "modulo", MinArgs: 2, MaxArgs: 2, Fn: intBinary("modulo", lang.Modulo), Doc: "(modulo n1 n2): the remainder of floor division; its sign is n2's."},
	{Name: "truncate-quotient", MinArgs: 2, MaxArgs: 2, Fn: intBinary("truncate-quotient", lang.Quotient), Doc: "(truncate-quotient n1 n2): n1/n2 rounded toward zero."},
	{Name: "truncate-remainder", MinArgs: 2, MaxArgs: 2, Fn: intBinary("truncate-remainder", lang.Remainder), Doc: "(truncate-remainder n1 n2): n1 - n2*(truncate-quotient n1 n2)."},
	{Name: "floor-quotient", MinArgs: 2, MaxArgs: 2, Fn: intBinary("floor-quotient", lang.FloorQuotient), Doc: "(floor-quotient n1 n2): n1/n2 rounded toward negative infinity."},
	{Name: "floor-remainder", MinArgs: 2, MaxArgs: 2, Fn: intBinary("floor-remainder", lang.Modulo), Doc: "(floor-remainder n1 n2): n1 - n2*(floor-quotient n1 n2)."},
	{Name: "truncate/", MinArgs: 2, MaxArgs: 2, Fn: intDivBoth("truncate/", lang.TruncateDiv), Doc: "(truncate/ n1 n2): two values, truncate-quotient and truncate-remainder."},
	{Name: "floor/", MinArgs: 2, MaxArgs: 2, Fn: intDivBoth("floor/", lang.FloorDiv), Doc: "(floor/ n1 n2): two values, floor-quotient and floor-remainder."},
	{Name: "gcd", MinArgs: 0, MaxArgs: -1, Fn: intFold("gcd", 0, lang.Gcd), Doc: "(gcd n ...): the greatest common divisor; 0 for none."},
	{Name: "lcm", MinArgs: 0, MaxArgs: -1, Fn: intFold("lcm", 1, lang.Lcm), Doc: "(lcm n ...): the least common multiple; 1 for none."},
	{Name: "numerator", MinArgs: 1, MaxArgs: 1, Fn: unary("numerator", lang.Numerator), Doc: "(numerator q): the numerator of q in lowest terms."},
	{Name: "denominator", MinArgs: 1, MaxArgs: 1, Fn: unary("denominator", lang.Denominator), Doc: "(denominator q): the denominator of q in lowest terms."},
	{Name: "floor", MinArgs: 1, MaxArgs: 1, Fn: unary("floor", lang.Floor), Doc: "(floor x): the largest integer not above x."},
	{Name: "ceiling", MinArgs: 1, MaxArgs: 1, Fn: unary("ceiling", lang.Ceiling), Doc: "(ceiling x): the smallest integer not below x."},
	{Name: "round", MinArgs: 1, MaxArgs: 1, Fn: unary("round", lang.Round), Doc: "(round x): the closest integer, ties to even."},
	{Name: "truncate", MinArgs: 1, MaxArgs: 1, Fn: unary("truncate", lang.Truncate), Doc: "(truncate x): x rounded toward zero."},
	{Name: "rationalize", MinArgs: 2, MaxArgs: 2, Fn: builtinRationalize, Doc: "(rationalize x y): the simplest rational within y of x."},
	{Name: "square", MinArgs: 1, MaxArgs: 1, Fn: builtinSquare, Doc: "(square z): z times z."},
	{Name: "sqrt", MinArgs: 1, MaxArgs: 1, Fn: unary("sqrt", lang.Sqrt), Doc: "(sqrt z): the square root; exact for exact perfect squares."},
	{Name: "exact-integer-sqrt", MinArgs: 1, MaxArgs: 1, Fn: builtinExactIntegerSqrt, Doc: "(exact-integer-sqrt k): two values s and r with s*s + r = k."},
	{Name: "expt", MinArgs: 2, MaxArgs: 2, Fn: builtinExpt, Doc: "(expt z1 z2): z1 raised to the power z2."},
	{Name: "exact", MinArgs: 1, MaxArgs: 1, Fn: unary("exact", lang.Exact), Doc: "(exact z): the exact number closest to z."},
	{Name: "inexact", MinArgs: 1, MaxArgs: 1, Fn: unary("inexact", lang.Inexact), Doc: "(inexact z): the inexact number closest to z."},
	{Name: "inexact->exact", MinArgs: 1, MaxArgs: 1, Fn: unary("inexact->exact", lang.Exact), Doc: "(inexact->exact z): same as exact."},
	{Name: "exact->inexact", MinArgs: 1, MaxArgs: 1, Fn: unary("exact->inexact", lang.Inexact), Doc: "(exact->inexact z): same as inexact."},
	{Name: "number->string", MinArgs: 1, MaxArgs: 2, Fn: builtinNumberToString, Doc: "(number->string z [radix]): z written in radix 2, 8, 10 or 16."},
	{Name: "string->number", MinArgs: 1, MaxArgs: 2, Fn: builtinStringToNumber, Doc: "(string->number string [radix]): the number string denotes, or #f."},

	{Name: "exp", MinArgs: 1, MaxArgs: 1, Fn: floatFn("exp", math.Exp), Doc: "(exp z): e to the power z."},
	{Name: "log", MinArgs: 1, MaxArgs: 2, Fn: builtinLog, Doc: "(log z [base]): the natural logarithm, or the logarithm in base."},
	{Name: "sin", MinArgs: 1, MaxArgs: 1, Fn: floatFn("sin", math.Sin), Doc: "(sin z): the sine."},
	{Name: "cos", MinArgs: 1, MaxArgs: 1, Fn: floatFn("cos", math.Cos), Doc: "(cos z): the cosine."},
	{Name: "tan", MinArgs: 1, MaxArgs: 1, Fn: floatFn("tan", math.Tan), Doc: "(tan z): the tangent."},
	{Name: "asin", MinArgs: 1, MaxArgs: 1, Fn: floatFn("asin", math.Asin), Doc: "(asin z): the arc sine."},
	{Name: "acos", MinArgs: 1, MaxArgs: 1, Fn: floatFn("acos", math.Acos), Doc: "(acos z): the arc cosine."},
	{Name: "atan", MinArgs: 1, MaxArgs: 2, Fn: builtinAtan, Doc: "(atan z) is the arc tangent; (atan y x) the angle of the point (x, y)."},
	{Name: "real-part", MinArgs: 1, MaxArgs: 1, Fn: builtinRealPart, Doc: "(real-part z): z itself, Fruix numbers being real."},
	{Name: "imag-part", MinArgs: 1, MaxArgs: 1, Fn: builtinImagPart, Doc: "(imag-part z): 0, Fruix numbers being real."},
	{Name: "angle", MinArgs: 1, MaxArgs: 1, Fn: builtinAngle, Doc: "(angle x): 0.0 for x >= 0, pi for x < 0."},
	{Name: "make-rectangular", MinArgs: 2, MaxArgs: 2, Fn: builtinMakeRectangular, Doc: "(make-rectangular x y): x, when y is an exact zero (Fruix has no complex numbers)."},
	{Name: "make-polar", MinArgs: 2, MaxArgs: 2, Fn: builtinMakePolar, Doc: "(make-polar m a): m, when a is an exact zero (Fruix has no complex numbers)."},

	{Name: "logand", MinArgs: 0, MaxArgs: -1, Fn: bitFold("logand", -1, (*big.Int).And), Doc: "(logand n ...): bitwise and; -1 for none."},
	{Name: "logior", MinArgs: 0, MaxArgs: -1, Fn: bitFold("logior", 0, (*big.Int).Or), Doc: "(logior n ...): bitwise inclusive or; 0 for none."},
	{Name: "logxor", MinArgs: 0, MaxArgs: -1, Fn: bitFold("logxor", 0, (*big.Int).Xor), Doc: "(logxor n ...): bitwise exclusive or; 0 for none."},
	{Name: "bitwise-and", MinArgs: 0, MaxArgs: -1, Fn: bitFold("bitwise-and", -1, (*big.Int).And), Doc: "(bitwise-and n ...): bitwise and; -1 for none."},
	{Name: "bitwise-ior", MinArgs: 0, MaxArgs: -1, Fn: bitFold("bitwise-ior", 0, (*big.Int).Or), Doc: "(bitwise-ior n ...): bitwise inclusive or; 0 for none."},
	{Name: "bitwise-xor", MinArgs: 0, MaxArgs: -1, Fn: bitFold("bitwise-xor", 0, (*big.Int).Xor), Doc: "(bitwise-xor n ...): bitwise exclusive or; 0 for none."},
	{Name: "lognot", MinArgs: 1, MaxArgs: 1, Fn: builtinLognot("lognot"), Doc: "(lognot n): the bitwise complement, -n-1."},
	{Name: "bitwise-not", MinArgs: 1, MaxArgs: 1, Fn: builtinLognot("bitwise-not"), Doc: "(bitwise-not n): the bitwise complement, -n-1."},
	{Name: "ash", MinArgs: 2, MaxArgs: 2, Fn: builtinAsh("ash"), Doc: "(ash n count): n shifted left by count bits (right when negative)."},
	{Name: "arithmetic-shift", MinArgs: 2, MaxArgs: 2, Fn: builtinAsh("arithmetic-shift"), Doc: "(arithmetic-shift n count): n shifted left by count bits (right when negative)."},
	{Name: "logtest", MinArgs: 2, MaxArgs: 2, Fn: builtinLogtest, Doc: "(logtest n1 n2): whether n1 and n2 have a 1 bit in common."},
	{Name: "logbit?", MinArgs: 2, MaxArgs: 2, Fn: builtinLogbit, Doc: "(logbit? index n): whether bit index of n is 1."},
	{Name: "logcount", MinArgs: 1, MaxArgs: 1, Fn: builtinLogcount, Doc: "(logcount n): the number of 1 bits of n (of 0 bits when negative)."},
	{Name: "integer-length", MinArgs: 1, MaxArgs: 1, Fn: builtinIntegerLength, Doc: "(integer-length n): the number of bits needed to represent n."},
	{Name: "random", MinArgs: 1, MaxArgs: 2, Fn: builtinRandom, Doc: "(random n): a pseudo-random number in [0, n), exact or inexact like n; the sequence is the same on every run."},
}

func numPred(p func(lang.Value) bool) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		return lang.MakeBool(p(args[0])), nil
	}
}

// numCheck is a predicate on numbers that rejects other arguments.
func numCheck(name string, p func(lang.Value) bool) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		if !lang.IsNumber(args[0]) {
			return nil, wrongType(name, 0, "number", args[0])
		}
		return lang.MakeBool(p(args[0])), nil
	}
}

func isFinite(v lang.Value) bool {
	f, ok := v.(lang.Flonum)
	return !ok || !math.IsInf(float64(f), 0) && !math.IsNaN(float64(f))
}

func isInfinite(v lang.Value) bool {
	f, ok := v.(lang.Flonum)
	return ok && math.IsInf(float64(f), 0)
}

func argNumber(proc string, args []lang.Value, i int) (lang.Value, error) {
	if lang.IsNumber(args[i]) {
		return args[i], nil
	}
	return nil, wrongType(proc, i, "number", args[i])
}

func argInteger(proc string, args []lang.Value, i int) (lang.Value, error) {
	if lang.IsInteger(args[i]) {
		return args[i], nil
	}
	return nil, wrongType(proc, i, "integer", args[i])
}

func argExactInteger(proc string, args []lang.Value, i int) (*big.Int, error) {
	if b, ok := lang.ToBig(args[i]); ok && lang.IsExactInteger(args[i]) {
		return b, nil
	}
	return nil, wrongType(proc, i, "exact integer", args[i])
}

func parity(name string, want int64) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		if n, ok := args[0].(lang.Fixnum); ok {
			return lang.MakeBool(int64(n)&1 == want), nil
		}
		if _, err := argInteger(name, args, 0); err != nil {
			return nil, err
		}
		r, err := lang.Modulo(args[0], lang.MakeInt(2))
		if err != nil {
			return nil, err
		}
		return lang.MakeBool(lang.Sign(r) == int(want)), nil
	}
}

func comparison(name string, cmp func(a, b lang.Value) (bool, error)) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		for i, a := range args {
			if !lang.IsNumber(a) {
				return nil, wrongType(name, i, "number", a)
			}
		}
		result := true
		for i := 0; i+1 < len(args); i++ {
			ok, err := cmp(args[i], args[i+1])
			if err != nil {
				return nil, err
			}
			if !ok {
				result = false // keep checking the types of the rest
			}
		}
		return lang.MakeBool(result), nil
	}
}

func extremum(name string, want int) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		best := args[0]
		inexact := false
		for i, a := range args {
			if !lang.IsNumber(a) {
				return nil, wrongType(name, i, "number", a)
			}
			if !lang.IsExact(a) {
				inexact = true
			}
			if lang.IsNaN(a) {
				best = a
				continue
			}
			if i == 0 || lang.IsNaN(best) {
				continue
			}
			c, err := lang.Compare(a, best)
			if err != nil {
				return nil, err
			}
			if c == want {
				best = a
			}
		}
		if inexact {
			return lang.Inexact(best)
		}
		return best, nil
	}
}

func builtinAdd(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	var acc lang.Value = lang.MakeInt(0)
	for i, a := range args {
		if !lang.IsNumber(a) {
			return nil, wrongType("+", i, "number", a)
		}
		var err error
		if acc, err = lang.Add(acc, a); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

func builtinMul(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	var acc lang.Value = lang.MakeInt(1)
	for i, a := range args {
		if !lang.IsNumber(a) {
			return nil, wrongType("*", i, "number", a)
		}
		var err error
		if acc, err = lang.Mul(acc, a); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

func builtinSub(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	for i, a := range args {
		if !lang.IsNumber(a) {
			return nil, wrongType("-", i, "number", a)
		}
	}
	if len(args) == 1 {
		return lang.Neg(args[0])
	}
	acc := args[0]
	for _, a := range args[1:] {
		var err error
		if acc, err = lang.Sub(acc, a); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

func builtinDiv(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	for i, a := range args {
		if !lang.IsNumber(a) {
			return nil, wrongType("/", i, "number", a)
		}
	}
	if len(args) == 1 {
		return lang.Div(lang.MakeInt(1), args[0])
	}
	acc := args[0]
	for _, a := range args[1:] {
		var err error
		if acc, err = lang.Div(acc, a); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

func builtinOnePlus(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argNumber("1+", args, 0); err != nil {
		return nil, err
	}
	return lang.Add(args[0], lang.MakeInt(1))
}

func builtinOneMinus(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argNumber("1-", args, 0); err != nil {
		return nil, err
	}
	return lang.Sub(args[0], lang.MakeInt(1))
}

func unary(name string, f func(lang.Value) (lang.Value, error)) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		if _, err := argNumber(name, args, 0); err != nil {
			return nil, err
		}
		return f(args[0])
	}
}

func intBinary(name string, f func(a, b lang.Value) (lang.Value, error)) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		for i := range args {
			if _, err := argInteger(name, args, i); err != nil {
				return nil, err
			}
		}
		return f(args[0], args[1])
	}
}

func intDivBoth(name string, f func(a, b lang.Value) (q, r lang.Value, err error)) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		for i := range args {
			if _, err := argInteger(name, args, i); err != nil {
				return nil, err
			}
		}
		q, r, err := f(args[0], args[1])
		if err != nil {
			return nil, err
		}
		return eval.Values(q, r), nil
	}
}

func intFold(name string, identity int64, f func(a, b lang.Value) (lang.Value, error)) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		acc := lang.MakeInt(identity)
		for i := range args {
			if _, err := argInteger(name, args, i); err != nil {
				return nil, err
			}
			var err error
			if acc, err = f(acc, args[i]); err != nil {
				return nil, err
			}
		}
		if len(args) == 1 {
			return lang.Abs(acc)
		}
		return acc, nil
	}
}

func builtinSquare(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argNumber("square", args, 0); err != nil {
		return nil, err
	}
	return lang.Mul(args[0], args[0])
}

func builtinExpt(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	for i := range args {
		if _, err := argNumber("expt", args, i); err != nil {
			return nil, err
		}
	}
	return lang.Expt(args[0], args[1])
}

func builtinExactIntegerSqrt(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if !lang.IsExactInteger(args[0]) {
		return nil, wrongType("exact-integer-sqrt", 0, "exact non-negative integer", args[0])
	}
	if lang.Sign(args[0]) < 0 {
		return nil, rangeErrorf("exact-integer-sqrt", 0, "want non-negative integer, got %s", lang.NumberToString(args[0], 10))
	}
	s, r, err := lang.ExactIntegerSqrt(args[0])
	if err != nil {
		return nil, err
	}
	return eval.Values(s, r), nil
}

// builtinRationalize finds the simplest rational in [x-y, x+y] by the
// Stern-Brocot descent; the result is inexact if either argument is.
func builtinRationalize(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	for i := range args {
		if _, err := argNumber("rationalize", args, i); err != nil {
			return nil, err
		}
	}
	inexact := !lang.IsExact(args[0]) || !lang.IsExact(args[1])
	for _, a := range args {
		if !isFinite(a) {
			if lang.IsNaN(a) {
				return a, nil
			}
			if isInfinite(args[1]) {
				if isInfinite(args[0]) {
					return lang.MakeFloat(math.NaN()), nil
				}
				return lang.MakeFloat(0), nil
			}
			return args[0], nil
		}
	}
	x, _ := lang.Exact(args[0])
	y, _ := lang.Exact(args[1])
	y, _ = lang.Abs(y)
	lo, _ := lang.Sub(x, y)
	hi, _ := lang.Add(x, y)
	r := simplestBetween(toRat(lo), toRat(hi))
	v := lang.MakeRat(r)
	if inexact {
		return lang.Inexact(v)
	}
	return v, nil
}

func toRat(v lang.Value) *big.Rat {
	switch n := v.(type) {
	case lang.Fixnum:
		return new(big.Rat).SetInt64(int64(n))
	case *lang.Bignum:
		return new(big.Rat).SetInt(&n.Int)
	case *lang.Ratnum:
		return new(big.Rat).Set(&n.Rat)
	}
	panic("stdlib: toRat of a non-exact number")
}

// simplestBetween returns the rational with the smallest denominator in
// [lo, hi] (lo <= hi).
func simplestBetween(lo, hi *big.Rat) *big.Rat {
	if lo.Sign() > 0 {
		return simplestPositive(lo, hi)
	}
	if hi.Sign() < 0 {
		r := simplestPositive(new(big.Rat).Neg(hi), new(big.Rat).Neg(lo))
		return r.Neg(r)
	}
	return new(big.Rat)
}

func simplestPositive(lo, hi *big.Rat) *big.Rat {
	fl := new(big.Int).Quo(lo.Num(), lo.Denom()) // floor, lo > 0
	if new(big.Rat).SetInt(fl).Cmp(lo) == 0 {
		return new(big.Rat).SetInt(fl)
	}
	if new(big.Rat).SetInt(new(big.Int).Add(fl, big.NewInt(1))).Cmp(hi) <= 0 {
		return new(big.Rat).SetInt(fl.Add(fl, big.NewInt(1)))
	}
	flr := new(big.Rat).SetInt(fl)
	a := new(big.Rat).Sub(hi, flr)
	b := new(big.Rat).Sub(lo, flr)
	r := simplestPositive(a.Inv(a), b.Inv(b))
	return r.Add(flr, r.Inv(r))
}

func builtinNumberToString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argNumber("number->string", args, 0); err != nil {
		return nil, err
	}
	radix := 10
	if len(args) > 1 {
		r, err := argInt("number->string", args, 1)
		if err != nil {
			return nil, err
		}
		if r != 2 && r != 8 && r != 10 && r != 16 {
			return nil, rangeErrorf("number->string", 1, "radix must be 2, 8, 10 or 16, got %d", r)
		}
		radix = r
	}
	return lang.NewString(lang.NumberToString(args[0], radix)), nil
}

func builtinStringToNumber(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string->number", args, 0)
	if err != nil {
		return nil, err
	}
	radix := 10
	if len(args) > 1 {
		r, err := argInt("string->number", args, 1)
		if err != nil {
			return nil, err
		}
		if r != 2 && r != 8 && r != 10 && r != 16 {
			return nil, rangeErrorf("string->number", 1, "radix must be 2, 8, 10 or 16, got %d", r)
		}
		radix = r
	}
	if v, ok := lang.ParseNumber(s.String(), radix); ok {
		return v, nil
	}
	return lang.False, nil
}

func argFloat(proc string, args []lang.Value, i int) (float64, error) {
	if f, ok := lang.ToFloat(args[i]); ok {
		return f, nil
	}
	return 0, wrongType(proc, i, "number", args[i])
}

// floatFn wraps a transcendental function.
func floatFn(name string, f func(float64) float64) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		x, err := argFloat(name, args, 0)
		if err != nil {
			return nil, err
		}
		if n, ok := args[0].(lang.Fixnum); ok {
			// As in Guile, the exact points where the result is an exact
			// 0 or 1 give exact results (but exp and log do not).
			switch {
			case n == 0 && (name == "sin" || name == "tan" || name == "asin"):
				return lang.MakeInt(0), nil
			case n == 0 && name == "cos":
				return lang.MakeInt(1), nil
			case n == 1 && name == "acos":
				return lang.MakeInt(0), nil
			}
		}
		r := f(x)
		if math.IsNaN(r) && !math.IsNaN(x) {
			return nil, rangeErrorf(name, 0, "result for %s is not a real number (Fruix has no complex numbers)", lang.NumberToString(args[0], 10))
		}
		return lang.MakeFloat(r), nil
	}
}

func builtinLog(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	x, err := argFloat("log", args, 0)
	if err != nil {
		return nil, err
	}
	if x < 0 {
		return nil, rangeErrorf("log", 0, "logarithm of negative number %s is not real (Fruix has no complex numbers)", lang.NumberToString(args[0], 10))
	}
	r := logOf(args[0], x)
	if len(args) > 1 {
		b, err := argFloat("log", args, 1)
		if err != nil {
			return nil, err
		}
		if b < 0 {
			return nil, rangeErrorf("log", 1, "negative base %s", lang.NumberToString(args[1], 10))
		}
		r /= logOf(args[1], b)
	}
	return lang.MakeFloat(r), nil
}

// logOf is the natural logarithm of v, accurate for bignums beyond the
// range of float64.
func logOf(v lang.Value, f float64) float64 {
	if b, ok := v.(*lang.Bignum); ok && math.IsInf(f, 0) {
		shift := b.BitLen() - 64
		m := new(big.Int).Rsh(&b.Int, uint(shift))
		mf, _ := new(big.Float).SetInt(m).Float64()
		return math.Log(mf) + float64(shift)*math.Ln2
	}
	return math.Log(f)
}

func builtinAtan(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	y, err := argFloat("atan", args, 0)
	if err != nil {
		return nil, err
	}
	if len(args) == 1 {
		if n, ok := args[0].(lang.Fixnum); ok && n == 0 {
			return lang.MakeInt(0), nil
		}
		return lang.MakeFloat(math.Atan(y)), nil
	}
	x, err := argFloat("atan", args, 1)
	if err != nil {
		return nil, err
	}
	return lang.MakeFloat(math.Atan2(y, x)), nil
}

func builtinRealPart(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return argNumber("real-part", args, 0)
}

func builtinImagPart(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argNumber("imag-part", args, 0); err != nil {
		return nil, err
	}
	return lang.MakeInt(0), nil
}

func builtinAngle(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argNumber("angle", args, 0); err != nil {
		return nil, err
	}
	if lang.Sign(args[0]) < 0 {
		return lang.MakeFloat(math.Pi), nil
	}
	return lang.MakeFloat(0), nil
}

func notComplex(name string, args []lang.Value) error {
	for i := range args {
		if _, err := argNumber(name, args, i); err != nil {
			return err
		}
	}
	if !lang.IsExact(args[1]) || !lang.IsZero(args[1]) {
		return rangeErrorf(name, 1, "Fruix has no complex numbers: want exact 0, got %s", lang.NumberToString(args[1], 10))
	}
	return nil
}

func builtinMakeRectangular(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return args[0], notComplex("make-rectangular", args)
}

func builtinMakePolar(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return args[0], notComplex("make-polar", args)
}

func bitFold(name string, identity int64, op func(z, x, y *big.Int) *big.Int) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		acc := big.NewInt(identity)
		for i := range args {
			b, err := argExactInteger(name, args, i)
			if err != nil {
				return nil, err
			}
			op(acc, acc, b)
		}
		return lang.MakeBig(acc), nil
	}
}

func builtinLognot(name string) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		b, err := argExactInteger(name, args, 0)
		if err != nil {
			return nil, err
		}
		return lang.MakeBig(new(big.Int).Not(b)), nil
	}
}

func builtinAsh(name string) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		b, err := argExactInteger(name, args, 0)
		if err != nil {
			return nil, err
		}
		n, err := argInt(name, args, 1)
		if err != nil {
			return nil, err
		}
		if n > 1<<24 {
			return nil, rangeErrorf(name, 1, "shift count %d too large", n)
		}
		if n >= 0 {
			return lang.MakeBig(new(big.Int).Lsh(b, uint(n))), nil
		}
		return lang.MakeBig(new(big.Int).Rsh(b, uint(-n))), nil
	}
}

func builtinLogtest(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	a, err := argExactInteger("logtest", args, 0)
	if err != nil {
		return nil, err
	}
	b, err := argExactInteger("logtest", args, 1)
	if err != nil {
		return nil, err
	}
	return lang.MakeBool(new(big.Int).And(a, b).Sign() != 0), nil
}

func builtinLogbit(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	k, err := argNonNeg("logbit?", args, 0)
	if err != nil {
		return nil, err
	}
	b, err := argExactInteger("logbit?", args, 1)
	if err != nil {
		return nil, err
	}
	if b.Sign() < 0 {
		// Two's complement: bit k of b is the inverse of bit k of ^b.
		return lang.MakeBool(new(big.Int).Not(b).Bit(k) == 0), nil
	}
	return lang.MakeBool(b.Bit(k) == 1), nil
}

func builtinLogcount(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	b, err := argExactInteger("logcount", args, 0)
	if err != nil {
		return nil, err
	}
	if b.Sign() < 0 {
		b = new(big.Int).Not(b)
	}
	n := 0
	for _, w := range b.Bits() {
		for ; w != 0; w &= w - 1 {
			n++
		}
	}
	return makeInt(n), nil
}

func builtinIntegerLength(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	b, err := argExactInteger("integer-length", args, 0)
	if err != nil {
		return nil, err
	}
	if b.Sign() < 0 {
		b = new(big.Int).Not(b)
	}
	return makeInt(b.BitLen()), nil
}

// randomState is the per-Thread generator of random: a fixed seed, so a
// program's output is the same on every run.
type randomState struct{ x uint64 }

type randomKey struct{}

func (r *randomState) next() uint64 {
	// xorshift64*: small, fast and good enough for a configuration
	// language; not for cryptography.
	r.x ^= r.x >> 12
	r.x ^= r.x << 25
	r.x ^= r.x >> 27
	return r.x * 2685821657736338717
}

func builtinRandom(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	st, _ := th.Local(randomKey{}).(*randomState)
	if st == nil {
		st = &randomState{x: 0x9E3779B97F4A7C15}
		th.SetLocal(randomKey{}, st)
	}
	switch n := args[0].(type) {
	case lang.Fixnum:
		if n > 0 {
			return lang.MakeInt(int64(st.next() % uint64(n))), nil
		}
	case *lang.Bignum:
		if n.Sign() > 0 {
			r := new(big.Int)
			for i := 0; i < (n.BitLen()+63)/64+1; i++ {
				r.Lsh(r, 64)
				r.Or(r, new(big.Int).SetUint64(st.next()))
			}
			return lang.MakeBig(r.Mod(r, &n.Int)), nil
		}
	case lang.Flonum:
		if n > 0 {
			return lang.MakeFloat(float64(st.next()>>11) / (1 << 53) * float64(n)), nil
		}
	}
	return nil, wrongType("random", 0, "positive number", args[0])
}
