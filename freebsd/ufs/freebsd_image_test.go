package ufs

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestFreeBSDWrittenImage reads and checks a UFS2 image made on FreeBSD
// itself: newfs with its defaults (soft updates, check hashes), then
// files written through the kernel. Such an image cannot be made here and
// is not part of the repository; the one this test was written against is
// resources/ufs-little.img.zst of github.com/realchonk/fuse-ufs (made by
// its scripts/mkimg.sh on FreeBSD in August 2024; decompress with
// unzstd). Point FRUIX_UFS_FREEBSD_IMAGE at it to run the test.
//
// It caught that FreeBSD's calculate_crc32c leaves out CRC-32C's final
// inversion: Fruix's check hashes now match FreeBSD's own.
func TestFreeBSDWrittenImage(t *testing.T) {
	path := os.Getenv("FRUIX_UFS_FREEBSD_IMAGE")
	if path == "" {
		t.Skip("set FRUIX_UFS_FREEBSD_IMAGE to a UFS2 image made on FreeBSD (see the comment)")
	}
	f, err := os.Open(path)
	must(t, err)
	defer f.Close()
	fsys := checkClean(t, f)
	if fsys.sb.Metackhash != ckSuperblock|ckCylGrp|ckInode {
		t.Logf("fs_metackhash %#x: the check hashes were not all exercised", fsys.sb.Metackhash)
	}
	// What scripts/mkimg.sh of fuse-ufs writes.
	want := map[string]string{
		"/file1":                "This is a simple file.\n",
		"/dir1/dir2/dir3/file2": "Hello World\n",
	}
	for p, s := range want {
		b, err := fsys.ReadFile(p)
		if err != nil || string(b) != s {
			t.Errorf("%s: %q %v", p, b, err)
		}
	}
	if l, err := fsys.Readlink("/link1"); l != "dir1/dir2/dir3/file2" {
		t.Errorf("link1: %q %v", l, err)
	}
	if l, err := fsys.Readlink("/long-link"); len(l) != 1023 || !strings.HasSuffix(l, "//file1") {
		t.Errorf("long-link: %d bytes %v", len(l), err)
	}
	// sparse3: 8 blocks of 'x' behind the triple indirect block.
	const off int64 = (12 + 4096 + 4096*4096) * 32768
	if got := readRange(t, fsys, "/sparse3", off, 4096); !bytes.Equal(got, bytes.Repeat([]byte("x"), 4096)) {
		t.Errorf("sparse3 at %d: %q...", off, got[:16])
	}
	if got := readRange(t, fsys, "/sparse3", 4096, 16); !bytes.Equal(got, make([]byte, 16)) {
		t.Error("sparse3: hole not zero")
	}
}
