package ufs

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
)

// Check verifies a UFS2 file system the way fsck_ffs does, without
// changing it, and returns every inconsistency found (none: a clean file
// system). It checks the superblock and its copies (validate_sblock), each
// cylinder group's header (fsck_ffs's check_cgmagic) and check hashes,
// every allocated inode and its block pointers (pass 1: each fragment
// referenced at most once, never in metadata, sizes and block counts
// consistent), the directory tree (pass 2: entries well formed, "." and
// ".." right, types matching), link counts (pass 4), and the block and
// inode maps, fragment and cluster summaries, cylinder-group summaries and
// superblock totals recomputed from scratch (pass 5).
func Check(r io.ReaderAt, size int64) []Problem {
	c := &checker{r: r, size: size}
	c.run()
	return c.problems
}

type checker struct {
	r        io.ReaderAt
	size     int64
	sb       superblock
	sbRaw    []byte
	problems []Problem

	meta, ref []uint64 // per fragment: metadata, referenced by an inode
	inodes    map[uint32]*inodeInfo
	cgs       []*cgInfo
}

type inodeInfo struct {
	d       dinode
	refs    int
	parent  uint32 // for directories: the directory holding it
	path    string
	reached bool
}

type cgInfo struct {
	h   cgHeader
	raw []byte
}

func (c *checker) add(where, format string, args ...any) {
	if len(c.problems) >= 1000 {
		if len(c.problems) == 1000 {
			c.problems = append(c.problems, Problem{"check", "too many problems; stopped reporting"})
		}
		return
	}
	c.problems = append(c.problems, Problem{where, fmt.Sprintf(format, args...)})
}

func (c *checker) read(p []byte, off int64) bool {
	if _, err := c.r.ReadAt(p, off); err != nil {
		c.add("image", "reading %d bytes at %d: %v", len(p), off, err)
		return false
	}
	return true
}

func bit(m []uint64, i int64) bool { return m[i/64]&(1<<(uint(i)%64)) != 0 }
func setBit(m []uint64, i int64)   { m[i/64] |= 1 << (uint(i) % 64) }

func (c *checker) run() {
	c.sbRaw = make([]byte, sblockSize)
	if !c.read(c.sbRaw, sblockUFS2) {
		return
	}
	unmarshal(c.sbRaw[:fsSize], &c.sb)
	if err := ValidateSuperblock(c.sbRaw); err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			c.add("superblock", "%s", line)
		}
		return
	}
	sb := &c.sb
	if end := sb.Size * int64(sb.Fsize); c.size > 0 && end > c.size {
		c.add("superblock", "file system of %d bytes in an image of %d", end, c.size)
		return
	}
	if sb.Cstotal.Numclusters != 0 {
		c.add("superblock", "fs_cstotal.cs_numclusters is %d, want 0", sb.Cstotal.Numclusters)
	}
	c.checkRecovery()
	c.meta = make([]uint64, (sb.Size+63)/64)
	c.ref = make([]uint64, (sb.Size+63)/64)
	c.markMeta()
	c.readGroups()
	c.passInodes()
	c.passDirs()
	c.passLinks()
	c.passMaps()
	c.namePaths()
}

// namePaths adds the path, once the tree walk found it, to problems
// reported against an inode number.
func (c *checker) namePaths() {
	for i, p := range c.problems {
		var ino uint32
		if n, err := fmt.Sscanf(p.Where, "inode %d", &ino); n != 1 || err != nil {
			continue
		}
		if in, ok := c.inodes[ino]; ok && in.path != "" {
			c.problems[i].Where = fmt.Sprintf("inode %d (%s)", ino, in.path)
		}
	}
}

