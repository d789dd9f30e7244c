package nar

import (
	"bytes"
	"math/rand"
	"os"
	"testing"
)

// Truncated and corrupted archives give errors, never panics or hangs.
func TestCheckNeverPanics(t *testing.T) {
	data, err := os.ReadFile("testdata/nix/fuzz-simple.nar")
	must(t, err)
	for i := 0; i < len(data); i++ {
		if err := Check(bytes.NewReader(data[:i])); err == nil {
			t.Errorf("archive truncated to %d bytes accepted", i)
		}
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 3000; i++ {
		mutated := append([]byte(nil), data...)
		for k := 0; k < 1+rng.Intn(3); k++ {
			mutated[rng.Intn(len(mutated))] = byte(rng.Intn(256))
		}
		Check(bytes.NewReader(mutated)) // must return
	}
}
