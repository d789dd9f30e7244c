package fat

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const mib = 1 << 20

// requireTool finds an external validator. scripts/test installs them; in
// CI a missing one is a failure, elsewhere the test is skipped with a note.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/sbin"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return filepath.Join(dir, name)
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed; scripts/test installs it", name)
	}
	t.Skipf("%s is not installed (scripts/test installs it); skipping this external check", name)
	return ""
}

// loaderBytes stands in for FreeBSD's loader.efi: deterministic bytes of
// a size like the real one's, spanning many clusters.
func loaderBytes(n int) []byte {
	out := make([]byte, 0, n+32)
	for i := 0; len(out) < n; i++ {
		sum := sha256.Sum256([]byte(fmt.Sprint("loader", i)))
		out = append(out, sum[:]...)
	}
	return out[:n]
}

func espFiles(t *testing.T) []File {
	dir := t.TempDir()
	src := filepath.Join(dir, "loader.efi")
	if err := os.WriteFile(src, loaderBytes(655360+123), 0o644); err != nil {
		t.Fatal(err)
	}
	return []File{
		{Path: "EFI/BOOT/BOOTX64.EFI", Source: src},
		{Path: "EFI/FreeBSD/loader.env", Data: []byte("rootdev=disk0p4\n")},
		{Path: "EFI/FreeBSD/a very long file name that needs several entries.txt", Data: []byte("long\n")},
		{Path: "EFI/FreeBSD/empty", Data: nil},
		{Path: "EFI/FreeBSD/Ünïcödé name.conf", Data: []byte("unicode\n")},
		{Path: "EFI/FreeBSD/readme.txt", Data: []byte("lower case 8.3\n")},
		{Path: "EFI/FreeBSD/longname1.txt", Data: []byte("1")},
		{Path: "EFI/FreeBSD/longname2.txt", Data: []byte("2")},
		{Path: "startup.nsh", Data: []byte("fs0:\\EFI\\BOOT\\BOOTX64.EFI\n")},
		{Path: "EFI/FreeBSD/exactly13.txt", Data: []byte("no terminator fits")},
	}
}

// buildImage writes a volume of size bytes into a new sparse file.
func buildImage(t *testing.T, files []File, size int64) (string, *Result) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "esp.img")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	res, err := Build(f, files, Options{Size: size, Timestamp: 1700000000})
	if err != nil {
		t.Fatalf("Build(%d): %v", size, err)
	}
	return path, res
}

// TestFsckAtEdgeSizes builds ESPs at the sizes where FAT32 writers go
// wrong (the smallest FAT32, 64 MiB exactly, FreeBSD's 260 MiB default at
// the last one-sector-cluster size, and 512 MiB with 4 KiB clusters) and
// has dosfstools and mtools check them.
func TestFsckAtEdgeSizes(t *testing.T) {
	fsck := requireTool(t, "fsck.fat")
	mdir := requireTool(t, "mdir")
	mcopy := requireTool(t, "mcopy")
	files := espFiles(t)
	for _, size := range []int64{MinSize, 33 * mib, 64 * mib, 64*mib + 512, 260 * mib, 260*mib + 512, 512 * mib} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			img, res := buildImage(t, files, size)
			if res.Clusters < minClusters {
				t.Fatalf("%d clusters: not a FAT32", res.Clusters)
			}
			checkFsck(t, fsck, img)
			listing, err := exec.Command(mdir, "-i", img, "::/EFI/BOOT").CombinedOutput()
			if err != nil || !strings.Contains(string(listing), "BOOTX64  EFI") {
				t.Fatalf("mdir ::/EFI/BOOT: %v\n%s", err, listing)
			}
			got, err := exec.Command(mcopy, "-n", "-i", img, "::/EFI/BOOT/BOOTX64.EFI", "-").Output()
			if err != nil || !bytes.Equal(got, loaderBytes(655360+123)) {
				t.Fatalf("mcopy BOOTX64.EFI: %v (%d bytes)", err, len(got))
			}
			long, err := exec.Command(mcopy, "-n", "-i", img, "::/EFI/FreeBSD/a very long file name that needs several entries.txt", "-").Output()
			if err != nil || string(long) != "long\n" {
				t.Fatalf("mcopy of a long name: %v %q", err, long)
			}
			exact, err := exec.Command(mcopy, "-n", "-i", img, "::/EFI/FreeBSD/exactly13.txt", "-").Output()
			if err != nil || string(exact) != "no terminator fits" {
				t.Fatalf("mcopy of a 13-character name: %v %q", err, exact)
			}
			uni, err := exec.Command(mcopy, "-n", "-i", img, "::/EFI/FreeBSD/Ünïcödé name.conf", "-").Output()
			if err != nil || string(uni) != "unicode\n" {
				t.Fatalf("mcopy of a Unicode name: %v %q", err, uni)
			}
		})
	}
}