// checkRecovery compares the struct fsrecovery newfs leaves before the
// superblock (for ffs_sbsearch to find the copies) with the superblock,
// when there is one.
func (c *checker) checkRecovery() {
	rec := make([]byte, 20)
	if !c.read(rec, sblockUFS2-20) {
		return
	}
	if binary.LittleEndian.Uint32(rec) != fsUFS2Magic {
		return // none: newfs writes one, other tools may not
	}
	sb := &c.sb
	for i, f := range []struct {
		name string
		want uint32
	}{{"fsr_fsbtodb", uint32(sb.Fsbtodb)}, {"fsr_sblkno", uint32(sb.Sblkno)}, {"fsr_fpg", uint32(sb.Fpg)}, {"fsr_ncg", sb.Ncg}} {
		if got := binary.LittleEndian.Uint32(rec[4+4*i:]); got != f.want {
			c.add("recovery record", "%s %d, the superblock says %d", f.name, got, f.want)
		}
	}
}

func (c *checker) markMeta() {
	sb := &c.sb
	mark := func(from, n int64) {
		for i := from; i < from+n && i < sb.Size; i++ {
			setBit(c.meta, i)
		}
	}
	mark(0, int64(sb.Sblkno))
	for cg := int64(0); cg < int64(sb.Ncg); cg++ {
		mark(sb.cgsblock(cg), int64(sb.Dblkno-sb.Sblkno))
	}
	mark(sb.Csaddr, howmany(int64(sb.Cssize), int64(sb.Fsize)))
}

