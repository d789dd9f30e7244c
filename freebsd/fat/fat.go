// Package fat writes and reads FAT32 file systems: the format of the EFI
// system partition (ESP) that Fruix puts on its disk images, where the
// firmware finds EFI/BOOT/BOOTX64.EFI (FreeBSD's loader.efi).
//
// The writer lays out a volume from a list of files without mounting
// anything: boot sector with its backup copy, FSInfo sector, two FATs,
// directories with VFAT long names beside their 8.3 short names, and file
// data in contiguous cluster runs. Every byte follows from the files, the
// options and one timestamp, so equal inputs give equal volumes. The
// reader lists directories and reads files back, for `fruix image ls/cat`
// and for the tests.
//
// The on-disk format follows Microsoft's "FAT: General Overview of On-Disk
// Format" (version 1.03), including its cluster-size table for FAT32.
package fat

import (
	"fmt"
	"time"
)

// SectorSize is the only sector size the writer produces.
const SectorSize = 512

const (
	reservedSectors = 32
	numFATs         = 2
	rootCluster     = 2
	fsInfoSector    = 1
	backupBootSect  = 6
	dirEntrySize    = 32

	// minClusters is the smallest cluster count a FAT32 volume may have:
	// with fewer, every implementation takes the volume for FAT16.
	minClusters = 65525
	// maxClusters is the largest cluster count FAT32's 28-bit entries can
	// address (0x0FFFFFF7 marks bad clusters, above it end of chain).
	maxClusters = 0x0FFFFFF5

	endOfChain = 0x0FFFFFFF
	mediaByte  = 0xF8

	attrReadOnly  = 0x01
	attrHidden    = 0x02
	attrSystem    = 0x04
	attrVolumeID  = 0x08
	attrDirectory = 0x10
	attrArchive   = 0x20
	attrLongName  = attrReadOnly | attrHidden | attrSystem | attrVolumeID
)

// MinSize and MaxSize bound the sizes the writer accepts: below 66,601
// sectors Microsoft's table gives no FAT32 cluster size (the volume would
// have too few clusters), and a FAT32 boot sector counts sectors in 32 bits.
const (
	MinSize = 66601 * SectorSize
	MaxSize = 0xFFFFFFFF * SectorSize
)

// DefaultLabel is the volume label of an ESP when Options.Label is empty;
// it is the label FreeBSD's own release tooling gives its ESPs.
const DefaultLabel = "EFISYS"

// File is one file to put in the volume.
type File struct {
	// Path is the slash-separated path inside the volume, such as
	// "EFI/BOOT/BOOTX64.EFI". Missing directories are created.
	Path string
	// Source is a host file whose bytes become the file's content. If it
	// is empty, Data is used instead.
	Source string
	Data   []byte
}

// Options says how to lay out a volume.
type Options struct {
	// Size is the volume's size in bytes, a multiple of SectorSize
	// between MinSize and MaxSize.
	Size int64
	// Label is the volume label: up to 11 characters from the 8.3 short
	// name set (letters are upper-cased). Empty means DefaultLabel.
	Label string
	// Timestamp, in Unix seconds, is the time of every directory entry.
	// FAT dates start in 1980: earlier times are written as 1980-01-01.
	Timestamp int64
	// HiddenSectors is the LBA at which the volume starts on its disk,
	// recorded in the boot sector for firmware that looks at it.
	HiddenSectors uint32
}

// Result describes a written volume.
type Result struct {
	Serial          uint32 // volume serial number, derived from the content
	Label           string // the label as written
	ClusterSize     int    // bytes per cluster
	Clusters        uint32 // data clusters in the volume
	FreeClusters    uint32 // data clusters not in use
	SectorsPerFAT   uint32
	DataStartSector uint32
}

// geometry is the arithmetic of a FAT32 volume of a given size.
type geometry struct {
	totalSectors      uint32
	sectorsPerCluster uint32
	fatSectors        uint32
	clusters          uint32
}

func (g geometry) clusterSize() int64 { return int64(g.sectorsPerCluster) * SectorSize }

// dataStart is the first sector of cluster 2.
func (g geometry) dataStart() uint32 { return reservedSectors + numFATs*g.fatSectors }

// clusterOffset is the byte offset, inside the volume, of cluster c.
func (g geometry) clusterOffset(c uint32) int64 {
	return int64(g.dataStart())*SectorSize + int64(c-2)*g.clusterSize()
}

