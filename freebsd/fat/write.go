package fat

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// maxDirEntries is the most entries a FAT directory may hold (2 MiB).
const maxDirEntries = 65536

// maxFileSize is the largest file FAT32's 32-bit size field records.
const maxFileSize = 1<<32 - 1

// node is a file or directory of the volume being written.
type node struct {
	name     string
	dir      bool
	children []*node
	byName   map[string]*node // upper-cased name → child, for FAT's case-insensitive names
	file     File
	size     int64

	short        [11]byte
	needLFN      bool
	firstCluster uint32
	clusters     uint32
}

// Build writes a FAT32 volume of opt.Size bytes holding files to w, at
// offsets 0..opt.Size. It writes every byte of the reserved sectors, the
// FATs and the directories; data clusters that no file uses are left
// untouched, so w should read as zeros there (a new or sparse file) for the
// volume to be byte-for-byte reproducible.
func Build(w io.WriterAt, files []File, opt Options) (*Result, error) {
	g, err := newGeometry(opt.Size)
	if err != nil {
		return nil, err
	}
	label, err := volumeLabel(opt.Label)
	if err != nil {
		return nil, err
	}
	root, err := buildTree(files)
	if err != nil {
		return nil, err
	}
	used, err := allocate(root, g)
	if err != nil {
		return nil, err
	}
	b := &builder{w: w, g: g, opt: opt, label: label}
	b.contentHash = sha256.New()
	fmt.Fprintf(b.contentHash, "fruix-fat32\x00%d\x00%d\x00%s\x00", opt.Size, opt.Timestamp, label)
	if err := b.writeTree(root, nil); err != nil {
		return nil, err
	}
	if err := b.writeFATs(root, used); err != nil {
		return nil, err
	}
	sum := b.contentHash.Sum(nil)
	serial := binary.LittleEndian.Uint32(sum[:4])
	free := g.clusters - (used - 2)
	if err := b.writeReserved(serial, free, used); err != nil {
		return nil, err
	}
	return &Result{
		Serial:          serial,
		Label:           strings.TrimRight(string(label[:]), " "),
		ClusterSize:     int(g.clusterSize()),
		Clusters:        g.clusters,
		FreeClusters:    free,
		SectorsPerFAT:   g.fatSectors,
		DataStartSector: g.dataStart(),
	}, nil
}

// volumeLabel checks and pads a volume label to its 11 bytes.
func volumeLabel(s string) ([11]byte, error) {
	var l [11]byte
	if s == "" {
		s = DefaultLabel
	}
	up := strings.ToUpper(s)
	if len(up) > 11 {
		return l, fmt.Errorf("fat: volume label %q is longer than 11 characters", s)
	}
	for i := 0; i < len(up); i++ {
		if !shortNameChar(up[i]) && up[i] != ' ' {
			return l, fmt.Errorf("fat: volume label %q contains %q; use letters, digits and $%%'-_@~`!(){}^#&", s, up[i])
		}
	}
	for i := range l {
		l[i] = ' '
	}
	copy(l[:], up)
	return l, nil
}

// buildTree turns the file list into a tree of sorted directories.
func buildTree(files []File) (*node, error) {
	root := &node{dir: true, byName: map[string]*node{}}
	for _, f := range files {
		parts := strings.Split(strings.Trim(f.Path, "/"), "/")
		if f.Path == "" || strings.Trim(f.Path, "/") == "" {
			return nil, fmt.Errorf("fat: a file has an empty path")
		}
		dir := root
		for i, part := range parts {
			if err := checkLongName(part); err != nil {
				return nil, fmt.Errorf("fat: %s: %v", f.Path, err)
			}
			key := strings.ToUpper(part)
			child := dir.byName[key]
			last := i == len(parts)-1
			switch {
			case child == nil && last:
				child = &node{name: part, file: f}
				if err := child.statSource(); err != nil {
					return nil, err
				}
				dir.byName[key] = child
				dir.children = append(dir.children, child)
			case child == nil:
				child = &node{name: part, dir: true, byName: map[string]*node{}}
				dir.byName[key] = child
				dir.children = append(dir.children, child)
			case last || !child.dir:
				what := "file"
				if child.dir {
					what = "directory"
				}
				return nil, fmt.Errorf("fat: %s: %q is already a %s in the volume (FAT names ignore case)", f.Path, strings.Join(parts[:i+1], "/"), what)
			case child.name != part:
				return nil, fmt.Errorf("fat: %s: directory %q is also given as %q; FAT names ignore case", f.Path, child.name, part)
			}
			dir = child
		}
	}
	var sortTree func(n *node)
	sortTree = func(n *node) {
		sort.Slice(n.children, func(i, j int) bool { return n.children[i].name < n.children[j].name })
		namer := newShortNamer()
		for _, c := range n.children {
			c.short, c.needLFN = namer.name(c.name)
			if c.dir {
				sortTree(c)
			}
		}
	}
	sortTree(root)
	return root, nil
}