// readGroups checks each cylinder group header as fsck_ffs's
// check_cgmagic does, and each superblock copy.
func (c *checker) readGroups() {
	sb := &c.sb
	fsize := int64(sb.Fsize)
	for cg := int64(0); cg < int64(sb.Ncg); cg++ {
		where := fmt.Sprintf("cg %d", cg)
		raw := make([]byte, sb.Cgsize)
		if !c.read(raw, sb.cgtod(cg)*fsize) {
			c.cgs = append(c.cgs, nil)
			continue
		}
		ci := &cgInfo{raw: raw}
		unmarshal(raw[:cgHeaderSize], &ci.h)
		h := &ci.h
		if sb.Metackhash&ckCylGrp != 0 {
			tmp := append([]byte(nil), raw...)
			clear(tmp[132:136])
			if got := crc32c(tmp); got != h.Ckhash {
				c.add(where, "check hash %#x, computed %#x", h.Ckhash, got)
			}
		}
		chk := func(bad bool, what string, got, want int64) {
			if bad {
				c.add(where, "%s: %d, want %d", what, got, want)
			}
		}
		chk(h.Magic != cgMagic, "cg_magic", int64(h.Magic), cgMagic)
		chk(int64(h.Cgx) != cg, "cg_cgx", int64(h.Cgx), cg)
		ndblk := int64(sb.Fpg)
		if sb.cgbase(cg)+ndblk >= sb.Size {
			ndblk = sb.Size - sb.cgbase(cg)
		}
		chk(int64(h.Ndblk) != ndblk, "cg_ndblk", int64(h.Ndblk), ndblk)
		chk(h.Niblk != sb.Ipg, "cg_niblk", int64(h.Niblk), int64(sb.Ipg))
		chk(h.Initediblk > sb.Ipg, "cg_initediblk", int64(h.Initediblk), int64(sb.Ipg))
		chk(h.Iusedoff != cgHeaderSize, "cg_iusedoff", int64(h.Iusedoff), cgHeaderSize)
		freeoff := int64(h.Iusedoff) + howmany(int64(sb.Ipg), 8)
		chk(int64(h.Freeoff) != freeoff, "cg_freeoff", int64(h.Freeoff), freeoff)
		next := freeoff + howmany(int64(sb.Fpg), 8)
		var sumoff, cloff int64
		if sb.Contigsumsize > 0 {
			chk(int64(h.Nclusterblks) != int64(h.Ndblk)/int64(sb.Frag), "cg_nclusterblks", int64(h.Nclusterblks), int64(h.Ndblk)/int64(sb.Frag))
			sumoff = roundup(next, 4) - 4
			chk(int64(h.Clustersumoff) != sumoff, "cg_clustersumoff", int64(h.Clustersumoff), sumoff)
			cloff = sumoff + int64(sb.Contigsumsize+1)*4
			chk(int64(h.Clusteroff) != cloff, "cg_clusteroff", int64(h.Clusteroff), cloff)
			next = cloff + howmany(int64(sb.Fpg/sb.Frag), 8)
		}
		chk(int64(h.Nextfreeoff) != next, "cg_nextfreeoff", int64(h.Nextfreeoff), next)
		// Only a group whose maps are where they belong is read further.
		sound := h.Magic == cgMagic && h.Iusedoff == cgHeaderSize && int64(h.Freeoff) == freeoff &&
			int64(h.Nextfreeoff) == next && next <= int64(len(raw)) &&
			h.Initediblk <= sb.Ipg && int64(h.Ndblk) <= int64(sb.Fpg) &&
			(sb.Contigsumsize <= 0 || (int64(h.Nclusterblks) == int64(h.Ndblk)/int64(sb.Frag) &&
				int64(h.Clustersumoff) == sumoff && int64(h.Clusteroff) == cloff))
		if !sound {
			c.cgs = append(c.cgs, nil)
			continue
		}
		c.cgs = append(c.cgs, ci)
		// The superblock copy of this group.
		loc := sb.cgsblock(cg) * fsize
		alt := make([]byte, sb.Sbsize)
		if !c.read(alt, loc) {
			continue
		}
		if err := validateSuperblock(alt, true); err != nil {
			c.add(where, "superblock copy: %v", err)
			continue
		}
		var s superblock
		unmarshal(alt[:fsSize], &s)
		if s.Sblockactualloc != loc {
			c.add(where, "superblock copy: fs_sblockactualloc %d, want %d", s.Sblockactualloc, loc)
		}
		// The kernel updates only the primary superblock, so copies keep
		// newfs's counts and times; the geometry must agree.
		for _, f := range []struct {
			name      string
			got, want int64
		}{
			{"fs_sblkno", int64(s.Sblkno), int64(sb.Sblkno)},
			{"fs_cblkno", int64(s.Cblkno), int64(sb.Cblkno)},
			{"fs_iblkno", int64(s.Iblkno), int64(sb.Iblkno)},
			{"fs_dblkno", int64(s.Dblkno), int64(sb.Dblkno)},
			{"fs_ncg", int64(s.Ncg), int64(sb.Ncg)},
			{"fs_bsize", int64(s.Bsize), int64(sb.Bsize)},
			{"fs_fsize", int64(s.Fsize), int64(sb.Fsize)},
			{"fs_fpg", int64(s.Fpg), int64(sb.Fpg)},
			{"fs_ipg", int64(s.Ipg), int64(sb.Ipg)},
			{"fs_size", s.Size, sb.Size},
			{"fs_csaddr", s.Csaddr, sb.Csaddr},
			{"fs_cssize", int64(s.Cssize), int64(sb.Cssize)},
			{"fs_cgsize", int64(s.Cgsize), int64(sb.Cgsize)},
			{"fs_contigsumsize", int64(s.Contigsumsize), int64(sb.Contigsumsize)},
		} {
			if f.got != f.want {
				c.add(where, "superblock copy: %s %d, the superblock says %d", f.name, f.got, f.want)
			}
		}
	}
}