// checkFsck runs `fsck.fat -n` and wants the two lines of a clean check:
// the version, then "N files, USED/TOTAL clusters". Any warning or repair
// it would make is printed between them.
func checkFsck(t *testing.T, fsck, img string) {
	t.Helper()
	out, err := exec.Command(fsck, "-n", img).CombinedOutput()
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if err != nil || len(lines) != 2 || !strings.Contains(lines[1], " files, ") {
		t.Fatalf("fsck.fat -n is not clean (%v):\n%s", err, out)
	}
}

func TestRefusesSizesThatCannotBeFAT32(t *testing.T) {
	for _, tc := range []struct {
		size int64
		want string
	}{
		{MinSize - SectorSize, "too small"},
		{1 * mib, "too small"},
		{32 * mib, "too small"},
		{MaxSize + SectorSize, "too large"},
		{4 << 40, "too large"},
		{33*mib + 1, "not a multiple"},
	} {
		_, err := Build(nil, nil, Options{Size: tc.size})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("size %d: got %v, want an error saying %q", tc.size, err, tc.want)
		}
	}
}

func TestClusterSizeTable(t *testing.T) {
	for _, tc := range []struct {
		size        int64
		clusterSize int64
	}{
		{33 * mib, 512}, {260 * mib, 512}, {260*mib + 512, 4096}, {8 << 30, 4096},
		{8<<30 + 512, 8192}, {16 << 30, 8192}, {32 << 30, 16384}, {32<<30 + 512, 32768}, {MaxSize, 32768},
	} {
		g, err := newGeometry(tc.size)
		if err != nil {
			t.Fatalf("%d: %v", tc.size, err)
		}
		if g.clusterSize() != tc.clusterSize {
			t.Errorf("%d: cluster size %d, want %d", tc.size, g.clusterSize(), tc.clusterSize)
		}
		if g.clusters < minClusters || int64(g.fatSectors)*SectorSize/4 < int64(g.clusters)+2 {
			t.Errorf("%d: %d clusters, FAT of %d sectors", tc.size, g.clusters, g.fatSectors)
		}
		if used := int64(g.dataStart()) + int64(g.clusters)*int64(g.sectorsPerCluster); used > int64(g.totalSectors) {
			t.Errorf("%d: clusters end at sector %d past %d", tc.size, used, g.totalSectors)
		}
	}
}

func TestRoundTripThroughReader(t *testing.T) {
	files := espFiles(t)
	img, res := buildImage(t, files, 64*mib)
	f, err := os.Open(img)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fs, err := Open(f, 64*mib)
	if err != nil {
		t.Fatal(err)
	}
	if fs.Serial() != res.Serial || fs.Label() != DefaultLabel {
		t.Errorf("serial %08x label %q, want %08x %q", fs.Serial(), fs.Label(), res.Serial, DefaultLabel)
	}
	for _, file := range files {
		want := file.Data
		if file.Source != "" {
			want, _ = os.ReadFile(file.Source)
		}
		got, err := fs.ReadFile(file.Path)
		if err != nil {
			t.Fatalf("%s: %v", file.Path, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: read %d bytes, want %d", file.Path, len(got), len(want))
		}
	}
	entries, err := fs.ReadDir("EFI/FreeBSD")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name+"="+e.ShortName)
		if e.ModTime.Unix() != 1700000000 {
			t.Errorf("%s: time %v", e.Name, e.ModTime)
		}
	}
	want := "a very long file name that needs several entries.txt=AVERYL~1.TXT empty=EMPTY exactly13.txt=EXACTL~1.TXT loader.env=LOADER.ENV longname1.txt=LONGNA~1.TXT longname2.txt=LONGNA~2.TXT readme.txt=README.TXT Ünïcödé name.conf=_N_C_D~1.CON"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("EFI/FreeBSD lists\n %s\nwant\n %s", got, want)
	}
	if _, err := fs.ReadFile("EFI/nothing"); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
}

