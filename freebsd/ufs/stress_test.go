package ufs

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stress reports whether the full-size stress trees were asked for
// (FRUIX_STRESS=1); the default suite runs them scaled down where they
// are slow, and at full size where they are cheap.
func stress() bool { return os.Getenv("FRUIX_STRESS") == "1" }

// readRange reads n bytes at off of the file at p, through the block map.
func readRange(t testing.TB, fsys *FS, p string, off, n int64) []byte {
	t.Helper()
	_, d, err := fsys.lookup(p)
	must(t, err)
	out := make([]byte, 0, n)
	bsize := int64(fsys.sb.Bsize)
	cache := map[int64][]int64{}
	blk := make([]byte, bsize)
	for pos := off; pos < off+n; {
		lbn := pos / bsize
		addr, err := fsys.bmap(d, lbn, cache)
		must(t, err)
		if addr == 0 {
			clear(blk)
		} else {
			_, err := fsys.r.ReadAt(blk, addr*int64(fsys.sb.Fsize))
			must(t, err)
		}
		k := min(off+n, (lbn+1)*bsize) - pos
		out = append(out, blk[pos-lbn*bsize:pos-lbn*bsize+k]...)
		pos += k
	}
	return out
}

// TestStressManySmallFiles: 100,000 small files with FRUIX_STRESS=1,
// 3,000 by default.
func TestStressManySmallFiles(t *testing.T) {
	n := 3000
	if stress() {
		n = 100000
	}
	root := t.TempDir()
	for i := 0; i < n; i++ {
		dir := filepath.Join(root, fmt.Sprintf("d%03d", i/1000))
		if i%1000 == 0 {
			must(t, os.Mkdir(dir, 0755))
		}
		must(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%05d", i)), []byte(strings.Repeat("z", i%300)), 0644))
	}
	f, res := build(t, root, nil, Options{})
	fsys := checkClean(t, f)
	if res.Files != int64(n) {
		t.Errorf("%d files written, want %d", res.Files, n)
	}
	if !stress() {
		compareTree(t, fsys, root)
		return
	}
	for i := 0; i < n; i += 997 {
		p := fmt.Sprintf("/d%03d/f%05d", i/1000, i)
		b, err := fsys.ReadFile(p)
		if err != nil || string(b) != strings.Repeat("z", i%300) {
			t.Errorf("%s: %q %v", p, b, err)
		}
	}
}

// TestStressBigDirectory: one directory of 20,000 entries, which needs
// more blocks than an inode addresses directly.
func TestStressBigDirectory(t *testing.T) {
	n := 20000
	root := t.TempDir()
	dir := filepath.Join(root, "big")
	must(t, os.Mkdir(dir, 0755))
	for i := 0; i < n; i++ {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("entry-with-a-longer-name-%06d", i)))
		must(t, err)
		f.Close()
	}
	f, _ := build(t, root, nil, Options{})
	fsys := checkClean(t, f)
	ents, err := fsys.ReadDir("/big")
	must(t, err)
	if len(ents) != n {
		t.Fatalf("%d entries, want %d", len(ents), n)
	}
	st, _ := fsys.Stat("/big")
	if st.Size <= nDAddr*int64(fsys.sb.Bsize) {
		t.Errorf("directory of %d bytes does not reach the indirect blocks", st.Size)
	}
	if _, err := fsys.Stat("/big/entry-with-a-longer-name-019999"); err != nil {
		t.Error(err)
	}
}

// TestStressSparse5G: a 5 GiB sparse file with a little data must not
// write 5 GiB.
func TestStressSparse5G(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, "sparse")
	sf, err := os.Create(p)
	must(t, err)
	must(t, sf.Truncate(5<<30))
	marks := map[int64]string{0: "start", 1 << 30: "one GiB", 5<<30 - 3: "end"}
	for off, s := range marks {
		_, err := sf.WriteAt([]byte(s), off)
		must(t, err)
	}
	sf.Close()
	f, res := build(t, root, nil, Options{})
	fsys := checkClean(t, f)
	if res.Size > 64<<20 {
		t.Errorf("a 5 GiB sparse file made a %d-byte file system", res.Size)
	}
	if used := diskUsage(t, f); used > 64<<20 {
		t.Errorf("image takes %d bytes on disk", used)
	}
	for off, s := range marks {
		if got := readRange(t, fsys, "/sparse", off, int64(len(s))); string(got) != s {
			t.Errorf("at %d: %q, want %q", off, got, s)
		}
	}
	if got := readRange(t, fsys, "/sparse", 3<<30, 4096); !bytes.Equal(got, make([]byte, 4096)) {
		t.Error("a hole does not read as zeros")
	}
	st, _ := fsys.Stat("/sparse")
	if st.Size != 5<<30 || st.Blocks > 64*16 {
		t.Errorf("size %d, %d sectors held", st.Size, st.Blocks)
	}
}

// TestStressTripleIndirect: with 32 KiB blocks the double indirect block
// reaches 12 + 4096 + 4096² blocks (about 512 GiB); data beyond needs the
// triple indirect block.
func TestStressTripleIndirect(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, "huge")
	sf, err := os.Create(p)
	must(t, err)
	const size = 600 << 30
	if err := sf.Truncate(size); err != nil {
		t.Skipf("host cannot make a %d-byte sparse file: %v", int64(size), err)
	}
	tail := bytes.Repeat([]byte("triple!"), 10000)
	_, err = sf.WriteAt(tail, size-int64(len(tail)))
	must(t, err)
	sf.Close()
	f, _ := build(t, root, nil, Options{})
	fsys := checkClean(t, f)
	_, d, err := fsys.lookup("/huge")
	must(t, err)
	if d.IB[2] == 0 {
		t.Fatal("no triple indirect block")
	}
	if got := readRange(t, fsys, "/huge", size-int64(len(tail)), int64(len(tail))); !bytes.Equal(got, tail) {
		t.Error("data behind the triple indirect block differs")
	}
}

// TestStressShapes: deep paths, long names, hard links, empty
// directories, all in one tree.
func TestStressShapes(t *testing.T) {
	root := t.TempDir()
	deep := root
	for i := 0; i < 150; i++ {
		deep = filepath.Join(deep, fmt.Sprintf("level%03d", i))
	}
	must(t, os.MkdirAll(deep, 0755))
	must(t, os.WriteFile(filepath.Join(deep, "bottom"), []byte("bottom"), 0600))
	for i := 0; i < 50; i++ {
		name := strings.Repeat(string(rune('a'+i%26)), 200+i%56)
		must(t, os.WriteFile(filepath.Join(root, name), []byte(name[:10]), 0644))
		must(t, os.MkdirAll(filepath.Join(root, "empty", fmt.Sprintf("e%02d", i)), 0700))
	}
	must(t, os.WriteFile(filepath.Join(root, "orig"), []byte("linked"), 0644))
	for i := 0; i < 100; i++ {
		must(t, os.Link(filepath.Join(root, "orig"), filepath.Join(root, fmt.Sprintf("link%03d", i))))
	}
	f, _ := build(t, root, nil, Options{MetaCheckHashes: true})
	fsys := checkClean(t, f)
	compareTree(t, fsys, root)
	st, _ := fsys.Stat("/orig")
	if st.Nlink != 101 {
		t.Errorf("nlink %d, want 101", st.Nlink)
	}
}
