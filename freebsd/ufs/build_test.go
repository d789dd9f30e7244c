package ufs

import (
	"bytes"
	"crypto/sha256"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fruix.dev/fruix/freebsd/mtree"
)

// mixedTree is a small tree with one of everything.
func mixedTree(t testing.TB) string {
	dir := t.TempDir()
	big := strings.Repeat("0123456789abcdef", 40000) // 640000 bytes: indirect blocks
	writeTree(t, dir, map[string]string{
		"bin/sh":                 "#!/bin/sh\necho hi\n",
		"etc/empty":              "",
		"etc/rc.conf":            "hostname=fruix\n",
		"usr/share/big":          big,
		"usr/share/tail":         strings.Repeat("x", 32768+5000), // a block and a tail
		"empty/":                 "",
		"lib/short":              "->libc.so.7",
		"lib/long":               "->" + strings.Repeat("../", 40) + "target",
		"lib/libc.so.7":          "ELF",
		"deep/a/b/c/d/e/f/g/h/i": "deep",
	})
	must(t, os.Link(filepath.Join(dir, "bin/sh"), filepath.Join(dir, "bin/hardsh")))
	return dir
}

func TestRoundTrip(t *testing.T) {
	root := mixedTree(t)
	f, res := build(t, root, nil, Options{Label: "rootfs"})
	fsys := checkClean(t, f)
	n := compareTree(t, fsys, root)
	if n < 20 {
		t.Fatalf("compared only %d entries", n)
	}
	if fsys.Label() != "rootfs" {
		t.Errorf("label %q", fsys.Label())
	}
	a, _ := fsys.Stat("/bin/sh")
	b, _ := fsys.Stat("/bin/hardsh")
	if a.Ino != b.Ino || a.Nlink != 2 {
		t.Errorf("hard link: inodes %d and %d, nlink %d", a.Ino, b.Ino, a.Nlink)
	}
	if !a.Mtime.Equal(testTime) || !a.Ctime.Equal(testTime) || !a.Btime.Equal(testTime) {
		t.Errorf("times %v %v %v, want %v", a.Mtime, a.Ctime, a.Btime, testTime)
	}
	if res.Files != 7 || res.Symlinks != 2 {
		t.Errorf("result %+v", res)
	}
	// The streaming reader gives the same bytes.
	r, err := fsys.Open("/usr/share/big")
	must(t, err)
	got, err := io.ReadAll(r)
	must(t, err)
	want, _ := os.ReadFile(filepath.Join(root, "usr/share/big"))
	if !bytes.Equal(got, want) {
		t.Error("Open: contents differ")
	}
	long, _ := fsys.Stat("/lib/long")
	short, _ := fsys.Stat("/lib/short")
	if long.Blocks == 0 || short.Blocks != 0 {
		t.Errorf("long link holds %d blocks, short one %d", long.Blocks, short.Blocks)
	}
}