// sectorsPerClusterFor is Microsoft's FAT32 cluster-size table: the
// cluster size grows with the volume so that the FAT stays small and the
// cluster count stays in FAT32's range. Zero means no FAT32 fits.
func sectorsPerClusterFor(totalSectors uint64) uint32 {
	switch {
	case totalSectors <= 66600:
		return 0
	case totalSectors <= 532480: // 260 MiB
		return 1
	case totalSectors <= 16777216: // 8 GiB
		return 8
	case totalSectors <= 33554432: // 16 GiB
		return 16
	case totalSectors <= 67108864: // 32 GiB
		return 32
	default:
		return 64
	}
}

// newGeometry computes the layout of a volume of size bytes, or says why
// a FAT32 of that size cannot exist.
func newGeometry(size int64) (geometry, error) {
	if size%SectorSize != 0 {
		return geometry{}, fmt.Errorf("fat: size %d is not a multiple of the %d-byte sector", size, SectorSize)
	}
	if size < MinSize {
		return geometry{}, fmt.Errorf("fat: a FAT32 volume needs at least %d bytes (32.5 MiB, %d clusters); %s is too small", int64(MinSize), minClusters, formatSize(size))
	}
	if size > MaxSize {
		return geometry{}, fmt.Errorf("fat: a FAT32 volume holds at most %d sectors of %d bytes (2 TiB); %s is too large", uint32(0xFFFFFFFF), SectorSize, formatSize(size))
	}
	total := uint64(size / SectorSize)
	spc := sectorsPerClusterFor(total)
	// Microsoft's FAT-size formula: it never gives a FAT too small for
	// the clusters that remain, at worst a few sectors too large.
	tmp1 := total - reservedSectors
	tmp2 := (256*uint64(spc) + numFATs) / 2
	fatSectors := (tmp1 + tmp2 - 1) / tmp2
	clusters := (total - reservedSectors - numFATs*fatSectors) / uint64(spc)
	if clusters < minClusters || clusters > maxClusters || fatSectors*SectorSize/4 < clusters+2 {
		// Unreachable with the table above; kept as the definition of
		// what a FAT32 is.
		return geometry{}, fmt.Errorf("fat: %s gives %d clusters of %d bytes, outside FAT32's range %d..%d", formatSize(size), clusters, spc*SectorSize, minClusters, maxClusters)
	}
	return geometry{
		totalSectors:      uint32(total),
		sectorsPerCluster: spc,
		fatSectors:        uint32(fatSectors),
		clusters:          uint32(clusters),
	}, nil
}

// formatSize writes a byte count the way users give sizes.
func formatSize(n int64) string {
	const (
		kib = 1 << 10
		mib = 1 << 20
		gib = 1 << 30
		tib = 1 << 40
	)
	switch {
	case n >= tib:
		return trimFloat(float64(n)/tib) + " TiB"
	case n >= gib:
		return trimFloat(float64(n)/gib) + " GiB"
	case n >= mib:
		return trimFloat(float64(n)/mib) + " MiB"
	case n >= kib:
		return trimFloat(float64(n)/kib) + " KiB"
	}
	return fmt.Sprintf("%d bytes", n)
}

func trimFloat(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}

// dosTime encodes t as FAT's local date and time fields (Fruix writes
// UTC), clamped to the range FAT can hold. tenths is the creation time's
// extra 10-millisecond units (the odd second).
func dosTime(unix int64) (date, tim uint16, tenths uint8) {
	t := time.Unix(unix, 0).UTC()
	if t.Year() < 1980 {
		t = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if t.Year() > 2107 {
		t = time.Date(2107, 12, 31, 23, 59, 58, 0, time.UTC)
	}
	date = uint16(t.Year()-1980)<<9 | uint16(t.Month())<<5 | uint16(t.Day())
	tim = uint16(t.Hour())<<11 | uint16(t.Minute())<<5 | uint16(t.Second()/2)
	tenths = uint8(t.Second()%2) * 100
	return
}

// fromDOSTime decodes FAT's date and time fields.
func fromDOSTime(date, tim uint16) time.Time {
	if date == 0 {
		return time.Time{}
	}
	return time.Date(int(date>>9)+1980, time.Month(date>>5&0xF), int(date&0x1F),
		int(tim>>11), int(tim>>5&0x3F), int(tim&0x1F)*2, 0, time.UTC)
}
