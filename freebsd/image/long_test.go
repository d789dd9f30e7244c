package image

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestLongSparse20GiBWith1GiB is the sparseness check at full
// scale: a 20 GiB image of a tree holding 1 GiB must take about 1 GiB of
// disk. It writes 2 GiB, so it runs only with FRUIX_LONG_TESTS=1.
func TestLongSparse20GiBWith1GiB(t *testing.T) {
	if os.Getenv("FRUIX_LONG_TESTS") == "" {
		t.Skip("set FRUIX_LONG_TESTS=1 to write a 1 GiB tree into a 20 GiB image")
	}
	fx := newFixture(t)
	const chunk = 8 << 20
	var data int64
	for i := 0; data < 1<<30; i++ {
		p := filepath.Join(fx.root, fmt.Sprintf("data/d%02d/f%03d", i%16, i))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, pseudoRandom(p, chunk), 0o644); err != nil {
			t.Fatal(err)
		}
		data += chunk
	}
	spec := fx.spec()
	spec.Size = 20 << 30
	_, res := build(t, spec, "big.img")
	t.Logf("20 GiB image of %d MiB of files: %d MiB on disk", data>>20, res.DiskBlocks>>20)
	if res.DiskBlocks > data+data/10 {
		t.Errorf("%d bytes on disk for %d bytes of data: not sparse", res.DiskBlocks, data)
	}
}
