package image

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseSize reads a size as users write them: a number of bytes, or a
// number (with a fraction if need be) followed by K, M, G or T (powers of
// 1024, with an optional "iB" or "B"): 512M, 20G, 1.5G, 33MiB.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	upper := strings.ToUpper(t)
	upper = strings.TrimSuffix(upper, "IB")
	upper = strings.TrimSuffix(upper, "B")
	mult := int64(1)
	if upper != "" {
		switch upper[len(upper)-1] {
		case 'K':
			mult = 1 << 10
		case 'M':
			mult = 1 << 20
		case 'G':
			mult = 1 << 30
		case 'T':
			mult = 1 << 40
		}
		if mult != 1 {
			upper = upper[:len(upper)-1]
		}
	}
	f, err := strconv.ParseFloat(upper, 64)
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) || strings.ContainsAny(upper, "eEx_") {
		return 0, fmt.Errorf("size %q: want a number of bytes or a number followed by K, M, G or T (such as 512M, 20G, 1.5G)", s)
	}
	v := f * float64(mult)
	if v > math.MaxInt64/2 {
		return 0, fmt.Errorf("size %q is too large", s)
	}
	return int64(math.Round(v)), nil
}