// passInodes reads every initialized inode: those marked used must be
// allocated and sound, the others free.
func (c *checker) passInodes() {
	sb := &c.sb
	c.inodes = map[uint32]*inodeInfo{}
	inopb := int64(sb.Inopb)
	blk := make([]byte, sb.Bsize)
	for cg, ci := range c.cgs {
		if ci == nil {
			continue
		}
		used := ci.raw[ci.h.Iusedoff:ci.h.Freeoff]
		for i := int64(0); i < int64(ci.h.Initediblk); i++ {
			ino := int64(cg)*int64(sb.Ipg) + i
			if i%inopb == 0 {
				if !c.read(blk, sb.inoToFsba(ino)*int64(sb.Fsize)) {
					return
				}
			}
			raw := blk[(i%inopb)*dinodeSize : (i%inopb+1)*dinodeSize]
			marked := used[i/8]&(1<<(i%8)) != 0
			if ino < rootIno {
				if !marked {
					c.add(fmt.Sprintf("inode %d", ino), "reserved inode not marked used")
				}
				continue
			}
			var d dinode
			unmarshal(raw, &d)
			switch {
			case marked && d.Mode == 0:
				c.add(fmt.Sprintf("inode %d", ino), "marked used but not allocated")
			case !marked && d.Mode != 0:
				c.add(fmt.Sprintf("inode %d", ino), "allocated but marked free")
			case marked:
				if sb.Metackhash&ckInode != 0 {
					tmp := append([]byte(nil), raw...)
					clear(tmp[244:248])
					if got := crc32c(tmp); got != d.Ckhash {
						c.add(fmt.Sprintf("inode %d", ino), "check hash %#x, computed %#x", d.Ckhash, got)
					}
				}
				c.inodes[uint32(ino)] = &inodeInfo{d: d}
				c.checkBlocks(uint32(ino), &d)
			}
		}
		for i := int64(ci.h.Initediblk); i < int64(sb.Ipg); i++ {
			if used[i/8]&(1<<(i%8)) != 0 {
				c.add(fmt.Sprintf("inode %d", int64(cg)*int64(sb.Ipg)+i), "marked used beyond cg_initediblk")
			}
		}
	}
}

// checkBlocks walks an inode's block pointers (fsck_ffs's ckinode).
func (c *checker) checkBlocks(ino uint32, d *dinode) {
	sb := &c.sb
	where := fmt.Sprintf("inode %d", ino)
	typ := d.Mode & ifmt
	switch typ {
	case ifreg, ifdir, iflnk, ififo, ifchr, ifblk, ifsock:
	default:
		c.add(where, "unknown file type %#o", typ)
		return
	}
	if d.Size > maxFileSize(int64(sb.Bsize)) {
		c.add(where, "size %d beyond fs_maxfilesize", d.Size)
		return
	}
	if typ == ifdir && (d.Size == 0 || d.Size%dirBlkSize != 0) {
		c.add(where, "directory size %d is not a positive multiple of %d", d.Size, dirBlkSize)
	}
	if d.Nlink == 0 {
		c.add(where, "allocated with a link count of 0")
	}
	size := int64(d.Size)
	bsize, fsize := int64(sb.Bsize), int64(sb.Fsize)
	nblocks := howmany(size, bsize)
	var frags int64
	claim := func(addr, n int64, what string) {
		if addr < 0 || addr+n > sb.Size {
			c.add(where, "%s at fragment %d outside the file system", what, addr)
			return
		}
		if n < int64(sb.Frag) && addr/int64(sb.Frag) != (addr+n-1)/int64(sb.Frag) {
			c.add(where, "%s at fragment %d crosses a block boundary", what, addr)
		}
		if n == int64(sb.Frag) && addr%int64(sb.Frag) != 0 {
			c.add(where, "%s at fragment %d is not block aligned", what, addr)
		}
		for i := addr; i < addr+n; i++ {
			if bit(c.meta, i) {
				c.add(where, "%s at fragment %d lies in file system metadata", what, i)
				return
			}
			if bit(c.ref, i) {
				c.add(where, "%s: fragment %d is referenced twice", what, i)
				return
			}
			setBit(c.ref, i)
		}
		frags += n
	}
	g := &geometry{bsize: bsize, fsize: fsize, frag: int64(sb.Frag)}
	c.claimExt(where, d, g, claim)
	hasData := typ == ifreg || typ == ifdir || (typ == iflnk && !(d.Size < uint64(sb.Maxsymlinklen) && d.Blocks == uint64(frags*fsize/devBSize)))
	if !hasData {
		if typ != iflnk && typ != ifchr && typ != ifblk {
			for i, p := range d.DB {
				if p != 0 {
					c.add(where, "di_db[%d] is %d in a file without data", i, p)
				}
			}
		}
		if want := uint64(frags * fsize / devBSize); d.Blocks != want {
			c.add(where, "di_blocks %d, but it holds %d", d.Blocks, want)
		}
		if typ == iflnk && d.Size == 0 {
			c.add(where, "empty symbolic link")
		}
		return
	}
	for lbn := int64(0); lbn < nDAddr; lbn++ {
		p := d.DB[lbn]
		if p == 0 {
			continue
		}
		if lbn >= nblocks {
			c.add(where, "di_db[%d] set beyond the end of a %d-byte file", lbn, size)
			continue
		}
		claim(p, tailFrags(lbn, size, g), fmt.Sprintf("block %d", lbn))
	}
	nindir := int64(sb.Nindir)
	span := int64(1)
	first := int64(nDAddr)
	for level := 0; level < nIAddr; level++ {
		span *= nindir
		if p := d.IB[level]; p != 0 {
			if first >= nblocks {
				c.add(where, "di_ib[%d] set beyond the end of a %d-byte file", level, size)
			} else {
				c.walkIndirect(where, p, level, first, span, nblocks, size, g, claim)
			}
		}
		first += span
	}
	if want := uint64(frags * fsize / devBSize); d.Blocks != want {
		c.add(where, "di_blocks %d, but it holds %d", d.Blocks, want)
	}
}

