package lang

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// NumberToString returns the external representation of the number v in
// the given radix (2, 8, 10 or 16; exact numbers accept 2 to 36, and
// other radices mean 10: callers check the radix first). Flonums
// print as Scheme prints them: always with a point or an exponent (1.0,
// 1.0e21), and +inf.0, -inf.0, +nan.0. It returns "" when v is not a
// number.
func NumberToString(v Value, radix int) string {
	if radix < 2 || radix > 36 {
		radix = 10
	}
	switch x := v.(type) {
	case Fixnum:
		return strconv.FormatInt(int64(x), radix)
	case *Bignum:
		return x.Text(radix)
	case *Ratnum:
		return x.Num().Text(radix) + "/" + x.Denom().Text(radix)
	case Flonum:
		if radix == 10 {
			return formatFlonum(float64(x))
		}
		return formatFlonumRadix(float64(x), radix)
	}
	return ""
}

// appendNumber appends the decimal representation of the number v.
func appendNumber(b []byte, v Value) []byte {
	switch x := v.(type) {
	case Fixnum:
		return strconv.AppendInt(b, int64(x), 10)
	case Flonum:
		return appendFlonum(b, float64(x))
	}
	return append(b, NumberToString(v, 10)...)
}

func formatFlonum(f float64) string { return string(appendFlonum(nil, f)) }

// appendFlonum writes the shortest digits that read back as f. Like
// Guile, it uses positional notation for decimal exponents from -3 to 6,
// and beyond 6 while the digits need at most two padding zeros
// (123456700.0); exponential notation otherwise (1.0e7, 1.5e-4).
func appendFlonum(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "+nan.0"...)
	case math.IsInf(f, 1):
		return append(b, "+inf.0"...)
	case math.IsInf(f, -1):
		return append(b, "-inf.0"...)
	}
	if f == 0 {
		if math.Signbit(f) {
			return append(b, "-0.0"...)
		}
		return append(b, "0.0"...)
	}
	var buf [32]byte
	s := strconv.AppendFloat(buf[:0], f, 'e', -1, 64) // d.ddde±XX
	neg := s[0] == '-'
	if neg {
		s = s[1:]
		b = append(b, '-')
	}
	ei := 0
	for ei < len(s) && s[ei] != 'e' {
		ei++
	}
	mant, expPart := s[:ei], s[ei+1:]
	exp, _ := strconv.Atoi(string(expPart))
	digits := make([]byte, 0, 20)
	digits = append(digits, mant[0])
	if len(mant) > 2 {
		digits = append(digits, mant[2:]...)
	}
	nd := len(digits)
	switch {
	case exp >= 0 && (exp <= 6 || exp-nd <= 2) && exp < 21:
		if nd <= exp+1 {
			b = append(b, digits...)
			for i := nd; i <= exp; i++ {
				b = append(b, '0')
			}
			return append(b, ".0"...)
		}
		b = append(b, digits[:exp+1]...)
		b = append(b, '.')
		return append(b, digits[exp+1:]...)
	case exp < 0 && exp >= -3:
		b = append(b, "0."...)
		for i := -1; i > exp; i-- {
			b = append(b, '0')
		}
		return append(b, digits...)
	}
	b = append(b, digits[0], '.')
	if nd > 1 {
		b = append(b, digits[1:]...)
	} else {
		b = append(b, '0')
	}
	b = append(b, 'e')
	return strconv.AppendInt(b, int64(exp), 10)
}

// formatFlonumRadix writes f in radix 2, 8 or 16, where every flonum has
// a finite expansion; other radices fall back to decimal.
func formatFlonumRadix(f float64, radix int) string {
	if math.IsNaN(f) || math.IsInf(f, 0) || (radix != 2 && radix != 8 && radix != 16) {
		return formatFlonum(f)
	}
	r := new(big.Rat).SetFloat64(math.Abs(f))
	ip := new(big.Int).Quo(r.Num(), r.Denom())
	frac := new(big.Rat).Sub(r, new(big.Rat).SetInt(ip))
	var sb strings.Builder
	if math.Signbit(f) {
		sb.WriteByte('-')
	}
	sb.WriteString(ip.Text(radix))
	sb.WriteByte('.')
	if frac.Sign() == 0 {
		sb.WriteByte('0')
		return sb.String()
	}
	rad := new(big.Rat).SetInt64(int64(radix))
	for frac.Sign() != 0 {
		frac.Mul(frac, rad)
		d := new(big.Int).Quo(frac.Num(), frac.Denom())
		sb.WriteString(d.Text(radix))
		frac.Sub(frac, new(big.Rat).SetInt(d))
	}
	return sb.String()
}