func TestReproducibleAndSerialFollowsContent(t *testing.T) {
	files := espFiles(t)
	a, ra := buildImage(t, files, 33*mib)
	b, rb := buildImage(t, files, 33*mib)
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	if !bytes.Equal(da, db) || ra.Serial != rb.Serial {
		t.Fatal("two builds of the same files differ")
	}
	// The same files given in another order give the same volume.
	rev := append([]File(nil), files...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	c, _ := buildImage(t, rev, 33*mib)
	dc, _ := os.ReadFile(c)
	if !bytes.Equal(da, dc) {
		t.Fatal("the order of the file list changes the volume")
	}
	changed := append([]File(nil), files...)
	changed[1].Data = []byte("rootdev=disk0p3\n")
	_, rc := buildImage(t, changed, 33*mib)
	if rc.Serial == ra.Serial {
		t.Error("changing a file's content kept the serial number")
	}
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		files []File
		label string
		want  string
	}{
		{[]File{{Path: "a/b", Data: []byte("x")}, {Path: "a/B", Data: []byte("y")}}, "", "already a file"},
		{[]File{{Path: "a", Data: []byte("x")}, {Path: "a/b", Data: []byte("y")}}, "", "already a file"},
		{[]File{{Path: "efi/x", Data: nil}, {Path: "EFI/y", Data: nil}}, "", "FAT names ignore case"},
		{[]File{{Path: "what?.txt"}}, "", `contains '?'`},
		{[]File{{Path: "trailing."}}, "", "ends with a dot"},
		{[]File{{Path: strings.Repeat("n", 256)}}, "", "at most 255"},
		{[]File{{Path: "x", Source: "/nonexistent/loader.efi"}}, "", "no such file"},
		{[]File{{Path: "big", Data: make([]byte, 40*mib)}}, "", "do not fit"},
		{nil, "a label too long", "longer than 11"},
		{nil, "bad*label", "contains '*'"},
	} {
		_, err := Build(discard{}, tc.files, Options{Size: 33 * mib, Label: tc.label})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want an error containing %q", tc.files, err, tc.want)
		}
	}
}

// discard is an io.WriterAt that drops what it is given.
type discard struct{}

func (discard) WriteAt(p []byte, off int64) (int, error) { return len(p), nil }

func TestManyFilesInOneDirectory(t *testing.T) {
	fsck := requireTool(t, "fsck.fat")
	var files []File
	for i := 0; i < 3000; i++ {
		files = append(files, File{Path: fmt.Sprintf("dir/file number %04d.data", i), Data: []byte(fmt.Sprint(i))})
	}
	img, _ := buildImage(t, files, 64*mib)
	checkFsck(t, fsck, img)
	f, _ := os.Open(img)
	defer f.Close()
	fs, err := Open(f, 64*mib)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := fs.ReadDir("dir")
	if err != nil || len(entries) != 3000 {
		t.Fatalf("ReadDir: %d entries, %v", len(entries), err)
	}
	got, err := fs.ReadFile("dir/file number 2999.data")
	if err != nil || string(got) != "2999" {
		t.Fatalf("ReadFile: %q %v", got, err)
	}
}

// TestFsckAcrossSizes has dosfstools check volumes at each step of the
// cluster-size table and at sizes drawn from a fixed seed, so that no size
// in between is trusted on the strength of its neighbours.
func TestFsckAcrossSizes(t *testing.T) {
	fsck := requireTool(t, "fsck.fat")
	files := []File{{Path: "EFI/BOOT/BOOTX64.EFI", Data: loaderBytes(100000)}, {Path: "dir/long file name.txt", Data: []byte("x")}}
	sizes := []int64{8 << 30, 8<<30 + 512, 16<<30 + 512, 32<<30 + 512}
	seed := uint64(1)
	for len(sizes) < 16 {
		seed = seed*6364136223846793005 + 1442695040888963407
		sizes = append(sizes, MinSize+int64(seed>>34)%(1<<30)/SectorSize*SectorSize)
	}
	for _, size := range sizes {
		img, res := buildImage(t, files, size)
		checkFsck(t, fsck, img)
		if res.Clusters < minClusters {
			t.Errorf("%d: %d clusters", size, res.Clusters)
		}
		os.Remove(img)
	}
}
