package fat

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf16"
)

// FS is a FAT32 volume opened for reading.
type FS struct {
	r                 io.ReaderAt
	bytesPerSector    int64
	sectorsPerCluster int64
	fatStart          int64 // byte offset of the first FAT
	dataStart         int64 // byte offset of cluster 2
	clusters          uint32
	rootCluster       uint32
	serial            uint32
	label             string

	fatCache      []byte
	fatCacheStart int64
}

// Entry is one file or directory in a FAT volume.
type Entry struct {
	Name      string // the long name, or the short name when there is none
	ShortName string // the 8.3 name, as NAME.EXT
	IsDir     bool
	Size      int64
	ModTime   time.Time
	Cluster   uint32 // first cluster; 0 for an empty file
}

// ErrNotExist is returned (wrapped) for a path that is not in the volume.
var ErrNotExist = errors.New("no such file or directory")

// Open reads the boot sector of a FAT32 volume of size bytes and checks
// that it describes a FAT32 that fits.
func Open(r io.ReaderAt, size int64) (*FS, error) {
	boot := make([]byte, SectorSize)
	if _, err := r.ReadAt(boot, 0); err != nil {
		return nil, fmt.Errorf("fat: reading the boot sector: %w", err)
	}
	if boot[510] != 0x55 || boot[511] != 0xAA {
		return nil, fmt.Errorf("fat: no boot sector signature (55 AA) at bytes 510-511")
	}
	bps := int64(binary.LittleEndian.Uint16(boot[11:]))
	spc := int64(boot[13])
	reserved := int64(binary.LittleEndian.Uint16(boot[14:]))
	nfats := int64(boot[16])
	rootEntries := binary.LittleEndian.Uint16(boot[17:])
	fatSize := int64(binary.LittleEndian.Uint32(boot[36:]))
	total := int64(binary.LittleEndian.Uint32(boot[32:]))
	switch {
	case bps < 512 || bps > 4096 || bps&(bps-1) != 0:
		return nil, fmt.Errorf("fat: %d bytes per sector is not a FAT sector size", bps)
	case spc == 0 || spc&(spc-1) != 0:
		return nil, fmt.Errorf("fat: %d sectors per cluster is not a power of two", spc)
	case rootEntries != 0 || fatSize == 0:
		return nil, fmt.Errorf("fat: not a FAT32 volume (FAT12 and FAT16 are not read)")
	case reserved == 0 || nfats == 0:
		return nil, fmt.Errorf("fat: boot sector has %d reserved sectors and %d FATs", reserved, nfats)
	case total*bps > size:
		return nil, fmt.Errorf("fat: boot sector claims %d bytes; the volume has %d", total*bps, size)
	}
	dataSectors := total - reserved - nfats*fatSize
	if dataSectors <= 0 {
		return nil, fmt.Errorf("fat: boot sector leaves no room for data")
	}
	fs := &FS{
		r:                 r,
		bytesPerSector:    bps,
		sectorsPerCluster: spc,
		fatStart:          reserved * bps,
		dataStart:         (reserved + nfats*fatSize) * bps,
		clusters:          uint32(dataSectors / spc),
		rootCluster:       binary.LittleEndian.Uint32(boot[44:]),
		fatCacheStart:     -1,
	}
	if fatSize*bps/4 < int64(fs.clusters)+2 {
		return nil, fmt.Errorf("fat: the FAT (%d sectors) is too small for %d clusters", fatSize, fs.clusters)
	}
	if boot[66] == 0x29 {
		fs.serial = binary.LittleEndian.Uint32(boot[67:])
		fs.label = strings.TrimRight(string(boot[71:82]), " ")
	}
	return fs, nil
}

// Serial is the volume serial number.
func (fs *FS) Serial() uint32 { return fs.serial }

// Label is the volume label from the boot sector.
func (fs *FS) Label() string { return fs.label }

func (fs *FS) clusterSize() int64 { return fs.bytesPerSector * fs.sectorsPerCluster }

// next returns the FAT entry of cluster c.
func (fs *FS) next(c uint32) (uint32, error) {
	const cacheSize = 64 << 10
	off := fs.fatStart + 4*int64(c)
	if fs.fatCacheStart < 0 || off < fs.fatCacheStart || off+4 > fs.fatCacheStart+int64(len(fs.fatCache)) {
		start := off - off%cacheSize
		buf := make([]byte, cacheSize)
		n, err := fs.r.ReadAt(buf, start)
		if n < int(off-start)+4 {
			return 0, fmt.Errorf("fat: reading the FAT: %v", err)
		}
		fs.fatCache, fs.fatCacheStart = buf[:n], start
	}
	i := off - fs.fatCacheStart
	return binary.LittleEndian.Uint32(fs.fatCache[i:]) & 0x0FFFFFFF, nil
}

// chain returns the clusters of the chain starting at first, at most
// limit of them: a file needs no more than its size says, a directory no
// more than FAT's largest, and a corrupt chain cannot loop forever.
func (fs *FS) chain(first uint32, limit int64) ([]uint32, error) {
	var out []uint32
	for c := first; ; {
		if c < 2 || c >= fs.clusters+2 {
			return nil, fmt.Errorf("fat: cluster chain from %d reaches invalid cluster %d", first, c)
		}
		out = append(out, c)
		if int64(len(out)) >= limit {
			return out, nil
		}
		n, err := fs.next(c)
		if err != nil {
			return nil, err
		}
		if n >= 0x0FFFFFF8 {
			return out, nil
		}
		c = n
	}
}

