package ufs

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"

	"fruix.dev/fruix/freebsd/mtree"
)

// Build writes a UFS2 file system holding the tree at root (with the spec,
// if not nil, giving owners, modes, flags and extra entries) to w, from
// byte 0. w should be a new, empty file: free space is not written, so an
// *os.File output stays sparse. root may be "" when the spec names every
// file's contents.
func Build(w io.WriterAt, root string, spec *mtree.Spec, opt Options) (*Result, error) {
	if err := normalize(&opt); err != nil {
		return nil, err
	}
	t, err := scanTree(root, spec, &opt)
	if err != nil {
		return nil, err
	}
	need, err := t.measure(&opt)
	if err != nil {
		return nil, err
	}
	size := opt.Size
	if size == 0 {
		if size, err = need.sizeFor(&opt, opt.FreeSpacePercent, opt.MinFree); err != nil {
			return nil, err
		}
	}
	g, err := newGeometry(size, &opt)
	if err != nil {
		return nil, err
	}
	if need.frags > g.dataFrags() || need.inodes > g.inodes() {
		min, err := need.sizeFor(&opt, 0, 0)
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("ufs: tree needs %d bytes (%d inodes, %d fragments of %d bytes) but the file system has %d (%d inodes, %d fragments for data)",
			min, need.inodes, need.frags, g.fsize, g.size*g.fsize, g.inodes(), g.dataFrags())
	}
	b := newBuilder(w, g, t, &opt)
	b.progressTotal = need.bytes
	if err := b.writeInodes(); err != nil {
		return nil, err
	}
	if err := b.finish(); err != nil {
		return nil, err
	}
	return b.result(need), nil
}

// SizeFor returns the size in bytes Build would choose for the tree when
// Options.Size is 0: what the tree needs plus Options.FreeSpacePercent and
// the minfree reserve.
func SizeFor(root string, spec *mtree.Spec, opt Options) (int64, error) {
	if err := normalize(&opt); err != nil {
		return 0, err
	}
	t, err := scanTree(root, spec, &opt)
	if err != nil {
		return 0, err
	}
	need, err := t.measure(&opt)
	if err != nil {
		return 0, err
	}
	return need.sizeFor(&opt, opt.FreeSpacePercent, opt.MinFree)
}

// needs is what a tree takes: fragments (an upper bound: blocks of zeros
// become holes when written) and inodes (0 and 1 included).
type needs struct {
	frags, inodes int64
	bytes         int64 // logical bytes of regular files
	files, dirs   int64
	symlinks      int64
}

func (t *tree) measure(opt *Options) (*needs, error) {
	g := &geometry{bsize: int64(opt.BlockSize), fsize: int64(opt.FragSize)}
	g.frag = g.bsize / g.fsize
	n := &needs{inodes: int64(len(t.inodes)) + rootIno}
	maxSize := maxFileSize(g.bsize)
	for _, nd := range t.inodes {
		switch nd.ftype {
		case ifreg:
			n.files++
			n.bytes += nd.size
			if uint64(nd.size) > maxSize {
				return nil, fmt.Errorf("ufs: %s: %d bytes, more than the %d a UFS2 file can hold with %d-byte blocks", nd.describe(), nd.size, maxSize, g.bsize)
			}
			ext := [][2]int64{{0, nd.size}}
			if src := t.source(nd); src != "" && nd.size > 0 && nd.sparse {
				f, err := openSource(src)
				if err != nil {
					return nil, fmt.Errorf("ufs: %w", err)
				}
				ext = dataExtents(f, nd.size)
				f.Close()
			}
			n.frags += planFrags(blockPlan(nd.size, g.bsize, ext), nd.size, g)
		case ifdir:
			n.dirs++
			sz := dirSize(nd)
			n.frags += planFrags(blockPlan(sz, g.bsize, [][2]int64{{0, sz}}), sz, g)
		case iflnk:
			n.symlinks++
			if len(nd.target) >= maxSymlink {
				n.frags += howmany(int64(len(nd.target)), g.fsize)
			}
			if len(nd.target) >= 1024 {
				return nil, fmt.Errorf("ufs: %s: link target of %d bytes is longer than PATH_MAX", nd.describe(), len(nd.target))
			}
		}
	}
	return n, nil
}

