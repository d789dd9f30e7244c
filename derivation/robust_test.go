package derivation

import (
	"math/rand"
	"testing"
)

// Truncated and corrupted .drv texts give errors, never panics, and
// whatever parses writes back to the same text only if nothing changed.
func TestParseNeverPanics(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, name := range []string{"simple-derivation.drv", "hash-modulo-intermediate-first.drv", "ia-advanced-attributes.drv"} {
		data := readVector(t, name)
		for i := 0; i < len(data); i++ {
			if _, err := Parse(data[:i]); err == nil {
				t.Errorf("%s truncated to %d bytes parsed", name, i)
			}
		}
		for i := 0; i < 2000; i++ {
			mutated := append([]byte(nil), data...)
			mutated[rng.Intn(len(mutated))] = "\"\\()[],x\n"[rng.Intn(9)]
			if d, err := Parse(mutated); err == nil && string(d.ATerm()) == string(data) && string(mutated) != string(data) {
				t.Errorf("%s: a changed text wrote back as the original", name)
			}
		}
	}
}
