package image

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fruix.dev/fruix/freebsd/fat"
	"fruix.dev/fruix/freebsd/gpt"
	"fruix.dev/fruix/freebsd/ufs"
)

func requireTool(t *testing.T, name string) string {
	t.Helper()
	for _, p := range []string{name, "/usr/sbin/" + name, "/sbin/" + name} {
		if full, err := exec.LookPath(p); err == nil {
			return full
		}
	}
	if os.Getenv("CI") != "" && name != "qemu-img" {
		t.Fatalf("%s is not installed; scripts/test installs it", name)
	}
	t.Skipf("%s is not installed (scripts/test installs it); skipping this external check", name)
	return ""
}

// fixture is a small root tree plus files standing in for FreeBSD's boot
// code. There is no FreeBSD here: these are bytes of the right sizes, not
// programs, and the tests check placement, not booting.
type fixture struct {
	root, loader, pmbr, gptboot string
}

func pseudoRandom(seed string, n int) []byte {
	out := make([]byte, 0, n+32)
	for i := 0; len(out) < n; i++ {
		s := sha256.Sum256([]byte(fmt.Sprint(seed, i)))
		out = append(out, s[:]...)
	}
	return out[:n]
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	dir := t.TempDir()
	fx := fixture{
		root:    filepath.Join(dir, "root"),
		loader:  filepath.Join(dir, "loader.efi"),
		pmbr:    filepath.Join(dir, "pmbr"),
		gptboot: filepath.Join(dir, "gptboot"),
	}
	write := func(path string, data []byte) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pmbr := pseudoRandom("pmbr", 512)
	pmbr[510], pmbr[511] = 0x55, 0xAA
	write(fx.pmbr, pmbr)
	write(fx.gptboot, pseudoRandom("gptboot", 130000))
	write(fx.loader, pseudoRandom("loader", 700000))
	for _, f := range rootFiles() {
		write(filepath.Join(fx.root, f.path), f.data)
	}
	if err := os.Symlink("../bin/sh", filepath.Join(fx.root, "etc/shell")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(fx.root, "tmp"), 0o1777); err != nil {
		t.Fatal(err)
	}
	return fx
}

type rootFile struct {
	path string
	data []byte
}

func rootFiles() []rootFile {
	files := []rootFile{
		{"etc/rc.conf", []byte("hostname=\"fruix\"\n")},
		{"boot/kernel/kernel", pseudoRandom("kernel", 3<<20)},
		{"bin/sh", pseudoRandom("sh", 150000)},
		{"usr/share/doc/README", []byte("Fruix\n")},
	}
	for i := 0; i < 200; i++ {
		files = append(files, rootFile{fmt.Sprintf("usr/share/many/f%03d", i), []byte(fmt.Sprint(i))})
	}
	return files
}

func (fx fixture) spec() Spec {
	return Spec{Root: fx.root, EFILoader: fx.loader, PMBR: fx.pmbr, GPTBoot: fx.gptboot, Timestamp: 1700000000}
}

func build(t *testing.T, spec Spec, name string) (string, *Result) {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	res, err := Build(out, spec)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return out, res
}