// sizeFor finds the smallest size whose geometry holds the tree with
// margin percent of the data to spare and minfree percent kept free.
func (n *needs) sizeFor(opt *Options, margin, minfree int) (int64, error) {
	o := *opt
	wantFrags := n.frags + n.frags*int64(margin)/100
	wantFrags = wantFrags * 100 / int64(100-minfree)
	wantInodes := n.inodes + n.inodes*int64(margin)/100
	fsize, bsize := int64(o.FragSize), int64(o.BlockSize)
	size := max(wantFrags*fsize+wantInodes*dinodeSize, 1<<20)
	size = roundup(size, bsize)
	for i := 0; i < 200; i++ {
		// Make enough inodes at this size, denser than asked if need be.
		o.BytesPerInode = opt.BytesPerInode
		if per := size / max(wantInodes, 1) / fsize * fsize; per < int64(o.BytesPerInode) {
			o.BytesPerInode = int(max(per, fsize))
		}
		g, err := newGeometry(size, &o)
		if err == nil && g.dataFrags() >= wantFrags && g.inodes() >= wantInodes {
			if o.BytesPerInode != opt.BytesPerInode {
				// Build must then use the same density.
				opt.BytesPerInode = o.BytesPerInode
			}
			return size, nil
		}
		grow := size / 16
		if g != nil && g.dataFrags() < wantFrags {
			grow = max(grow, (wantFrags-g.dataFrags())*fsize)
		}
		size = roundup(size+max(grow, bsize), bsize)
	}
	return 0, fmt.Errorf("ufs: cannot find a file system size for %d fragments and %d inodes", n.frags, n.inodes)
}

// dirSize is the size of a directory's entries laid out in DIRBLKSIZ
// chunks that no entry crosses.
func dirSize(n *node) int64 {
	var off, chunks int64
	add := func(name string) {
		sz := int64(direntSize(len(name)))
		if off == 0 || off+sz > dirBlkSize {
			chunks++
			off = 0
		}
		off += sz
	}
	add(".")
	add("..")
	for _, c := range n.children {
		add(c.name)
	}
	return chunks * dirBlkSize
}

// dirBytes renders a directory's entries (sys/ufs/ufs/dir.h struct direct):
// d_ino, d_reclen, d_type, d_namlen, the name and a NUL, padded to 4
// bytes; the last entry of each chunk stretches to the chunk's end.
func dirBytes(n *node) []byte {
	out := make([]byte, dirBlkSize, dirSize(n))
	var chunk, off, last int
	put := func(name string, ino uint32, typ uint8) {
		sz := direntSize(len(name))
		if off+sz > dirBlkSize {
			binary.LittleEndian.PutUint16(out[chunk+last+4:], uint16(dirBlkSize-last))
			chunk += dirBlkSize
			out = append(out, make([]byte, dirBlkSize)...)
			off = 0
		}
		e := out[chunk+off:]
		binary.LittleEndian.PutUint32(e, ino)
		binary.LittleEndian.PutUint16(e[4:], uint16(sz))
		e[6] = typ
		e[7] = uint8(len(name))
		copy(e[8:], name)
		last = off
		off += sz
	}
	put(".", n.ino, DT_DIR)
	parent := n
	if n.parent != nil {
		parent = n.parent
	}
	put("..", parent.ino, DT_DIR)
	for _, c := range n.children {
		o := c.owner()
		put(c.name, o.ino, dtype(o.ftype))
	}
	binary.LittleEndian.PutUint16(out[chunk+last+4:], uint16(dirBlkSize-last))
	return out
}

func (n *node) owner() *node {
	for n.linkTo != nil {
		n = n.linkTo
	}
	return n
}

func dtype(ftype uint16) uint8 {
	switch ftype {
	case ifreg:
		return DT_REG
	case ifdir:
		return DT_DIR
	case iflnk:
		return DT_LNK
	case ififo:
		return DT_FIFO
	case ifchr:
		return DT_CHR
	case ifblk:
		return DT_BLK
	case ifsock:
		return DT_SOCK
	}
	return DT_UNKNOWN
}

// builder holds the state of one Build.
type builder struct {
	w     *coalescer
	g     *geometry
	t     *tree
	opt   *Options
	alloc *allocator

	inoBlk    []byte // the inode block being filled
	inoBlkIdx int64  // its index (ino / INOPB), -1 none
	maxIno    int64
	dirsPerCg []int32
	total     csumTotal

	buf           []byte
	progressDone  int64
	progressTotal int64
	hashState     interface {
		Write([]byte) (int, error)
		Sum([]byte) []byte
	}
}

func newBuilder(w io.WriterAt, g *geometry, t *tree, opt *Options) *builder {
	b := &builder{
		w:         &coalescer{w: w, max: 1 << 20},
		g:         g,
		t:         t,
		opt:       opt,
		alloc:     newAllocator(g),
		inoBlk:    make([]byte, g.bsize),
		inoBlkIdx: -1,
		dirsPerCg: make([]int32, g.ncg),
		buf:       make([]byte, 1<<20),
		hashState: sha256.New(),
	}
	return b
}

