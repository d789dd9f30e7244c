package gpt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"unicode/utf16"
)

// header is a decoded GPT header.
type header struct {
	my, alternate           uint64
	firstUsable, lastUsable uint64
	diskGUID                GUID
	entriesLBA              uint64
	numEntries, entrySize   uint32
	entriesCRC              uint32
}

// Read reads and verifies the partition table of a disk of size bytes: the
// protective MBR, the primary header and entries with their CRCs, and the
// backup header and entries, which must agree with the primary ones.
func Read(r io.ReaderAt, size int64) (*Table, error) {
	sectors := uint64(size / SectorSize)
	if sectors < FirstUsableLBA+entrySectors+2 {
		return nil, fmt.Errorf("gpt: a disk of %d bytes is too small to hold a GPT", size)
	}
	mbr := make([]byte, SectorSize)
	if _, err := r.ReadAt(mbr, 0); err != nil {
		return nil, fmt.Errorf("gpt: reading the MBR: %w", err)
	}
	if mbr[510] != 0x55 || mbr[511] != 0xAA {
		return nil, fmt.Errorf("gpt: sector 0 has no MBR signature: not a partitioned disk")
	}
	protective := false
	for i := 0; i < 4; i++ {
		if mbr[bootCodeSize+16*i+4] == 0xEE {
			protective = true
		}
	}
	if !protective {
		return nil, fmt.Errorf("gpt: the MBR has no protective (0xEE) partition: not a GPT disk")
	}
	primary, entries, err := readHeader(r, 1, "primary")
	if err != nil {
		return nil, err
	}
	if primary.alternate != sectors-1 {
		return nil, fmt.Errorf("gpt: the primary header puts its backup at sector %d, but the disk's last sector is %d (was the image truncated or grown?)", primary.alternate, sectors-1)
	}
	backup, backupEntries, err := readHeader(r, primary.alternate, "backup")
	if err != nil {
		return nil, err
	}
	if backup.alternate != 1 || backup.firstUsable != primary.firstUsable || backup.lastUsable != primary.lastUsable ||
		backup.diskGUID != primary.diskGUID || backup.numEntries != primary.numEntries || backup.entrySize != primary.entrySize ||
		backup.entriesCRC != primary.entriesCRC || !bytes.Equal(entries, backupEntries) {
		return nil, fmt.Errorf("gpt: the backup header at sector %d does not match the primary one", primary.alternate)
	}
	t := &Table{DiskGUID: primary.diskGUID, Sectors: sectors}
	for i := 0; i < int(primary.numEntries); i++ {
		e := entries[i*int(primary.entrySize):]
		typ := getGUID(e[0:])
		if typ.IsZero() {
			continue
		}
		var name []uint16
		for j := 0; j < MaxLabel; j++ {
			u := binary.LittleEndian.Uint16(e[56+2*j:])
			if u == 0 {
				break
			}
			name = append(name, u)
		}
		p := Partition{
			Type:       TypeName(typ),
			Label:      string(utf16.Decode(name)),
			GUID:       getGUID(e[16:]),
			FirstLBA:   binary.LittleEndian.Uint64(e[32:]),
			LastLBA:    binary.LittleEndian.Uint64(e[40:]),
			Attributes: binary.LittleEndian.Uint64(e[48:]),
			Index:      i + 1,
		}
		if p.FirstLBA < primary.firstUsable || p.LastLBA > primary.lastUsable || p.LastLBA < p.FirstLBA {
			return nil, fmt.Errorf("gpt: partition %d spans sectors %d..%d, outside the usable %d..%d", i+1, p.FirstLBA, p.LastLBA, primary.firstUsable, primary.lastUsable)
		}
		t.Partitions = append(t.Partitions, p)
	}
	return t, nil
}

// readHeader reads and checks the header at lba and its entry array.
func readHeader(r io.ReaderAt, lba uint64, which string) (header, []byte, error) {
	var h header
	sec := make([]byte, SectorSize)
	if _, err := r.ReadAt(sec, int64(lba)*SectorSize); err != nil {
		return h, nil, fmt.Errorf("gpt: reading the %s header at sector %d: %w", which, lba, err)
	}
	if string(sec[:8]) != signature {
		return h, nil, fmt.Errorf("gpt: no %s GPT header at sector %d (signature %q)", which, lba, sec[:8])
	}
	size := binary.LittleEndian.Uint32(sec[12:])
	if size < headerSize || size > SectorSize {
		return h, nil, fmt.Errorf("gpt: the %s header says it is %d bytes long", which, size)
	}
	want := binary.LittleEndian.Uint32(sec[16:])
	binary.LittleEndian.PutUint32(sec[16:], 0)
	if got := crc32.ChecksumIEEE(sec[:size]); got != want {
		return h, nil, fmt.Errorf("gpt: the %s header at sector %d has CRC32 %08x, but its content sums to %08x", which, lba, want, got)
	}
	h = header{
		my:          binary.LittleEndian.Uint64(sec[24:]),
		alternate:   binary.LittleEndian.Uint64(sec[32:]),
		firstUsable: binary.LittleEndian.Uint64(sec[40:]),
		lastUsable:  binary.LittleEndian.Uint64(sec[48:]),
		diskGUID:    getGUID(sec[56:]),
		entriesLBA:  binary.LittleEndian.Uint64(sec[72:]),
		numEntries:  binary.LittleEndian.Uint32(sec[80:]),
		entrySize:   binary.LittleEndian.Uint32(sec[84:]),
		entriesCRC:  binary.LittleEndian.Uint32(sec[88:]),
	}
	if h.my != lba {
		return h, nil, fmt.Errorf("gpt: the %s header at sector %d says it is at sector %d", which, lba, h.my)
	}
	if h.entrySize < entrySize || h.entrySize > 4096 || h.entrySize%8 != 0 || h.numEntries == 0 || h.numEntries > 1024 {
		return h, nil, fmt.Errorf("gpt: the %s header describes %d entries of %d bytes", which, h.numEntries, h.entrySize)
	}
	entries := make([]byte, int(h.numEntries)*int(h.entrySize))
	if _, err := r.ReadAt(entries, int64(h.entriesLBA)*SectorSize); err != nil {
		return h, nil, fmt.Errorf("gpt: reading the %s entries at sector %d: %w", which, h.entriesLBA, err)
	}
	if got := crc32.ChecksumIEEE(entries); got != h.entriesCRC {
		return h, nil, fmt.Errorf("gpt: the %s entry array at sector %d has CRC32 %08x, but the header records %08x", which, h.entriesLBA, got, h.entriesCRC)
	}
	return h, entries, nil
}