// readChain reads the bytes of a cluster chain, at most limit of them
// (limit < 0: a directory, as long as the chain up to FAT's largest).
func (fs *FS) readChain(first uint32, limit int64) ([]byte, error) {
	cs := fs.clusterSize()
	maxClusters := (maxDirEntries*dirEntrySize + cs - 1) / cs
	if limit >= 0 {
		maxClusters = (limit + cs - 1) / cs
	}
	clusters, err := fs.chain(first, maxClusters)
	if err != nil {
		return nil, err
	}
	total := int64(len(clusters)) * cs
	if limit >= 0 {
		if limit > total {
			return nil, fmt.Errorf("fat: file of %d bytes has only %d clusters", limit, len(clusters))
		}
		total = limit
	}
	out := make([]byte, total)
	for i, c := range clusters {
		lo := int64(i) * cs
		if lo >= total {
			break
		}
		hi := min(lo+cs, total)
		if _, err := fs.r.ReadAt(out[lo:hi], fs.dataStart+int64(c-2)*cs); err != nil {
			return nil, fmt.Errorf("fat: reading cluster %d: %w", c, err)
		}
	}
	return out, nil
}

// readDirCluster lists the directory whose data starts at cluster c.
func (fs *FS) readDirCluster(c uint32) ([]Entry, error) {
	data, err := fs.readChain(c, -1)
	if err != nil {
		return nil, err
	}
	var out []Entry
	var lfn []uint16
	var lfnSum uint8
	var lfnNext int // the sequence number the next long-name entry must have
	for off := 0; off+dirEntrySize <= len(data); off += dirEntrySize {
		e := data[off : off+dirEntrySize]
		if e[0] == 0 {
			break
		}
		if e[0] == 0xE5 {
			lfn, lfnNext = nil, 0
			continue
		}
		attr := e[11]
		if attr&0x3F == attrLongName {
			seq := int(e[0] & 0x1F)
			if e[0]&0x40 != 0 {
				lfn, lfnSum, lfnNext = make([]uint16, seq*lfnCharsPerEntry), e[13], seq
			}
			if seq != lfnNext || seq == 0 || e[13] != lfnSum || lfn == nil {
				lfn, lfnNext = nil, 0
				continue
			}
			part := lfn[(seq-1)*lfnCharsPerEntry:]
			get := func(at, from, count int) {
				for i := 0; i < count; i++ {
					part[at+i] = binary.LittleEndian.Uint16(e[from+2*i:])
				}
			}
			get(0, 1, 5)
			get(5, 14, 6)
			get(11, 28, 2)
			lfnNext--
			continue
		}
		var short [11]byte
		copy(short[:], e[:11])
		name := shortNameString(short)
		if lfn != nil && lfnNext == 0 && lfnChecksum(short) == lfnSum {
			n := len(lfn)
			for i, u := range lfn {
				if u == 0 {
					n = i
					break
				}
			}
			name = string(utf16.Decode(lfn[:n]))
		}
		lfn, lfnNext = nil, 0
		if attr&attrVolumeID != 0 || name == "." || name == ".." {
			continue
		}
		cluster := uint32(binary.LittleEndian.Uint16(e[20:]))<<16 | uint32(binary.LittleEndian.Uint16(e[26:]))
		out = append(out, Entry{
			Name:      name,
			ShortName: shortNameString(short),
			IsDir:     attr&attrDirectory != 0,
			Size:      int64(binary.LittleEndian.Uint32(e[28:])),
			ModTime:   fromDOSTime(binary.LittleEndian.Uint16(e[24:]), binary.LittleEndian.Uint16(e[22:])),
			Cluster:   cluster,
		})
	}
	return out, nil
}

// Stat finds the entry at a slash-separated path; "" or "/" is the root.
func (fs *FS) Stat(path string) (Entry, error) {
	cur := Entry{Name: "/", IsDir: true, Cluster: fs.rootCluster}
	for _, part := range strings.Split(strings.Trim(path, "/"), "/") {
		if part == "" {
			continue
		}
		if !cur.IsDir {
			return Entry{}, fmt.Errorf("fat: %s: %s is not a directory", path, cur.Name)
		}
		entries, err := fs.readDirCluster(cur.Cluster)
		if err != nil {
			return Entry{}, err
		}
		found := false
		for _, e := range entries {
			if strings.EqualFold(e.Name, part) || strings.EqualFold(e.ShortName, part) {
				cur, found = e, true
				break
			}
		}
		if !found {
			return Entry{}, fmt.Errorf("fat: %s: %w", path, ErrNotExist)
		}
	}
	return cur, nil
}

// ReadDir lists the directory at path, in on-disk order.
func (fs *FS) ReadDir(path string) ([]Entry, error) {
	e, err := fs.Stat(path)
	if err != nil {
		return nil, err
	}
	if !e.IsDir {
		return nil, fmt.Errorf("fat: %s is not a directory", path)
	}
	if e.Cluster == 0 {
		e.Cluster = fs.rootCluster // ".." entries name the root as 0
	}
	return fs.readDirCluster(e.Cluster)
}

// ReadFile returns the content of the file at path.
func (fs *FS) ReadFile(path string) ([]byte, error) {
	e, err := fs.Stat(path)
	if err != nil {
		return nil, err
	}
	if e.IsDir {
		return nil, fmt.Errorf("fat: %s is a directory", path)
	}
	if e.Size == 0 {
		return []byte{}, nil
	}
	return fs.readChain(e.Cluster, e.Size)
}