// claimExt claims the blocks of an inode's extended attributes
// (di_extb, di_extsize): whole blocks, but for the last, which holds only
// the fragments its bytes need (fsck_ffs's ckinode).
func (c *checker) claimExt(where string, d *dinode, g *geometry, claim func(addr, n int64, what string)) {
	if d.Extsize > nXAddr*uint32(g.bsize) {
		c.add(where, "di_extsize %d beyond %d blocks", d.Extsize, nXAddr)
		return
	}
	n := howmany(int64(d.Extsize), g.bsize)
	for i := int64(0); i < nXAddr; i++ {
		p := d.Extb[i]
		if i >= n {
			if p != 0 {
				c.add(where, "di_extb[%d] set beyond di_extsize %d", i, d.Extsize)
			}
			continue
		}
		if p == 0 {
			continue
		}
		frags := g.frag
		if i == n-1 && int64(d.Extsize)%g.bsize != 0 {
			frags = howmany(int64(d.Extsize)%g.bsize, g.fsize)
		}
		claim(p, frags, fmt.Sprintf("extended attribute block %d", i))
	}
}

// walkIndirect claims an indirect block and what it points to; it maps
// logical blocks [first, first+span).
func (c *checker) walkIndirect(where string, addr int64, level int, first, span, nblocks, size int64, g *geometry, claim func(addr, n int64, what string)) {
	claim(addr, g.frag, fmt.Sprintf("indirect block (level %d) for block %d", level+1, first))
	if addr < 0 || addr+g.frag > c.sb.Size {
		return
	}
	raw := make([]byte, g.bsize)
	if !c.read(raw, addr*g.fsize) {
		return
	}
	nindir := g.bsize / 8
	sub := span / nindir
	for i := int64(0); i < nindir; i++ {
		p := int64(binary.LittleEndian.Uint64(raw[8*i:]))
		if p == 0 {
			continue
		}
		lbn := first + i*sub
		if lbn >= nblocks {
			c.add(where, "pointer to fragment %d beyond the end of a %d-byte file", p, size)
			continue
		}
		if level == 0 {
			claim(p, g.frag, fmt.Sprintf("block %d", lbn))
		} else {
			c.walkIndirect(where, p, level-1, lbn, sub, nblocks, size, g, claim)
		}
	}
}