// ParseNumber parses text as a number in R7RS syntax with the default
// radix (10 unless a #x #b #o #d prefix says otherwise): optional
// prefixes #x #b #o #d #e #i (one radix and one exactness, in either
// order), integers, rationals n/d, decimals with exponents (radix 10),
// and +inf.0 -inf.0 +nan.0 -nan.0. It reports false when text is not a
// number; complex numbers are not supported.
func ParseNumber(text string, radix int) (Value, bool) {
	if radix < 2 || radix > 36 {
		return nil, false
	}
	exactness := byte(0)
	seenRadix := false
	for len(text) >= 2 && text[0] == '#' {
		switch c := text[1] | 0x20; c {
		case 'x', 'b', 'o', 'd':
			if seenRadix {
				return nil, false
			}
			seenRadix = true
			switch c {
			case 'x':
				radix = 16
			case 'b':
				radix = 2
			case 'o':
				radix = 8
			default:
				radix = 10
			}
		case 'e', 'i':
			if exactness != 0 {
				return nil, false
			}
			exactness = c
		default:
			return nil, false
		}
		text = text[2:]
	}
	v, ok := parseReal(text, radix, exactness == 'e')
	if !ok {
		return nil, false
	}
	switch exactness {
	case 'e':
		e, err := Exact(v)
		if err != nil {
			return nil, false
		}
		return e, true
	case 'i':
		f, _ := ToFloat(v)
		return Flonum(f), true
	}
	return v, true
}

// parseReal parses an optionally signed real without prefixes. exact asks
// decimals to be read exactly (#e1.1 is 11/10, not the flonum's value).
func parseReal(s string, radix int, exact bool) (Value, bool) {
	if s == "" {
		return nil, false
	}
	if len(s) == 6 && (s[0] == '+' || s[0] == '-') {
		switch strings.ToLower(s[1:]) {
		case "inf.0":
			if s[0] == '-' {
				return Flonum(math.Inf(-1)), true
			}
			return Flonum(math.Inf(1)), true
		case "nan.0":
			return Flonum(math.NaN()), true
		}
	}
	body := s
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	if body == "" {
		return nil, false
	}
	if i := strings.IndexByte(body, '/'); i >= 0 {
		num, den := body[:i], body[i+1:]
		if !allDigits(num, radix) || !allDigits(den, radix) {
			return nil, false
		}
		n, _ := new(big.Int).SetString(num, radix)
		d, _ := new(big.Int).SetString(den, radix)
		if s[0] == '-' {
			n.Neg(n)
		}
		if d.Sign() == 0 {
			// n/0 is no number; Guile reads it as a symbol too.
			return nil, false
		}
		return MakeRat(new(big.Rat).SetFrac(n, d)), true
	}
	if allDigits(body, radix) {
		if len(s) <= 18 && radix == 10 {
			n, err := strconv.ParseInt(s, 10, 64)
			if err == nil {
				return MakeInt(n), true
			}
		}
		n, ok := new(big.Int).SetString(s, radix)
		if !ok {
			return nil, false
		}
		return MakeBig(n), true
	}
	if radix != 10 || !isDecimal(body) {
		return nil, false
	}
	if exact {
		if decimalExponent(body) > maxExactExponent {
			return nil, false
		}
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			return nil, false
		}
		return MakeRat(r), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return nil, false
		}
	}
	return Flonum(f), true
}

func allDigits(s string, radix int) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if digitVal(s[i]) >= radix {
			return false
		}
	}
	return true
}

func digitVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return 99
}

// isDecimal reports whether s (unsigned) is R7RS decimal syntax:
// digits with at most one point and at least one digit, then an optional
// exponent e[+-]digits.
func isDecimal(s string) bool {
	i, digits := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return false
	}
	if i == len(s) {
		return true
	}
	if s[i] != 'e' && s[i] != 'E' {
		return false
	}
	i++
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i == len(s) && i > start
}

// maxExactExponent bounds the exponent of exact decimals such as
// #e1e400: 10^20000 is already a 66,000-bit integer, and much larger
// ones would take minutes to build.
const maxExactExponent = 20000

// decimalExponent returns the magnitude of the exponent of a decimal
// accepted by isDecimal (0 when it has none; huge values saturate).
func decimalExponent(s string) int {
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		return 0
	}
	n := 0
	for _, c := range s[i+1:] {
		if c >= '0' && c <= '9' {
			n = min(n*10+int(c-'0'), 1<<30)
		}
	}
	return n
}
