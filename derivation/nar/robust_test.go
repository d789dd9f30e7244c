package nar

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
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

// FuzzRestore: any input unpacks or fails with an error; what unpacks
// archives back to exactly the input. Seeds are Nix's archives; run longer
// with `go test -fuzz FuzzRestore ./store/nar`.
func FuzzRestore(f *testing.F) {
	for _, name := range []string{"fuzz-simple", "fuzz-empty-dir", "regular-one-byte-zero-padding", "dot", "executable-after-contents"} {
		data, err := os.ReadFile("testdata/nix/" + name + ".nar")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dst := filepath.Join(t.TempDir(), "x")
		if err := Restore(bytes.NewReader(data), dst); err != nil {
			return
		}
		var out bytes.Buffer
		if _, err := Dump(&out, dst); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), data) {
			t.Fatal("a NAR that unpacks does not archive back to itself")
		}
	})
}
