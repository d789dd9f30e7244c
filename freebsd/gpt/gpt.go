// Package gpt writes and reads GUID partition tables: the protective MBR
// (optionally carrying FreeBSD's pmbr boot code), the primary header and
// entry array at the start of the disk, and their backups at its end, with
// the CRC32s that tie them together. Fruix uses it to lay out its disk
// images and to find the partitions inside an image again.
//
// The format is that of the UEFI specification (chapter 5, "GUID Partition
// Table Disk Layout"), with 512-byte sectors and 128 entries of 128 bytes.
package gpt

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"unicode/utf16"
)

const (
	// SectorSize is the logical sector size of the disks Fruix writes.
	SectorSize = 512
	// NumEntries is the size of the entry array; 128 is what every
	// partitioner writes and what some firmware assumes.
	NumEntries = 128
	entrySize  = 128
	headerSize = 92
	// entrySectors is how many sectors the entry array fills.
	entrySectors = NumEntries * entrySize / SectorSize
	// FirstUsableLBA is the first sector a partition may use: after the
	// MBR, the primary header and the entry array.
	FirstUsableLBA = 2 + entrySectors
	// MaxLabel is the longest partition label, in UTF-16 code units.
	MaxLabel = 36

	signature    = "EFI PART"
	revision     = 0x00010000
	bootCodeSize = 446
)

// Partition is one entry of the table.
type Partition struct {
	// Type is the type's name ("efi", "freebsd-ufs", ...) or, for a type
	// Fruix has no name for, its GUID in text form.
	Type  string
	Label string // the GPT name: FreeBSD shows it as /dev/gpt/LABEL
	// FirstLBA and LastLBA are the first and last sectors, inclusive.
	FirstLBA, LastLBA uint64
	GUID              GUID // the partition's unique GUID
	Attributes        uint64
	// Index is the entry's position in the array, from 1 as FreeBSD
	// numbers partitions (ada0p1). Write numbers entries in order.
	Index int
}

// Size is the partition's size in bytes.
func (p Partition) Size() int64 { return int64(p.LastLBA-p.FirstLBA+1) * SectorSize }

// Offset is the byte offset of the partition on its disk.
func (p Partition) Offset() int64 { return int64(p.FirstLBA) * SectorSize }

// Table is a whole partition table.
type Table struct {
	DiskGUID GUID
	// Sectors is the size of the disk in sectors; the backup header is
	// in its last sector.
	Sectors    uint64
	Partitions []Partition
}

// LastUsableLBA is the last sector a partition may use on a disk of the
// given number of sectors: before the backup entries and header.
func LastUsableLBA(sectors uint64) uint64 { return sectors - 1 - entrySectors - 1 }

// Write writes the protective MBR, both headers and both entry arrays of
// t to w. bootCode, if given, is FreeBSD's pmbr (or any MBR boot code): its
// first 446 bytes become the MBR's code; without it the MBR holds no code.
func Write(w io.WriterAt, t *Table, bootCode []byte) error {
	if err := t.check(); err != nil {
		return err
	}
	if len(bootCode) > SectorSize {
		return fmt.Errorf("gpt: MBR boot code is %d bytes; a boot sector is %d (FreeBSD's pmbr is exactly 512)", len(bootCode), SectorSize)
	}
	entries := make([]byte, NumEntries*entrySize)
	for i, p := range t.Partitions {
		typ, _ := TypeGUID(p.Type) // checked by t.check
		e := entries[i*entrySize : (i+1)*entrySize]
		putGUID(e[0:], typ)
		putGUID(e[16:], p.GUID)
		binary.LittleEndian.PutUint64(e[32:], p.FirstLBA)
		binary.LittleEndian.PutUint64(e[40:], p.LastLBA)
		binary.LittleEndian.PutUint64(e[48:], p.Attributes)
		for j, u := range utf16.Encode([]rune(p.Label)) {
			binary.LittleEndian.PutUint16(e[56+2*j:], u)
		}
	}
	entriesCRC := crc32.ChecksumIEEE(entries)
	last := t.Sectors - 1
	primary := t.header(1, last, 2, entriesCRC)
	backup := t.header(last, 1, last-entrySectors, entriesCRC)

	mbr := protectiveMBR(t.Sectors, bootCode)
	for _, wr := range []struct {
		b   []byte
		lba uint64
	}{
		{mbr, 0}, {primary, 1}, {entries, 2},
		{entries, last - entrySectors}, {backup, last},
	} {
		if _, err := w.WriteAt(wr.b, int64(wr.lba)*SectorSize); err != nil {
			return fmt.Errorf("gpt: writing sector %d: %w", wr.lba, err)
		}
	}
	return nil
}

