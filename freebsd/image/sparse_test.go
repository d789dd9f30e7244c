package image

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestSparseFile(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "s"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := newSparseFile(f)
	const size = 64 << 20
	f.Truncate(size)
	data := bytes.Repeat([]byte{0xAB}, 10000)
	// Data at an unaligned place, then a big run of zeros over holes.
	w.WriteAt(data, 5000)
	w.WriteAt(make([]byte, 32<<20), 1<<20)
	// Zeros written over data must clear it, even inside a larger write.
	mixed := make([]byte, 3*sparseBlock)
	mixed[len(mixed)-1] = 1
	w.WriteAt(mixed, 4096)
	got := make([]byte, 20000)
	f.ReadAt(got, 0)
	want := make([]byte, 20000)
	copy(want[5000:], data)
	copy(want[4096:], mixed)
	if !bytes.Equal(got, want) {
		t.Fatal("zeros written over data did not clear it")
	}
	if used := diskUsage(f.Name()); used < 0 || used > 4<<20 {
		t.Errorf("%d bytes on disk for ~10 KB of data: zeros were written", used)
	}
	exts, err := dataExtents(f, 0, size)
	if err != nil || len(exts) == 0 || exts[len(exts)-1].Off+exts[len(exts)-1].Len > 1<<20 {
		t.Errorf("data extents %v, %v", exts, err)
	}
}