// passDirs walks the tree from the root, checking every entry.
func (c *checker) passDirs() {
	root, ok := c.inodes[rootIno]
	if !ok || root.d.Mode&ifmt != ifdir {
		c.add("/", "the root inode is not an allocated directory")
		return
	}
	root.parent, root.path, root.reached = rootIno, "/", true
	fs := &FS{r: c.r, size: c.size, sb: c.sb}
	queue := []uint32{rootIno}
	for len(queue) > 0 {
		ino := queue[0]
		queue = queue[1:]
		dir := c.inodes[ino]
		if dir.d.Size > maxDirSize {
			c.add(dir.path, "directory of %d bytes is larger than any real one", dir.d.Size)
			continue
		}
		var data bytes.Buffer
		if err := fs.copyData(&data, &dir.d); err != nil {
			c.add(dir.path, "reading the directory: %v", err)
			continue
		}
		b := data.Bytes()
		names := map[string]bool{}
		index := 0
		for chunk := 0; chunk+dirBlkSize <= len(b); chunk += dirBlkSize {
			for off := 0; off < dirBlkSize; {
				e := b[chunk+off:]
				at := fmt.Sprintf("%s (byte %d)", dir.path, chunk+off)
				if dirBlkSize-off < 8 {
					c.add(at, "directory chunk ends inside an entry")
					break
				}
				eino := binary.LittleEndian.Uint32(e)
				reclen := int(binary.LittleEndian.Uint16(e[4:]))
				typ, namlen := e[6], int(e[7])
				if reclen < direntSize(namlen) || reclen%4 != 0 || off+reclen > dirBlkSize {
					c.add(at, "bad d_reclen %d for a name of %d bytes", reclen, namlen)
					break
				}
				off += reclen
				if eino == 0 {
					if index < 2 {
						c.add(at, "missing %q entry", []string{".", ".."}[index])
					}
					index++
					continue
				}
				name := string(e[8 : 8+namlen])
				if e[8+namlen] != 0 {
					c.add(at, "name %q not NUL-terminated", name)
				}
				if namlen == 0 || strings.ContainsAny(name, "/\x00") {
					c.add(at, "bad name %q", name)
				}
				switch index {
				case 0:
					if name != "." || eino != ino {
						c.add(at, "first entry is %q -> %d, want \".\" -> %d", name, eino, ino)
					}
				case 1:
					if name != ".." || eino != dir.parent {
						c.add(at, "second entry is %q -> %d, want \"..\" -> %d", name, eino, dir.parent)
					}
				default:
					if name == "." || name == ".." {
						c.add(at, "extra %q entry", name)
					}
				}
				index++
				if names[name] {
					c.add(at, "duplicate name %q", name)
				}
				names[name] = true
				target, ok := c.inodes[eino]
				if !ok {
					c.add(at, "%q refers to inode %d, which is not allocated", name, eino)
					continue
				}
				target.refs++
				if want := dtype(target.d.Mode & ifmt); typ != want {
					c.add(at, "%q has d_type %d, its inode says %d", name, typ, want)
				}
				if index <= 2 {
					continue
				}
				full := path.Join(dir.path, name)
				if !target.reached {
					target.reached, target.path = true, full
				}
				if target.d.Mode&ifmt == ifdir {
					if target.parent != 0 {
						c.add(full, "directory already reached as %s (a hard link to a directory)", target.path)
						continue
					}
					target.parent = ino
					if want := dir.d.Dirdepth + 1; target.d.Dirdepth != want {
						c.add(full, "di_dirdepth %d, want %d", target.d.Dirdepth, want)
					}
					queue = append(queue, eino)
				}
			}
		}
		if index < 2 {
			c.add(dir.path, "directory without \".\" and \"..\"")
		}
	}
}

// passLinks compares link counts with the entries found.
func (c *checker) passLinks() {
	inos := make([]uint32, 0, len(c.inodes))
	for ino := range c.inodes {
		inos = append(inos, ino)
	}
	sort.Slice(inos, func(i, j int) bool { return inos[i] < inos[j] })
	for _, ino := range inos {
		in := c.inodes[ino]
		if !in.reached {
			c.add(fmt.Sprintf("inode %d", ino), "allocated but not in any directory")
			continue
		}
		if int(in.d.Nlink) != in.refs {
			c.add(in.path, "link count %d, but %d entries refer to it", in.d.Nlink, in.refs)
		}
	}
}