// TestGeometries writes the same tree with every block size FreeBSD
// allows, with and without check hashes and soft updates, and sizes that
// give many cylinder groups.
func TestGeometries(t *testing.T) {
	root := mixedTree(t)
	for _, c := range []struct {
		bsize, fsize int
		size         int64
		hashes, su   bool
	}{
		{4096, 512, 0, false, false},
		{8192, 1024, 64 << 20, true, false},
		{16384, 2048, 0, true, true},
		{32768, 4096, 0, true, true},
		{32768, 4096, 3 << 30, false, true}, // several cylinder groups
		{32768, 32768, 0, false, false},     // one fragment per block
		{65536, 8192, 256 << 20, true, false},
	} {
		name := strings.Join([]string{itoa(c.bsize), itoa(c.fsize), itoa(int(c.size >> 20))}, "-")
		t.Run(name, func(t *testing.T) {
			f, res := build(t, root, nil, Options{BlockSize: c.bsize, FragSize: c.fsize, Size: c.size, MetaCheckHashes: c.hashes, SoftUpdates: c.su})
			fsys := checkClean(t, f)
			compareTree(t, fsys, root)
			if c.size == 3<<30 && res.CylGroups < 4 {
				t.Errorf("%d cylinder groups for 3 GiB", res.CylGroups)
			}
			if c.hashes != (fsys.sb.Metackhash == ckSuperblock|ckCylGrp|ckInode) {
				t.Errorf("fs_metackhash %#x", fsys.sb.Metackhash)
			}
			if c.su != (fsys.sb.Flags&fsDoSoftDep != 0) {
				t.Errorf("fs_flags %#x", fsys.sb.Flags)
			}
		})
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

func TestSpecOwnersModesFlags(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"bin/su":          "su",
		"sbin/init":       "init",
		"etc/passwd":      "root:*:0:0::0:0:Charlie &:/root:/bin/sh\noperator:*:2:5::0:0:System &:/:/usr/sbin/nologin\n",
		"etc/group":       "wheel:*:0:root\noperator:*:5:root\ntty:*:4:\n",
		"usr/bin/wall":    "wall",
		"usr/bin/ignored": "only in the tree",
	})
	spec := parseSpec(t, `#mtree 2.0
./bin type=dir uname=root gname=wheel mode=0755
./bin/su type=file uname=root gname=wheel mode=04555 flags=schg size=2
./sbin/init type=file uname=root gname=wheel mode=0555 flags=schg,nodump time=1600000000.5
./usr/bin/wall type=file uname=root gname=tty mode=02555
./usr/bin/write type=hlink link=/usr/bin/wall uname=root gname=tty mode=02555
./tmp type=dir uname=root gname=wheel mode=01777
./var/run type=dir uid=0 gid=0 mode=0755
./dev/null type=char mode=0666 uname=root gname=operator
./etc/motd type=file mode=0644 uname=root gname=wheel contents=usr/bin/wall
./usr/lib/libfoo.so type=link link=libfoo.so.1 uname=root gname=wheel mode=0755
`)
	f, _ := build(t, root, spec, Options{})
	fsys := checkClean(t, f)
	su, err := fsys.Stat("/bin/su")
	must(t, err)
	if su.Mode != fs.ModeSetuid|0555 || su.Flags != mtree.SF_IMMUTABLE || su.Uid != 0 {
		t.Errorf("/bin/su: mode %v flags %#x uid %d", su.Mode, su.Flags, su.Uid)
	}
	init, _ := fsys.Stat("/sbin/init")
	if init.Flags != mtree.SF_IMMUTABLE|mtree.UF_NODUMP || !init.Mtime.Equal(time.Unix(1600000000, 5)) {
		t.Errorf("/sbin/init: flags %#x mtime %v", init.Flags, init.Mtime)
	}
	wall, _ := fsys.Stat("/usr/bin/wall")
	write, err := fsys.Stat("/usr/bin/write")
	must(t, err)
	if wall.Ino != write.Ino || wall.Nlink != 2 || wall.Gid != 4 || wall.Mode != fs.ModeSetgid|0555 {
		t.Errorf("wall %+v write %+v", wall, write)
	}
	tmp, _ := fsys.Stat("/tmp")
	if tmp.Mode != fs.ModeDir|fs.ModeSticky|0777 {
		t.Errorf("/tmp mode %v", tmp.Mode)
	}
	null, err := fsys.Stat("/dev/null")
	must(t, err)
	if null.Mode.Type() != fs.ModeDevice|fs.ModeCharDevice || null.Gid != 5 {
		t.Errorf("/dev/null %+v", null)
	}
	motd, err := fsys.ReadFile("/etc/motd")
	if err != nil || string(motd) != "wall" {
		t.Errorf("/etc/motd %q %v", motd, err)
	}
	if l, err := fsys.Readlink("/usr/lib/libfoo.so"); l != "libfoo.so.1" {
		t.Errorf("link %q %v", l, err)
	}
	if _, err := fsys.Stat("/usr/bin/ignored"); err != nil {
		t.Errorf("entries only in the tree are kept by default: %v", err)
	}
	// SpecOnly drops them.
	f2, _ := build(t, root, spec, Options{SpecOnly: true})
	fsys2 := checkClean(t, f2)
	if _, err := fsys2.Stat("/usr/bin/ignored"); err == nil {
		t.Error("SpecOnly kept an entry the spec does not list")
	}
}

