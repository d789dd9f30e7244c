package gpt

import (
	"encoding/binary"
	"hash/crc32"
	"io"
	"strings"
	"testing"
)

type memDisk []byte

func (m memDisk) WriteAt(p []byte, off int64) (int, error) { return copy(m[off:], p), nil }
func (m memDisk) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= int64(len(m)) {
		return 0, io.EOF
	}
	n := copy(p, m[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// TestHostileHeaders gives the reader headers whose CRCs are right but
// whose fields are not: each is refused with a message, none panics or
// allocates without bound.
func TestHostileHeaders(t *testing.T) {
	const sectors = 4096
	disk := make(memDisk, sectors*SectorSize)
	tab := &Table{DiskGUID: DeriveGUID([]byte("d")), Sectors: sectors, Partitions: []Partition{
		{Type: "freebsd-ufs", Label: "rootfs", FirstLBA: 2048, LastLBA: LastUsableLBA(sectors), GUID: DeriveGUID([]byte("p"))},
	}}
	if err := Write(disk, tab, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		field int
		value uint64
		size  int // bytes of the field
		want  string
	}{
		{80, 1 << 31, 4, "entries of"}, // number of entries
		{84, 1 << 30, 4, "entries of"}, // entry size
		{84, 100, 4, "entries of"},     // entry size too small
		{72, 1 << 40, 8, "reading the primary entries"},
		{24, 7, 8, "says it is at sector 7"}, // my LBA
		{32, 99, 8, "puts its backup at sector 99"},
		{12, 4000, 4, "bytes long"}, // header size
	} {
		work := make(memDisk, len(disk))
		copy(work, disk)
		h := work[SectorSize : 2*SectorSize]
		if tc.size == 4 {
			binary.LittleEndian.PutUint32(h[tc.field:], uint32(tc.value))
		} else {
			binary.LittleEndian.PutUint64(h[tc.field:], tc.value)
		}
		binary.LittleEndian.PutUint32(h[16:], 0)
		binary.LittleEndian.PutUint32(h[16:], crc32.ChecksumIEEE(h[:headerSize]))
		_, err := Read(work, int64(len(work)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("field %d = %d: got %v, want %q", tc.field, tc.value, err, tc.want)
		}
	}
	// A partition entry outside the disk, with correct CRCs.
	work := make(memDisk, len(disk))
	copy(work, disk)
	tab.Partitions[0].LastLBA = sectors + 10
	entries := make([]byte, NumEntries*entrySize)
	copy(entries, work[2*SectorSize:])
	binary.LittleEndian.PutUint64(entries[40:], sectors+10)
	crc := crc32.ChecksumIEEE(entries)
	for _, at := range []int64{2, sectors - 33} {
		copy(work[at*SectorSize:], entries)
	}
	for _, at := range []int64{1, sectors - 1} {
		h := work[at*SectorSize : (at+1)*SectorSize]
		binary.LittleEndian.PutUint32(h[88:], crc)
		binary.LittleEndian.PutUint32(h[16:], 0)
		binary.LittleEndian.PutUint32(h[16:], crc32.ChecksumIEEE(h[:headerSize]))
	}
	if _, err := Read(work, int64(len(work))); err == nil || !strings.Contains(err.Error(), "outside the usable") {
		t.Errorf("partition past the disk's end: %v", err)
	}
}