// passMaps recomputes every cylinder group's maps and summaries from the
// blocks and inodes found, as fsck_ffs's pass 5 does, and compares.
func (c *checker) passMaps() {
	sb := &c.sb
	frag := int64(sb.Frag)
	var total csumTotal
	csRaw := make([]byte, sb.Cssize)
	if !c.read(csRaw, sb.Csaddr*int64(sb.Fsize)) {
		return
	}
	for cg, ci := range c.cgs {
		if ci == nil {
			continue
		}
		where := fmt.Sprintf("cg %d", cg)
		h := &ci.h
		base := sb.cgbase(int64(cg))
		var want csum
		want.Nifree = int32(sb.Ipg)
		// Beyond cg_initediblk no inode is in use (passInodes said so
		// otherwise).
		for i := int64(0); i < int64(h.Initediblk); i++ {
			ino := int64(cg)*int64(sb.Ipg) + i
			if in, ok := c.inodes[uint32(ino)]; ok {
				want.Nifree--
				if in.d.Mode&ifmt == ifdir {
					want.Ndir++
				}
			} else if ino < rootIno {
				want.Nifree--
			}
		}
		var frsum [maxFrag]uint32
		free := ci.raw[h.Freeoff:]
		var clusters []byte
		if sb.Contigsumsize > 0 {
			clusters = ci.raw[h.Clusteroff:]
		}
		badBits := 0
		var clusterRun []int64
		run := int64(0)
		for d := int64(0); d < int64(h.Ndblk); d += frag {
			nfree, r := int64(0), int64(0)
			var runs [maxFrag + 1]int64
			for j := int64(0); j < frag; j++ {
				a := base + d + j
				isFree := !bit(c.meta, a) && !bit(c.ref, a)
				marked := free[(d+j)/8]&(1<<((d+j)%8)) != 0
				if isFree != marked {
					if badBits < 5 {
						state := "used"
						if isFree {
							state = "free"
						}
						c.add(where, "fragment %d is %s but the map says otherwise", a, state)
					}
					badBits++
				}
				if isFree {
					nfree++
					r++
				} else {
					if r > 0 {
						runs[r]++
					}
					r = 0
				}
			}
			if r > 0 {
				runs[r]++
			}
			blk := d / frag
			fullFree := nfree == frag
			if fullFree {
				want.Nbfree++
				run++
			} else {
				if run > 0 {
					clusterRun = append(clusterRun, run)
				}
				run = 0
				if nfree > 0 {
					want.Nffree += int32(nfree)
					for k := int64(1); k < frag; k++ {
						frsum[k] += uint32(runs[k])
					}
				}
			}
			if clusters != nil && (clusters[blk/8]&(1<<(blk%8)) != 0) != fullFree {
				c.add(where, "cluster map wrong for block %d", base/frag+blk)
			}
		}
		if run > 0 {
			clusterRun = append(clusterRun, run)
		}
		if badBits > 5 {
			c.add(where, "%d fragments in all are wrong in the free map", badBits)
		}
		if h.Cs != want {
			c.add(where, "summary %+v, recomputed %+v", h.Cs, want)
		}
		if h.Frsum != frsum {
			c.add(where, "cg_frsum %v, recomputed %v", h.Frsum, frsum)
		}
		if sb.Contigsumsize > 0 {
			wantSum := make([]uint32, sb.Contigsumsize+1)
			for _, r := range clusterRun {
				wantSum[min(r, int64(sb.Contigsumsize))]++
			}
			for i := range wantSum {
				got := binary.LittleEndian.Uint32(ci.raw[int(h.Clustersumoff)+4*i:])
				if i > 0 && got != wantSum[i] {
					c.add(where, "cluster summary[%d] %d, recomputed %d", i, got, wantSum[i])
				}
			}
		}
		var stored csum
		unmarshal(csRaw[16*cg:16*cg+16], &stored)
		if stored != h.Cs {
			c.add(where, "fs_cs entry %+v differs from the group's %+v", stored, h.Cs)
		}
		total.Ndir += int64(want.Ndir)
		total.Nbfree += int64(want.Nbfree)
		total.Nifree += int64(want.Nifree)
		total.Nffree += int64(want.Nffree)
	}
	if sb.Cstotal != total {
		c.add("superblock", "fs_cstotal %+v, recomputed %+v", sb.Cstotal, total)
	}
}
