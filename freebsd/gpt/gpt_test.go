package gpt

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func requireTool(t *testing.T, name string) string {
	t.Helper()
	for _, p := range []string{name, "/usr/sbin/" + name, "/sbin/" + name} {
		if full, err := exec.LookPath(p); err == nil {
			return full
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed; scripts/test installs it", name)
	}
	t.Skipf("%s is not installed (scripts/test installs it); skipping this external check", name)
	return ""
}

const mibSectors = 1 << 20 / SectorSize

// sampleTable is the layout of a Fruix image on a 2 GiB disk.
func sampleTable(sectors uint64) *Table {
	parts := []Partition{
		{Type: "freebsd-boot", Label: "gptboot", FirstLBA: 40, LastLBA: 40 + 1024 - 1},
		{Type: "efi", Label: "efiesp", FirstLBA: mibSectors, LastLBA: 34*mibSectors - 1},
		{Type: "freebsd-swap", Label: "swapfs", FirstLBA: 34 * mibSectors, LastLBA: 290*mibSectors - 1},
		{Type: "freebsd-ufs", Label: "rootfs", FirstLBA: 290 * mibSectors, LastLBA: LastUsableLBA(sectors)},
	}
	for i := range parts {
		parts[i].GUID = DeriveGUID([]byte("test partition"), []byte{byte(i)})
	}
	return &Table{DiskGUID: DeriveGUID([]byte("test disk")), Sectors: sectors, Partitions: parts}
}

func writeDisk(t *testing.T, tab *Table, boot []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "disk.img")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(int64(tab.Sectors) * SectorSize); err != nil {
		t.Fatal(err)
	}
	if err := Write(f, tab, boot); err != nil {
		t.Fatal(err)
	}
	return path
}

// pmbrStandIn stands in for FreeBSD's pmbr: 512 bytes of "code" with a
// boot signature, as the real file has.
func pmbrStandIn() []byte {
	b := bytes.Repeat([]byte{0x90}, 512)
	copy(b, "fruix test pmbr")
	b[510], b[511] = 0x55, 0xAA
	return b
}

func TestSgdiskVerifiesTable(t *testing.T) {
	sgdisk := requireTool(t, "sgdisk")
	tab := sampleTable(2 << 30 / SectorSize)
	img := writeDisk(t, tab, pmbrStandIn())
	out, err := exec.Command(sgdisk, "-v", img).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "No problems found") {
		t.Fatalf("sgdisk -v: %v\n%s", err, out)
	}
	out, err = exec.Command(sgdisk, "-p", img).CombinedOutput()
	if err != nil {
		t.Fatalf("sgdisk -p: %v\n%s", err, out)
	}
	for _, want := range []string{
		"Disk identifier (GUID): " + tab.DiskGUID.String(),
		"A501  gptboot", "EF00  efiesp", "A502  swapfs", "A503  rootfs",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("sgdisk -p lacks %q:\n%s", want, out)
		}
	}
	out, err = exec.Command(sgdisk, "-i", "4", img).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Partition unique GUID: "+tab.Partitions[3].GUID.String()) {
		t.Errorf("sgdisk -i 4: %v\n%s", err, out)
	}
}

func TestReadBackVerifiesEverything(t *testing.T) {
	tab := sampleTable(300 * mibSectors)
	boot := pmbrStandIn()
	img := writeDisk(t, tab, boot)
	f, err := os.Open(img)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	size := int64(tab.Sectors) * SectorSize
	data := make([]byte, 3*SectorSize)
	if _, err := f.ReadAt(data, 0); err != nil {
		t.Fatal(err)
	}
	got, err := Read(f, size)
	if err != nil {
		t.Fatal(err)
	}
	if got.DiskGUID != tab.DiskGUID || len(got.Partitions) != 4 {
		t.Fatalf("read back %+v", got)
	}
	for i, p := range got.Partitions {
		want := tab.Partitions[i]
		want.Index = i + 1
		if p != want {
			t.Errorf("partition %d: read %+v, wrote %+v", i+1, p, want)
		}
	}
	if !bytes.Equal(data[:446], boot[:446]) {
		t.Error("the MBR does not carry the boot code")
	}
	if data[446+4] != 0xEE || data[510] != 0x55 || data[511] != 0xAA {
		t.Error("no protective partition record")
	}

	// Each corruption is found and named.
	last := size - SectorSize
	for _, tc := range []struct {
		off  int64
		want string
	}{
		{SectorSize + 60, "primary header at sector 1 has CRC32"},
		{2*SectorSize + 130, "primary entry array"},
		{last + 60, "backup header"},
		{last - 2*SectorSize, "backup entry array"},
		{446 + 4, "no protective"},
	} {
		if _, err := Read(flipped{f, tc.off}, size); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("byte %d flipped: got %v, want %q", tc.off, err, tc.want)
		}
	}
	if _, err := Read(f, size-mibSectors*SectorSize); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("truncated disk: %v", err)
	}
}