// fileHash digests a file's size and non-zero blocks, reading only the
// data regions of sparse files: two files with the same digest are equal.
func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	h := sha256.New()
	fmt.Fprintf(h, "%d\n", st.Size())
	err = eachBlock(f, 0, 0, st.Size(), 64<<10, func(at int64, block []byte) error {
		fmt.Fprintf(h, "%d\n", at)
		h.Write(block)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var s [32]byte
	copy(s[:], h.Sum(nil))
	return s
}

// TestDiskPassesExternalValidators builds a 20 GiB image with swap and
// checks it with sgdisk, fsck.fat and mtools, reads it back with Fruix's
// own readers, and checks that it is sparse.
func TestDiskPassesExternalValidators(t *testing.T) {
	sgdisk := requireTool(t, "sgdisk")
	mdir := requireTool(t, "mdir")
	fsck := requireTool(t, "fsck.fat")
	fx := newFixture(t)
	spec := fx.spec()
	spec.Size = 20 << 30
	spec.Swap = 1 << 30
	img, res := build(t, spec, "disk.img")

	out, err := exec.Command(sgdisk, "-v", img).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "No problems found") {
		t.Fatalf("sgdisk -v: %v\n%s", err, out)
	}
	st, _ := os.Stat(img)
	if st.Size() != 20<<30 {
		t.Errorf("image is %d bytes, want 20 GiB", st.Size())
	}
	// 20 GiB holding ~4 MiB of files: the disk use is that plus metadata.
	if res.DiskBlocks < 0 || res.DiskBlocks > 64<<20 {
		t.Errorf("a 20 GiB image of 4 MiB of files takes %d bytes on disk; not sparse", res.DiskBlocks)
	}

	d, err := Open(img)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var got []string
	for _, p := range d.Table.Partitions {
		got = append(got, fmt.Sprintf("%d:%s:%s:%d", p.Index, p.Type, p.Label, p.FirstLBA))
	}
	want := "1:freebsd-boot:gptboot:40 2:efi:efiesp:2048 3:freebsd-swap:swapfs:534528 4:freebsd-ufs:rootfs:2631680"
	if strings.Join(got, " ") != want {
		t.Errorf("partitions\n %s\nwant\n %s", strings.Join(got, " "), want)
	}
	for i, p := range d.Table.Partitions {
		if p.FirstLBA != 40 && p.FirstLBA%2048 != 0 {
			t.Errorf("partition %d starts at sector %d, not on a 1 MiB boundary", i+1, p.FirstLBA)
		}
	}

	// The pmbr and gptboot stand-ins are where FreeBSD's would be.
	raw, _ := os.ReadFile(fx.pmbr)
	mbr := make([]byte, 512)
	d.r.ReadAt(mbr, 0)
	if !bytes.Equal(mbr[:446], raw[:446]) || mbr[446+4] != 0xEE {
		t.Error("the MBR does not hold pmbr's code and the protective record")
	}
	boot, _ := d.Partition("gptboot")
	gb, _ := os.ReadFile(fx.gptboot)
	inPart := make([]byte, len(gb))
	d.Section(boot).ReadAt(inPart, 0)
	if !bytes.Equal(inPart, gb) || boot.Size() != 512<<10 {
		t.Error("gptboot is not at the start of a 512 KiB freebsd-boot partition")
	}

	// The ESP, seen by mtools inside the disk and by fsck.fat alone.
	esp, _ := d.Partition("efiesp")
	listing, err := exec.Command(mdir, "-i", fmt.Sprintf("%s@@%d", img, esp.Offset()), "::/EFI/BOOT").CombinedOutput()
	if err != nil || !strings.Contains(string(listing), "BOOTX64  EFI") {
		t.Fatalf("mdir ::/EFI/BOOT at the ESP's offset: %v\n%s", err, listing)
	}
	espImg := filepath.Join(t.TempDir(), "esp.img")
	copySparse(t, d.Section(esp), esp.Size(), espImg)
	fout, err := exec.Command(fsck, "-n", espImg).CombinedOutput()
	if lines := strings.Split(strings.TrimSpace(string(fout)), "\n"); err != nil || len(lines) != 2 {
		t.Fatalf("fsck.fat -n on the ESP: %v\n%s", err, fout)
	}
	fs, err := fat.Open(d.Section(esp), esp.Size())
	if err != nil {
		t.Fatal(err)
	}
	loader, err := fs.ReadFile("EFI/BOOT/BOOTX64.EFI")
	if want, _ := os.ReadFile(fx.loader); err != nil || !bytes.Equal(loader, want) {
		t.Errorf("BOOTX64.EFI read back: %v", err)
	}

	// The root file system, through Fruix's UFS reader.
	root, _ := d.Partition("")
	u, err := ufs.Open(d.Section(root), root.Size())
	if err != nil {
		t.Fatal(err)
	}
	if u.Label() != "rootfs" {
		t.Errorf("UFS label %q", u.Label())
	}
	kernel, err := u.ReadFile("/boot/kernel/kernel")
	if err != nil || !bytes.Equal(kernel, pseudoRandom("kernel", 3<<20)) {
		t.Errorf("/boot/kernel/kernel read back: %v", err)
	}
	if problems := ufs.Check(d.Section(root), root.Size()); len(problems) > 0 {
		t.Errorf("ufs.Check: %v", problems)
	}
}

