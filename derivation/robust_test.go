package derivation

import (
	"math/rand"
	"os"
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

// FuzzParse: any input parses or fails with an error; what parses writes
// back to text that parses to the same derivation. Seeds are Nix's
// vectors; run longer with `go test -fuzz FuzzParse ./derivation`.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"simple-derivation.drv", "hash-modulo-parent-split.drv", "ia-advanced-attributes-structured-attrs-defaults.drv", "bad-version.drv"} {
		data, err := os.ReadFile("testdata/nix/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err != nil {
			return
		}
		again, err := Parse(d.ATerm())
		if err != nil {
			t.Fatalf("written text does not parse: %v", err)
		}
		if string(again.ATerm()) != string(d.ATerm()) {
			t.Fatal("write, parse, write is not stable")
		}
	})
}