// flipped reads r with one bit of the byte at off inverted.
type flipped struct {
	r   io.ReaderAt
	off int64
}

func (f flipped) ReadAt(p []byte, off int64) (int, error) {
	n, err := f.r.ReadAt(p, off)
	if f.off >= off && f.off < off+int64(n) {
		p[f.off-off] ^= 0x01
	}
	return n, err
}

func TestPlainProtectiveMBRWithoutBootCode(t *testing.T) {
	tab := sampleTable(300 * mibSectors)
	img := writeDisk(t, tab, nil)
	f, _ := os.Open(img)
	defer f.Close()
	data := make([]byte, 512)
	f.ReadAt(data, 0)
	if !bytes.Equal(data[:446], make([]byte, 446)) || data[446+4] != 0xEE {
		t.Error("MBR code area is not empty")
	}
}

func TestBadTables(t *testing.T) {
	sectors := uint64(1 << 30 / SectorSize)
	for _, tc := range []struct {
		edit func(*Table)
		want string
	}{
		{func(t *Table) { t.Partitions[1].Type = "fat32" }, `unknown partition type "fat32"; known types: bios-boot, efi, freebsd,`},
		{func(t *Table) { t.Partitions[1].Label = strings.Repeat("x", 37) }, "labels hold 36"},
		{func(t *Table) { t.Partitions[2].FirstLBA = 30 * mibSectors }, "overlaps partition 2"},
		{func(t *Table) { t.Partitions[3].LastLBA = sectors }, "outside the usable"},
		{func(t *Table) { t.Partitions[0].GUID = GUID{} }, "no GUID"},
	} {
		tab := sampleTable(sectors)
		tc.edit(tab)
		if err := Write(discard{}, tab, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
	if err := Write(discard{}, sampleTable(sectors), make([]byte, 513)); err == nil || !strings.Contains(err.Error(), "pmbr") {
		t.Errorf("oversized boot code: %v", err)
	}
}

type discard struct{}

func (discard) WriteAt(p []byte, off int64) (int, error) { return len(p), nil }

func TestGUIDs(t *testing.T) {
	g := mustGUID("C12A7328-F81F-11D2-BA4B-00A0C93EC93B")
	var disk [16]byte
	putGUID(disk[:], g)
	// The EFI system partition type as it appears on disk.
	if want := []byte{0x28, 0x73, 0x2A, 0xC1, 0x1F, 0xF8, 0xD2, 0x11, 0xBA, 0x4B, 0x00, 0xA0, 0xC9, 0x3E, 0xC9, 0x3B}; !bytes.Equal(disk[:], want) {
		t.Errorf("on-disk ESP type % x", disk)
	}
	if getGUID(disk[:]) != g || g.String() != "C12A7328-F81F-11D2-BA4B-00A0C93EC93B" {
		t.Error("GUID round trip")
	}
	a, b := DeriveGUID([]byte("x"), []byte("y")), DeriveGUID([]byte("xy"))
	if a == b || a != DeriveGUID([]byte("x"), []byte("y")) {
		t.Error("DeriveGUID is not stable or not injective on its seeds")
	}
	if s := a.String(); s[14] != '8' || !strings.ContainsRune("89AB", rune(s[19])) {
		t.Errorf("%s is not an RFC 9562 version 8 GUID", s)
	}
	if _, err := ParseGUID("not-a-guid"); err == nil {
		t.Error("ParseGUID accepted garbage")
	}
}

// TestReadsTablesMadeBySgdisk checks the reader against another writer.
func TestReadsTablesMadeBySgdisk(t *testing.T) {
	sgdisk := requireTool(t, "sgdisk")
	img := filepath.Join(t.TempDir(), "disk.img")
	f, _ := os.Create(img)
	f.Truncate(64 << 20)
	f.Close()
	out, err := exec.Command(sgdisk, "-a", "8", "-n", "1:40:+512K", "-t", "1:a501", "-c", "1:gptboot",
		"-n", "2:2048:+33M", "-t", "2:ef00", "-c", "2:efiesp",
		"-n", "3:0:0", "-t", "3:a503", "-c", "3:rootfs", img).CombinedOutput()
	if err != nil {
		t.Fatalf("sgdisk: %v\n%s", err, out)
	}
	f, _ = os.Open(img)
	defer f.Close()
	tab, err := Read(f, 64<<20)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range tab.Partitions {
		got = append(got, fmt.Sprintf("%d:%s:%s:%d-%d", p.Index, p.Type, p.Label, p.FirstLBA, p.LastLBA))
	}
	want := "1:freebsd-boot:gptboot:40-1063 2:efi:efiesp:2048-69631 3:freebsd-ufs:rootfs:69632-131038"
	if strings.Join(got, " ") != want {
		t.Errorf("read\n %s\nwant\n %s", strings.Join(got, " "), want)
	}
}
