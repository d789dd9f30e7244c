package fat

import (
	"io"
	"math/rand"
	"testing"
)

// memVolume is an in-memory volume for the reader tests.
type memVolume []byte

func (m memVolume) WriteAt(p []byte, off int64) (int, error) { return copy(m[off:], p), nil }
func (m memVolume) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(m)) {
		return 0, io.EOF
	}
	n := copy(p, m[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// walk reads every directory and file the reader can reach.
func walk(fs *FS, dir string, depth int) {
	if depth > 8 {
		return
	}
	entries, err := fs.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		p := dir + "/" + e.Name
		if e.IsDir {
			walk(fs, p, depth+1)
		} else {
			fs.ReadFile(p)
		}
	}
}

// TestCorruptVolumesGiveErrorsNotPanics flips bytes in the metadata of a
// real volume (boot sector, FATs, directories) and reads it: the reader
// must answer with errors or wrong data, never a panic or a hang.
func TestCorruptVolumesGiveErrorsNotPanics(t *testing.T) {
	vol := make(memVolume, 33*mib)
	files := []File{
		{Path: "EFI/BOOT/BOOTX64.EFI", Data: loaderBytes(20000)},
		{Path: "EFI/FreeBSD/a long name with spaces.conf", Data: []byte("x")},
		{Path: "dir/sub/deeper/file.txt", Data: loaderBytes(3000)},
	}
	if _, err := Build(vol, files, Options{Size: int64(len(vol))}); err != nil {
		t.Fatal(err)
	}
	g, _ := newGeometry(int64(len(vol)))
	meta := g.clusterOffset(2) + 16*g.clusterSize() // boot area, FATs, first directories
	rng := rand.New(rand.NewSource(1))
	work := make(memVolume, len(vol))
	copy(work, vol)
	for i := 0; i < 300; i++ {
		copy(work[:meta], vol[:meta]) // only metadata is ever changed
		for j := 0; j < 1+rng.Intn(8); j++ {
			var off int64
			switch rng.Intn(3) {
			case 0:
				off = rng.Int63n(SectorSize)
			case 1:
				off = reservedSectors*SectorSize + rng.Int63n(64)
			default:
				off = g.clusterOffset(2) + rng.Int63n(meta-g.clusterOffset(2))
			}
			work[off] = byte(rng.Intn(256))
		}
		fs, err := Open(work, int64(len(work)))
		if err != nil {
			continue
		}
		walk(fs, "", 0)
	}
	for _, size := range []int64{0, 100, SectorSize} {
		if _, err := Open(vol[:size], size); err == nil {
			t.Errorf("a %d-byte volume opened", size)
		}
	}
}