// header builds one GPT header sector.
func (t *Table) header(my, alternate, entriesLBA uint64, entriesCRC uint32) []byte {
	h := make([]byte, SectorSize)
	copy(h, signature)
	binary.LittleEndian.PutUint32(h[8:], revision)
	binary.LittleEndian.PutUint32(h[12:], headerSize)
	binary.LittleEndian.PutUint64(h[24:], my)
	binary.LittleEndian.PutUint64(h[32:], alternate)
	binary.LittleEndian.PutUint64(h[40:], FirstUsableLBA)
	binary.LittleEndian.PutUint64(h[48:], LastUsableLBA(t.Sectors))
	putGUID(h[56:], t.DiskGUID)
	binary.LittleEndian.PutUint64(h[72:], entriesLBA)
	binary.LittleEndian.PutUint32(h[80:], NumEntries)
	binary.LittleEndian.PutUint32(h[84:], entrySize)
	binary.LittleEndian.PutUint32(h[88:], entriesCRC)
	binary.LittleEndian.PutUint32(h[16:], crc32.ChecksumIEEE(h[:headerSize]))
	return h
}

// protectiveMBR is sector 0: boot code, then one partition record of type
// 0xEE covering the disk (as much of it as 32 bits can say), so that
// MBR-only tools see the disk as in use.
func protectiveMBR(sectors uint64, bootCode []byte) []byte {
	mbr := make([]byte, SectorSize)
	copy(mbr[:bootCodeSize], bootCode)
	rec := mbr[bootCodeSize : bootCodeSize+16]
	rec[0] = 0x00                             // not active
	rec[1], rec[2], rec[3] = 0x00, 0x02, 0x00 // CHS of LBA 1
	rec[4] = 0xEE                             // GPT protective
	rec[5], rec[6], rec[7] = 0xFF, 0xFF, 0xFF // CHS beyond what CHS can say
	binary.LittleEndian.PutUint32(rec[8:], 1) // first LBA
	size := min(sectors-1, 0xFFFFFFFF)
	binary.LittleEndian.PutUint32(rec[12:], uint32(size))
	mbr[510], mbr[511] = 0x55, 0xAA
	return mbr
}

// check says what is wrong with a table before anything is written.
func (t *Table) check() error {
	if t.Sectors < FirstUsableLBA+entrySectors+2 {
		return fmt.Errorf("gpt: a disk of %d sectors is too small for a GPT", t.Sectors)
	}
	if len(t.Partitions) > NumEntries {
		return fmt.Errorf("gpt: %d partitions; a GPT holds %d", len(t.Partitions), NumEntries)
	}
	lastUsable := LastUsableLBA(t.Sectors)
	for i, p := range t.Partitions {
		name := fmt.Sprintf("partition %d (%s %q)", i+1, p.Type, p.Label)
		if _, err := TypeGUID(p.Type); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if n := len(utf16.Encode([]rune(p.Label))); n > MaxLabel {
			return fmt.Errorf("gpt: %s: the label is %d UTF-16 units long; GPT labels hold %d", name, n, MaxLabel)
		}
		if p.FirstLBA < FirstUsableLBA || p.LastLBA > lastUsable || p.LastLBA < p.FirstLBA {
			return fmt.Errorf("gpt: %s: sectors %d..%d are outside the usable %d..%d", name, p.FirstLBA, p.LastLBA, uint64(FirstUsableLBA), lastUsable)
		}
		if p.GUID.IsZero() {
			return fmt.Errorf("gpt: %s has no GUID", name)
		}
		for j, q := range t.Partitions[:i] {
			if p.FirstLBA <= q.LastLBA && q.FirstLBA <= p.LastLBA {
				return fmt.Errorf("gpt: %s overlaps partition %d (%s %q)", name, j+1, q.Type, q.Label)
			}
		}
	}
	return nil
}