// gen derives an inode's generation number from the timestamp and the
// inode number (newfs draws it at random; Fruix must be reproducible).
func (b *builder) gen(ino uint32) uint32 {
	x := uint64(b.opt.Timestamp.UnixNano()) ^ uint64(ino)*0x9e3779b97f4a7c15
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return uint32(x) | 1
}

func (b *builder) writeInodes() error {
	for _, n := range b.t.inodes {
		if err := b.writeInode(n); err != nil {
			return err
		}
	}
	return b.flushInodeBlock()
}

func (b *builder) writeInode(n *node) error {
	d := &dinode{
		Mode:      n.ftype | n.perm,
		Nlink:     uint16(n.nlink),
		Uid:       n.uid,
		Gid:       n.gid,
		Flags:     n.flags,
		Gen:       b.gen(n.ino),
		Atime:     n.mtime.Unix(),
		Mtime:     n.mtime.Unix(),
		Ctime:     n.mtime.Unix(),
		Birthtime: n.mtime.Unix(),
		Atimensec: int32(n.mtime.Nanosecond()),
		Mtimensec: int32(n.mtime.Nanosecond()),
		Ctimensec: int32(n.mtime.Nanosecond()),
		Birthnsec: int32(n.mtime.Nanosecond()),
	}
	var c *content
	switch n.ftype {
	case ifreg:
		c = &content{size: n.size}
		if src := b.t.source(n); src != "" && n.size > 0 {
			f, err := openSource(src)
			if err != nil {
				return fmt.Errorf("ufs: %w", err)
			}
			c.file = f
			c.extents = [][2]int64{{0, n.size}}
			if n.sparse {
				c.extents = dataExtents(f, n.size)
			}
		}
	case ifdir:
		data := dirBytes(n)
		c = &content{size: int64(len(data)), data: data, extents: [][2]int64{{0, int64(len(data))}}}
		d.Dirdepth = n.depth
		b.dirsPerCg[int64(n.ino)/b.g.ipg]++
	case iflnk:
		if len(n.target) < maxSymlink {
			d.Size = uint64(len(n.target))
			var short [maxSymlink]byte
			copy(short[:], n.target)
			for i := range d.DB {
				d.DB[i] = int64(binary.LittleEndian.Uint64(short[8*i:]))
			}
			for i := range d.IB {
				d.IB[i] = int64(binary.LittleEndian.Uint64(short[8*(nDAddr+i):]))
			}
		} else {
			data := []byte(n.target)
			c = &content{size: int64(len(data)), data: data, extents: [][2]int64{{0, int64(len(data))}}}
		}
	case ifchr, ifblk:
		d.DB[0] = int64(n.rdev)
	}
	if c != nil {
		err := b.writeContent(n, d, c)
		c.close()
		if err != nil {
			return err
		}
	}
	return b.putDinode(int64(n.ino), d)
}

// writeContent allocates and writes a file's blocks, filling the inode's
// block pointers, size and block count.
func (b *builder) writeContent(n *node, d *dinode, c *content) error {
	g := b.g
	d.Size = uint64(c.size)
	lbns := blockPlan(c.size, g.bsize, c.extents)
	if len(lbns) == 0 {
		return nil
	}
	nindir := g.bsize / 8
	indirs := map[indirKey]*indirBlock{}
	var order []*indirBlock // in allocation order, written at the end
	var frags, counted int64
	lastLbn := lbns[len(lbns)-1]
	chunkStart, chunkLen := int64(-1), int64(0)
	for _, lbn := range lbns {
		off := lbn * g.bsize
		// Read ahead in chunks of up to 1 MiB of consecutive blocks.
		if chunkStart < 0 || off < chunkStart || off+g.bsize > chunkStart+chunkLen {
			chunkStart = off
			chunkLen = min(int64(len(b.buf)), roundup(c.size-off, g.bsize))
			if err := c.readAt(b.buf[:chunkLen], off); err != nil {
				return err
			}
		}
		blk := b.buf[off-chunkStart : off-chunkStart+g.bsize]
		if c.file != nil && lbn != lastLbn && allZero(blk) {
			continue // a hole; directories and links never have one
		}
		nf := tailFrags(lbn, c.size, g)
		var addr int64
		if lbn >= nDAddr {
			keys, slots, top := indirectsFor(lbn, nindir)
			if top < 0 {
				return fmt.Errorf("ufs: %s: too large for UFS2", n.describe())
			}
			var parent *indirBlock
			for i, k := range keys {
				ib := indirs[k]
				if ib == nil {
					a, err := b.alloc.block()
					if err != nil {
						return b.full(err)
					}
					ib = &indirBlock{addr: a, ptrs: make([]int64, nindir)}
					indirs[k] = ib
					order = append(order, ib)
					frags += g.frag
					if i == 0 {
						d.IB[top] = a
					} else {
						parent.ptrs[slots[i-1]] = a
					}
				}
				parent = ib
			}
			a, err := b.alloc.block()
			if err != nil {
				return b.full(err)
			}
			addr = a
			parent.ptrs[slots[len(slots)-1]] = addr
		} else {
			var err error
			if nf == g.frag {
				addr, err = b.alloc.block()
			} else {
				addr, err = b.alloc.frags(nf)
			}
			if err != nil {
				return b.full(err)
			}
			d.DB[lbn] = addr
		}
		frags += nf
		n := nf * g.fsize
		if err := b.w.WriteAt(blk[:n], addr*g.fsize); err != nil {
			return err
		}
		if c.file != nil {
			n := min(g.bsize, c.size-off)
			counted += n
			b.progress(n)
		}
	}
	if c.file != nil && counted < c.size {
		b.progress(c.size - counted) // holes
	}
	for _, ib := range order {
		raw := make([]byte, g.bsize)
		for i, p := range ib.ptrs {
			binary.LittleEndian.PutUint64(raw[8*i:], uint64(p))
		}
		if err := b.w.WriteAt(raw, ib.addr*g.fsize); err != nil {
			return err
		}
	}
	d.Blocks = uint64(frags * g.fsize / devBSize)
	return nil
}