// statSource learns the size of a file whose content comes from the host.
func (n *node) statSource() error {
	if n.file.Source == "" {
		n.size = int64(len(n.file.Data))
	} else {
		st, err := os.Stat(n.file.Source)
		if err != nil {
			return fmt.Errorf("fat: %s: %v", n.file.Path, err)
		}
		if !st.Mode().IsRegular() {
			return fmt.Errorf("fat: %s: source %s is not a regular file", n.file.Path, n.file.Source)
		}
		n.size = st.Size()
	}
	if n.size > maxFileSize {
		return fmt.Errorf("fat: %s: %d bytes is more than the 4 GiB - 1 a FAT file can hold", n.file.Path, n.size)
	}
	return nil
}

// dirEntries is how many 32-byte entries directory n needs.
func (n *node) dirEntries(isRoot bool) int {
	count := 2 // "." and ".."
	if isRoot {
		count = 1 // the volume label
	}
	for _, c := range n.children {
		count++
		if c.needLFN {
			count += lfnEntryCount(c.name)
		}
	}
	return count
}

// allocate gives every directory and non-empty file a contiguous run of
// clusters, in tree order starting with the root at cluster 2. It returns
// the first cluster left free.
func allocate(root *node, g geometry) (uint32, error) {
	next := uint64(rootCluster)
	limit := uint64(g.clusters) + 2
	clusterSize := uint64(g.clusterSize())
	var walk func(n *node, isRoot bool, path string) error
	walk = func(n *node, isRoot bool, path string) error {
		var bytes uint64
		if n.dir {
			entries := n.dirEntries(isRoot)
			if entries > maxDirEntries {
				return fmt.Errorf("fat: directory /%s needs %d entries; FAT allows %d", path, entries, maxDirEntries)
			}
			bytes = uint64(entries) * dirEntrySize
		} else {
			bytes = uint64(n.size)
		}
		count := (bytes + clusterSize - 1) / clusterSize
		if n.dir && count == 0 {
			count = 1
		}
		if count > 0 {
			n.firstCluster, n.clusters = uint32(next), uint32(count)
			next += count
		}
		if next > limit {
			return fmt.Errorf("fat: the files do not fit: the volume has %d clusters of %d bytes (%s)", g.clusters, clusterSize, formatSize(int64(g.clusters)*int64(clusterSize)))
		}
		for _, c := range n.children {
			if err := walk(c, false, strings.TrimPrefix(path+"/"+c.name, "/")); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root, true, ""); err != nil {
		return 0, err
	}
	return uint32(next), nil
}

type builder struct {
	w           io.WriterAt
	g           geometry
	opt         Options
	label       [11]byte
	contentHash interface {
		io.Writer
		Sum([]byte) []byte
	}
}

// writeTree writes the directories and file data of n and below.
func (b *builder) writeTree(n, parent *node) error {
	if !n.dir {
		return b.writeFile(n)
	}
	var buf bytes.Buffer
	date, tim, tenths := dosTime(b.opt.Timestamp)
	entry := func(name [11]byte, attr byte, cluster uint32, size uint32) {
		var e [dirEntrySize]byte
		copy(e[0:11], name[:])
		e[11] = attr
		e[13] = tenths
		binary.LittleEndian.PutUint16(e[14:], tim)
		binary.LittleEndian.PutUint16(e[16:], date)
		binary.LittleEndian.PutUint16(e[18:], date)
		binary.LittleEndian.PutUint16(e[20:], uint16(cluster>>16))
		binary.LittleEndian.PutUint16(e[22:], tim)
		binary.LittleEndian.PutUint16(e[24:], date)
		binary.LittleEndian.PutUint16(e[26:], uint16(cluster))
		binary.LittleEndian.PutUint32(e[28:], size)
		if attr == attrVolumeID {
			// A label entry carries only its write time.
			e[13] = 0
			copy(e[14:20], make([]byte, 6))
		}
		buf.Write(e[:])
	}
	if parent == nil {
		entry(b.label, attrVolumeID, 0, 0)
	} else {
		entry(packDots("."), attrDirectory, n.firstCluster, 0)
		up := parent.firstCluster
		if up == rootCluster {
			up = 0 // ".." of a root child names the root as cluster 0
		}
		entry(packDots(".."), attrDirectory, up, 0)
	}
	for _, c := range n.children {
		if c.needLFN {
			buf.Write(longNameEntries(c.name, c.short))
		}
		if c.dir {
			entry(c.short, attrDirectory, c.firstCluster, 0)
		} else {
			entry(c.short, attrArchive, c.firstCluster, uint32(c.size))
		}
	}
	data := make([]byte, int64(n.clusters)*b.g.clusterSize())
	copy(data, buf.Bytes())
	if _, err := b.w.WriteAt(data, b.g.clusterOffset(n.firstCluster)); err != nil {
		return fmt.Errorf("fat: writing directory: %w", err)
	}
	for _, c := range n.children {
		if err := b.writeTree(c, n); err != nil {
			return err
		}
	}
	return nil
}

func packDots(s string) [11]byte {
	var n [11]byte
	for i := range n {
		n[i] = ' '
	}
	copy(n[:], s)
	return n
}

// writeFile copies a file's content into its clusters and pads the last
// cluster with zeros; it also feeds the content to the serial-number hash.
func (b *builder) writeFile(n *node) error {
	fmt.Fprintf(b.contentHash, "%s\x00%d\x00", n.file.Path, n.size)
	if n.size == 0 {
		return nil
	}
	var src io.Reader
	if n.file.Source == "" {
		src = bytes.NewReader(n.file.Data)
	} else {
		f, err := os.Open(n.file.Source)
		if err != nil {
			return fmt.Errorf("fat: %s: %v", n.file.Path, err)
		}
		defer f.Close()
		src = f
	}
	off := b.g.clusterOffset(n.firstCluster)
	dst := io.NewOffsetWriter(b.w, off)
	copied, err := io.Copy(io.MultiWriter(dst, b.contentHash), io.LimitReader(src, n.size))
	if err != nil {
		return fmt.Errorf("fat: %s: %v", n.file.Path, err)
	}
	if copied != n.size {
		return fmt.Errorf("fat: %s: source shrank from %d to %d bytes while the volume was written", n.file.Path, n.size, copied)
	}
	if pad := int64(n.clusters)*b.g.clusterSize() - n.size; pad > 0 {
		if _, err := b.w.WriteAt(make([]byte, pad), off+n.size); err != nil {
			return fmt.Errorf("fat: %s: %v", n.file.Path, err)
		}
	}
	return nil
}

// writeFATs writes both copies of the FAT: the chains of the allocated
// clusters, then zeros (free) up to the end of each copy.
func (b *builder) writeFATs(root *node, used uint32) error {
	fat := make([]byte, 4*int(used))
	binary.LittleEndian.PutUint32(fat[0:], 0x0FFFFF00|mediaByte)
	// Entry 1: end of chain, with the "clean shutdown" and "no I/O
	// error" bits set.
	binary.LittleEndian.PutUint32(fat[4:], endOfChain)
	var chain func(n *node)
	chain = func(n *node) {
		for i := uint32(0); i < n.clusters; i++ {
			c := n.firstCluster + i
			next := uint32(endOfChain)
			if i+1 < n.clusters {
				next = c + 1
			}
			binary.LittleEndian.PutUint32(fat[4*c:], next)
		}
		for _, c := range n.children {
			chain(c)
		}
	}
	chain(root)
	fatBytes := int64(b.g.fatSectors) * SectorSize
	zeros := make([]byte, 64<<10)
	for i := int64(0); i < numFATs; i++ {
		start := reservedSectors*SectorSize + i*fatBytes
		if _, err := b.w.WriteAt(fat, start); err != nil {
			return fmt.Errorf("fat: writing the FAT: %w", err)
		}
		for off := int64(len(fat)); off < fatBytes; off += int64(len(zeros)) {
			n := min(int64(len(zeros)), fatBytes-off)
			if _, err := b.w.WriteAt(zeros[:n], start+off); err != nil {
				return fmt.Errorf("fat: writing the FAT: %w", err)
			}
		}
	}
	return nil
}

// writeReserved writes the reserved area: the boot sector, the FSInfo
// sector and their backups at sector 6, zeros elsewhere.
func (b *builder) writeReserved(serial, free, nextFree uint32) error {
	area := make([]byte, reservedSectors*SectorSize)
	boot := area[:SectorSize]
	// A short jump over the BPB to code that halts: an ESP is never
	// booted by a BIOS, but its first bytes must look like a jump.
	copy(boot[0:3], []byte{0xEB, 0x58, 0x90})
	copy(boot[3:11], "FRUIX   ")
	binary.LittleEndian.PutUint16(boot[11:], SectorSize)
	boot[13] = byte(b.g.sectorsPerCluster)
	binary.LittleEndian.PutUint16(boot[14:], reservedSectors)
	boot[16] = numFATs
	// 17..20: root entries and 16-bit sector count, zero on FAT32.
	boot[21] = mediaByte
	binary.LittleEndian.PutUint16(boot[24:], 63)  // sectors per track
	binary.LittleEndian.PutUint16(boot[26:], 255) // heads
	binary.LittleEndian.PutUint32(boot[28:], b.opt.HiddenSectors)
	binary.LittleEndian.PutUint32(boot[32:], b.g.totalSectors)
	binary.LittleEndian.PutUint32(boot[36:], b.g.fatSectors)
	// 40: flags (FATs mirrored), 42: version 0.0.
	binary.LittleEndian.PutUint32(boot[44:], rootCluster)
	binary.LittleEndian.PutUint16(boot[48:], fsInfoSector)
	binary.LittleEndian.PutUint16(boot[50:], backupBootSect)
	boot[64] = 0x80 // drive number
	boot[66] = 0x29 // extended boot signature: serial, label and type follow
	binary.LittleEndian.PutUint32(boot[67:], serial)
	copy(boot[71:82], b.label[:])
	copy(boot[82:90], "FAT32   ")
	copy(boot[90:], []byte{0xFA, 0xF4, 0xEB, 0xFD}) // cli; hlt; jmp back to hlt
	boot[510], boot[511] = 0x55, 0xAA

	info := area[fsInfoSector*SectorSize : (fsInfoSector+1)*SectorSize]
	binary.LittleEndian.PutUint32(info[0:], 0x41615252)
	binary.LittleEndian.PutUint32(info[484:], 0x61417272)
	binary.LittleEndian.PutUint32(info[488:], free)
	binary.LittleEndian.PutUint32(info[492:], nextFree)
	binary.LittleEndian.PutUint32(info[508:], 0xAA550000)

	// Sector 2 is the third sector of the boot record; it carries only
	// the signature.
	area[2*SectorSize+510], area[2*SectorSize+511] = 0x55, 0xAA
	copy(area[backupBootSect*SectorSize:], area[:3*SectorSize])
	if _, err := b.w.WriteAt(area, 0); err != nil {
		return fmt.Errorf("fat: writing the boot sector: %w", err)
	}
	return nil
}