// copySparse copies n bytes of r into a new file, leaving zeros as holes.
func copySparse(t *testing.T, r io.ReaderAt, n int64, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := newSparseFile(f)
	buf := make([]byte, 1<<20)
	for off := int64(0); off < n; off += int64(len(buf)) {
		b := buf[:min(int64(len(buf)), n-off)]
		if _, err := r.ReadAt(b, off); err != nil && err != io.EOF {
			t.Fatal(err)
		}
		if _, err := w.WriteAt(b, off); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Truncate(n); err != nil {
		t.Fatal(err)
	}
}

func TestReproducible(t *testing.T) {
	fx := newFixture(t)
	a, ra := build(t, fx.spec(), "a.img")
	b, _ := build(t, fx.spec(), "b.img")
	if fileHash(t, a) != fileHash(t, b) {
		t.Fatal("two builds of the same tree differ")
	}
	// The same content in a tree whose directories and files were
	// created in the reverse order (so directory order on disk differs).
	fx2 := fx
	fx2.root = filepath.Join(t.TempDir(), "root")
	files := rootFiles()
	for i := len(files) - 1; i >= 0; i-- {
		p := filepath.Join(fx2.root, files[i].path)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, files[i].data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(fx2.root, "tmp"), 0o1777)
	os.Symlink("../bin/sh", filepath.Join(fx2.root, "etc/shell"))
	c, _ := build(t, fx2.spec(), "c.img")
	if fileHash(t, a) != fileHash(t, c) {
		t.Fatal("a copy of the tree made in another order gives another image")
	}
	// A changed file changes every GUID; no two GUIDs are alike.
	os.WriteFile(filepath.Join(fx2.root, "etc/rc.conf"), []byte("hostname=\"other\"\n"), 0o644)
	_, rd := build(t, fx2.spec(), "d.img")
	seen := map[gpt.GUID]bool{}
	for _, tab := range []*gpt.Table{ra.Table, rd.Table} {
		seen[tab.DiskGUID] = true
		for _, p := range tab.Partitions {
			seen[p.GUID] = true
		}
	}
	if want := 2 * (1 + len(ra.Table.Partitions)); len(seen) != want {
		t.Errorf("%d distinct GUIDs in two images of %d partitions; want %d", len(seen), len(ra.Table.Partitions), want)
	}
}

func TestSmallestImageWhenNoSize(t *testing.T) {
	fx := newFixture(t)
	spec := fx.spec()
	spec.EFILoader, spec.PMBR, spec.GPTBoot = "", "", ""
	img, res := build(t, spec, "min.img")
	if len(res.Table.Partitions) != 1 || res.ESP != nil {
		t.Fatalf("without boot code or loader the image should hold the root alone: %+v", res.Table.Partitions)
	}
	root := res.Table.Partitions[0]
	if root.FirstLBA != 2048 || res.Size != int64(root.LastLBA+1)*512+1<<20 && res.Size-int64(root.LastLBA+1)*512 > 2<<20 {
		t.Errorf("root at %d..%d on a disk of %d", root.FirstLBA, root.LastLBA, res.Size)
	}
	if sgdisk := requireTool(t, "sgdisk"); sgdisk != "" {
		if out, err := exec.Command(sgdisk, "-v", img).CombinedOutput(); err != nil || !strings.Contains(string(out), "No problems found") {
			t.Fatalf("sgdisk -v: %v\n%s", err, out)
		}
	}
}

func TestQcow2(t *testing.T) {
	fx := newFixture(t)
	spec := fx.spec()
	spec.Size = 1 << 30
	raw, _ := build(t, spec, "disk.img")
	spec.Format = Qcow2
	q, _ := build(t, spec, "disk.qcow2")
	q2, _ := build(t, spec, "again.qcow2")
	if fileHash(t, q) != fileHash(t, q2) {
		t.Error("two qcow2 builds differ")
	}
	// Fruix's qcow2 reader gives back the raw disk.
	d, err := Open(q)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.Format != Qcow2 || d.Size != 1<<30 {
		t.Fatalf("opened as %s of %d bytes", d.Format, d.Size)
	}
	rf, _ := os.Open(raw)
	defer rf.Close()
	var blocks int
	err = eachBlock(rf, 0, 0, d.Size, 64<<10, func(at int64, block []byte) error {
		got := make([]byte, len(block))
		if _, err := d.r.ReadAt(got, at); err != nil {
			return err
		}
		if !bytes.Equal(got, block) {
			return fmt.Errorf("qcow2 differs from raw at %d", at)
		}
		blocks++
		return nil
	})
	if err != nil || blocks == 0 {
		t.Fatalf("%v (%d blocks compared)", err, blocks)
	}
	// A zero region of the raw disk reads as zeros.
	z := make([]byte, 4096)
	d.r.ReadAt(z, 900<<20)
	if !isZero(z) {
		t.Error("an empty region reads as non-zero")
	}

	qemu := requireTool(t, "qemu-img")
	out, err := exec.Command(qemu, "check", q).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "No errors were found") {
		t.Fatalf("qemu-img check: %v\n%s", err, out)
	}
	back := filepath.Join(t.TempDir(), "back.raw")
	if out, err := exec.Command(qemu, "convert", "-f", "qcow2", "-O", "raw", q, back).CombinedOutput(); err != nil {
		t.Fatalf("qemu-img convert: %v\n%s", err, out)
	}
	if fileHash(t, back) != fileHash(t, raw) {
		t.Error("qemu-img's reading of the qcow2 differs from the raw image")
	}
	// Fruix's reader on a qcow2 that QEMU wrote.
	theirs := filepath.Join(t.TempDir(), "theirs.qcow2")
	if out, err := exec.Command(qemu, "convert", "-f", "raw", "-O", "qcow2", raw, theirs).CombinedOutput(); err != nil {
		t.Fatalf("qemu-img convert: %v\n%s", err, out)
	}
	d2, err := Open(theirs)
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Close()
	err = eachBlock(rf, 0, 0, d.Size, 64<<10, func(at int64, block []byte) error {
		got := make([]byte, len(block))
		if _, err := d2.r.ReadAt(got, at); err != nil {
			return err
		}
		if !bytes.Equal(got, block) {
			return fmt.Errorf("QEMU's qcow2 reads differently from the raw image at %d", at)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestBadInput(t *testing.T) {
	fx := newFixture(t)
	for _, tc := range []struct {
		edit func(*Spec)
		want string
	}{
		{func(s *Spec) { s.Size = 10 << 20 }, "--size 10M is too small: the partitions before the root"},
		{func(s *Spec) { s.Size = 263 << 20 }, "--size 263M is too small: the root file system needs"},
		{func(s *Spec) { s.EFILoader = "/nonexistent/loader.efi" }, "EFI loader /nonexistent/loader.efi: no such file or directory"},
		{func(s *Spec) { s.GPTBoot = "" }, "needs both pmbr and gptboot"},
		{func(s *Spec) { s.GPTBoot = s.EFILoader }, "the freebsd-boot partition holds 524288"},
		{func(s *Spec) { s.Root = "/nonexistent" }, "root tree /nonexistent: no such file"},
		{func(s *Spec) { s.Format = "vmdk" }, `unknown format "vmdk"`},
		{func(s *Spec) { s.ESPSize = 20 << 20 }, "too small"},
		{func(s *Spec) { s.Label = strings.Repeat("l", 40) }, "label"},
		{func(s *Spec) { s.Format = "as-a-directory" }, "is a directory"},
	} {
		spec := fx.spec()
		tc.edit(&spec)
		out := filepath.Join(t.TempDir(), "bad.img")
		if spec.Format == "as-a-directory" {
			spec.Format = Raw
			os.Mkdir(out, 0o755)
		}
		_, err := Build(out, spec)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want an error containing %q", err, tc.want)
		}
		if st, serr := os.Stat(out); serr == nil && !st.IsDir() {
			t.Errorf("a failed build left %s behind", out)
		}
		if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*")); len(left) > 0 {
			t.Errorf("a failed build left temporary files: %v", left)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"20G": 20 << 30, "512M": 512 << 20, "1.5G": 3 << 29, "33MiB": 33 << 20, "4096": 4096, "1t": 1 << 40, "64K": 64 << 10, "2GB": 2 << 30,
	} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "G", "-1M", "1e9", "twenty", "0x10", "1.5.G"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
}

func TestSummary(t *testing.T) {
	tab := &gpt.Table{Sectors: 2 << 30 / 512, Partitions: []gpt.Partition{
		{Type: "freebsd-boot", Label: "gptboot", FirstLBA: 40, LastLBA: 1063, Index: 1},
		{Type: "efi", Label: "efiesp", FirstLBA: 2048, LastLBA: 534527, Index: 2},
		{Type: "freebsd-ufs", Label: "rootfs", FirstLBA: 534528, LastLBA: 4192255, Index: 3},
	}}
	got := Summary(tab, "disk.img")
	want := `  =>       34  4194237     disk.img  GPT  (2G)
           34        6     - free -  (3K)
           40     1024  1  freebsd-boot  gptboot  (512K)
         1064      984     - free -  (492K)
         2048   532480  2  efi  efiesp  (260M)
       534528  3657728  3  freebsd-ufs  rootfs  (1.7G)
      4192256     2015     - free -  (1007.5K)
`
	if got != want {
		t.Errorf("Summary:\n%s\nwant:\n%s", got, want)
	}
}

func TestCancelledBuildLeavesNothing(t *testing.T) {
	fx := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	for _, format := range []Format{Raw, Qcow2} {
		spec := fx.spec()
		spec.Format = format
		_, err := BuildContext(ctx, filepath.Join(dir, "x.img"), spec)
		if err == nil || !strings.Contains(err.Error(), "build stopped") {
			t.Errorf("%s: got %v, want the build to stop", format, err)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("a stopped build left %v", left)
	}
}