func TestReproducible(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < 300; i++ {
		files["d"+itoa(i%7)+"/f"+itoa(i)] = strings.Repeat(itoa(i), i*37)
	}
	files["x/y/z/"] = ""
	files["l"] = "->d1/f1"
	a, b := t.TempDir(), t.TempDir()
	writeTree(t, a, files)
	// The second copy is created in the opposite order, with other
	// times and permissions on the host that Fruix must not look at.
	keys := make([]string, 0, len(files))
	for k := range files {
		keys = append(keys, k)
	}
	for i := len(keys) - 1; i >= 0; i-- {
		writeTree(t, b, map[string]string{keys[i]: files[keys[i]]})
	}
	must(t, os.Chtimes(filepath.Join(b, "d1/f1"), time.Unix(5, 0), time.Unix(5, 0)))
	opt := Options{Label: "r", MetaCheckHashes: true}
	f1, _ := build(t, a, nil, opt)
	f2, _ := build(t, a, nil, opt)
	f3, _ := build(t, b, nil, opt)
	h1, h2, h3 := digest(t, f1), digest(t, f2), digest(t, f3)
	if h1 != h2 {
		t.Error("two builds of the same tree differ")
	}
	if h1 != h3 {
		t.Error("builds of two copies of a tree created in different orders differ")
	}
	f4, _ := build(t, a, nil, Options{Label: "r", MetaCheckHashes: true, Timestamp: testTime.Add(time.Second)})
	if digest(t, f4) == h1 {
		t.Error("the timestamp does not reach the image")
	}
}

func digest(t testing.TB, f *os.File) [32]byte {
	t.Helper()
	_, err := f.Seek(0, io.SeekStart)
	must(t, err)
	h := sha256.New()
	_, err = io.Copy(h, f)
	must(t, err)
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

func TestSparseOutput(t *testing.T) {
	root := mixedTree(t)
	f, res := build(t, root, nil, Options{Size: 2 << 30})
	checkClean(t, f)
	if fileSize(t, f) != 2<<30 || res.Size != 2<<30 {
		t.Fatalf("size %d", fileSize(t, f))
	}
	if used := diskUsage(t, f); used > 64<<20 {
		t.Errorf("a 2 GiB file system holding 1 MiB takes %d bytes on disk", used)
	}
}

func TestProgress(t *testing.T) {
	root := mixedTree(t)
	var last, total int64
	calls := 0
	build(t, root, nil, Options{Progress: func(done, all int64) {
		if done < last {
			t.Errorf("progress went back from %d to %d", last, done)
		}
		last, total = done, all
		calls++
	}})
	if calls == 0 || last != total || total == 0 {
		t.Errorf("progress: %d calls, ended at %d of %d", calls, last, total)
	}
}

// Progress reaches the total even when files have holes.
func TestProgressSparse(t *testing.T) {
	root := t.TempDir()
	f, err := os.Create(filepath.Join(root, "sparse"))
	must(t, err)
	must(t, f.Truncate(1<<30))
	f.Close()
	var last, total int64
	build(t, root, nil, Options{Progress: func(done, all int64) { last, total = done, all }})
	if last != total || total != 1<<30 {
		t.Errorf("progress ended at %d of %d", last, total)
	}
}

// A spec's hard link may come before its target in the tree's order; the
// first name then owns the inode. Without etc/passwd, root and wheel
// still resolve.
func TestSpecHardLinkOrder(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{"z/target": "shared", "m/other": "x"})
	must(t, os.Link(filepath.Join(root, "m/other"), filepath.Join(root, "m/other2")))
	spec := parseSpec(t, `./a type=dir mode=0755 uname=root gname=wheel
./a/first type=hlink link=./z/target
./z/target type=file mode=0640 uname=root gname=wheel flags=uchg
./m/other2 type=file mode=0600 uid=7 gid=8
`)
	f, _ := build(t, root, spec, Options{})
	fsys := checkClean(t, f)
	a, err := fsys.Stat("/a/first")
	must(t, err)
	z, _ := fsys.Stat("/z/target")
	if a.Ino != z.Ino || a.Nlink != 2 || a.Mode != 0640 || a.Flags != mtree.UF_IMMUTABLE {
		t.Errorf("first %+v target %+v", a, z)
	}
	if b, _ := fsys.ReadFile("/a/first"); string(b) != "shared" {
		t.Errorf("contents %q", b)
	}
	o, _ := fsys.Stat("/m/other")
	if o.Mode != 0600 || o.Uid != 7 || o.Gid != 8 || o.Nlink != 2 {
		t.Errorf("the spec's line for the second name did not reach the shared inode: %+v", o)
	}
}