type indirBlock struct {
	addr int64
	ptrs []int64
}

func (b *builder) full(err error) error {
	return fmt.Errorf("ufs: the file system of %d bytes is full: %v", b.g.size*b.g.fsize, err)
}

func (b *builder) progress(n int64) {
	b.progressDone += n
	if b.opt.Progress != nil {
		b.opt.Progress(b.progressDone, b.progressTotal)
	}
}

func allZero(p []byte) bool {
	for len(p) >= 8 {
		if binary.LittleEndian.Uint64(p) != 0 {
			return false
		}
		p = p[8:]
	}
	for _, c := range p {
		if c != 0 {
			return false
		}
	}
	return true
}

// putDinode places an inode in the inode block being filled, writing the
// previous block out when ino moves past it.
func (b *builder) putDinode(ino int64, d *dinode) error {
	idx := ino / b.g.inopb
	if idx != b.inoBlkIdx {
		if err := b.flushInodeBlock(); err != nil {
			return err
		}
		b.inoBlkIdx = idx
	}
	raw := d.encode(b.opt.MetaCheckHashes)
	b.hashState.Write(raw)
	copy(b.inoBlk[(ino%b.g.inopb)*dinodeSize:], raw)
	b.maxIno = max(b.maxIno, ino)
	return nil
}

func (b *builder) flushInodeBlock() error {
	if b.inoBlkIdx < 0 {
		return nil
	}
	first := b.inoBlkIdx * b.g.inopb
	if err := b.w.WriteAt(b.inoBlk, b.inodeBlockAddr(first)*b.g.fsize); err != nil {
		return err
	}
	clear(b.inoBlk)
	b.inoBlkIdx = -1
	return nil
}

// inodeBlockAddr is ino_to_fsba.
func (b *builder) inodeBlockAddr(ino int64) int64 {
	g := b.g
	cg := ino / g.ipg
	return cg*g.fpg + g.iblkno + ((ino%g.ipg)/g.inopb)*g.frag
}

// coalescer merges adjacent writes into larger ones.
type coalescer struct {
	w   io.WriterAt
	max int
	off int64
	buf []byte
}

func (c *coalescer) WriteAt(p []byte, off int64) error {
	if len(c.buf) > 0 && off == c.off+int64(len(c.buf)) && len(c.buf)+len(p) <= c.max {
		c.buf = append(c.buf, p...)
		return nil
	}
	if err := c.flush(); err != nil {
		return err
	}
	if len(p) >= c.max {
		_, err := c.w.WriteAt(p, off)
		return wrapWrite(err)
	}
	c.off = off
	c.buf = append(c.buf[:0], p...)
	return nil
}

func (c *coalescer) flush() error {
	if len(c.buf) == 0 {
		return nil
	}
	_, err := c.w.WriteAt(c.buf, c.off)
	c.buf = c.buf[:0]
	return wrapWrite(err)
}

func wrapWrite(err error) error {
	if err != nil {
		return fmt.Errorf("ufs: writing the image: %w", err)
	}
	return nil
}
