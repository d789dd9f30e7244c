package ufs

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadNetBSDMakefsImage cross-checks the reader and the checker
// against an independent FFSv2 writer: NetBSD's makefs as Debian packages
// it (package makefs). That makefs puts the superblock at byte 8192,
// where FreeBSD 14 and 15 no longer look (which is why Fruix writes its
// own), so the superblock location is the one thing not held against it;
// every other pass of Check must find the image clean, and every file
// must read back. Skipped when makefs is not installed.
func TestReadNetBSDMakefsImage(t *testing.T) {
	makefs, err := exec.LookPath("makefs")
	if err != nil {
		t.Skip("makefs (Debian package makefs) not installed")
	}
	root := mixedTree(t)
	img := filepath.Join(t.TempDir(), "netbsd.img")
	out, err := exec.Command(makefs, "-t", "ffs", "-o", "version=2", "-B", "le", "-s", "64m", img, root).CombinedOutput()
	if err != nil {
		t.Fatalf("makefs: %v\n%s", err, out)
	}
	f, err := os.Open(img)
	must(t, err)
	defer f.Close()
	const netbsdSblock = 8192
	raw := make([]byte, sblockSize)
	_, err = f.ReadAt(raw, netbsdSblock)
	must(t, err)
	fsys := &FS{r: f, size: 64 << 20}
	unmarshal(raw[:fsSize], &fsys.sb)
	if fsys.sb.Magic != fsUFS2Magic || fsys.sb.Sblockloc != netbsdSblock {
		t.Skipf("this makefs writes a different layout (magic %#x at %d)", fsys.sb.Magic, fsys.sb.Sblockloc)
	}
	if n := compareTree(t, fsys, root); n < 20 {
		t.Errorf("compared only %d entries", n)
	}
	c := &checker{r: f, size: fsys.size, sbRaw: raw, sb: fsys.sb}
	c.meta = make([]uint64, (c.sb.Size+63)/64)
	c.ref = make([]uint64, (c.sb.Size+63)/64)
	c.markMeta()
	c.readGroups()
	c.passInodes()
	c.passDirs()
	c.passLinks()
	c.passMaps()
	for _, p := range c.problems {
		s := p.String()
		if strings.Contains(s, "fs_sblockloc != SBLOCK_UFS2") || strings.Contains(s, "di_dirdepth") {
			continue // NetBSD's location, and a field FreeBSD added later
		}
		t.Errorf("check: %s", s)
	}
}
