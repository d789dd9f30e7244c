package ufs

import (
	"fmt"
	"time"
)

const cgSizeFudge = 8 // CGSIZEFUDGE of sbin/newfs/mkfs.c

// geometry is the shape of a file system: what newfs computes before it
// writes anything.
type geometry struct {
	bsize, fsize, frag int64
	size               int64 // fragments
	fpg, ipg, ncg      int64
	inopb              int64
	sblkno, cblkno     int64
	iblkno, dblkno     int64
	cgsize             int64
	contigsumsize      int64
	maxcontig          int64
	csaddr, cssize     int64
}

func (g *geometry) inodes() int64 { return g.ipg * g.ncg }

// ndblk is the number of fragments of cylinder group c.
func (g *geometry) ndblk(c int64) int64 {
	if base := c * g.fpg; base+g.fpg > g.size {
		return g.size - base
	}
	return g.fpg
}

// csfrags is the number of fragments of the summary area.
func (g *geometry) csfrags() int64 { return howmany(g.cssize, g.fsize) }

// dataFrags is the number of fragments left for files once metadata has
// its place (fs_dsize of newfs).
func (g *geometry) dataFrags() int64 {
	return g.size - g.sblkno - g.ncg*(g.dblkno-g.sblkno) - g.csfrags()
}

func normalize(opt *Options) error {
	if opt.BlockSize == 0 {
		opt.BlockSize = 32768
	}
	if opt.FragSize == 0 {
		opt.FragSize = opt.BlockSize / 8
	}
	b, f := int64(opt.BlockSize), int64(opt.FragSize)
	if !powerOf2(b) || b < minBSize || b > maxBSize {
		return fmt.Errorf("ufs: block size %d: want a power of two from %d to %d", b, minBSize, maxBSize)
	}
	if !powerOf2(f) || f < devBSize || f > b || b/f > maxFrag {
		return fmt.Errorf("ufs: fragment size %d: want a power of two from block size/8 (%d) to the block size (%d)", f, b/8, b)
	}
	if opt.FreeSpacePercent == 0 {
		opt.FreeSpacePercent = 10
	}
	if opt.FreeSpacePercent < 0 || opt.FreeSpacePercent > 1000 {
		return fmt.Errorf("ufs: free space margin %d%%: want 0 to 1000", opt.FreeSpacePercent)
	}
	if opt.MinFree == 0 {
		opt.MinFree = minFreeDef
	}
	if opt.MinFree < 0 || opt.MinFree > 99 {
		return fmt.Errorf("ufs: minfree %d%%: want 0 to 99", opt.MinFree)
	}
	if opt.BytesPerInode == 0 {
		opt.BytesPerInode = nfpi * opt.FragSize
	}
	if opt.BytesPerInode < opt.FragSize {
		return fmt.Errorf("ufs: bytes per inode %d: want at least the fragment size %d", opt.BytesPerInode, opt.FragSize)
	}
	if len(opt.Label) >= maxVolLen {
		return fmt.Errorf("ufs: label %q: longer than %d bytes", opt.Label, maxVolLen-1)
	}
	for _, c := range []byte(opt.Label) {
		if c == 0 || c == '/' {
			return fmt.Errorf("ufs: label %q: must not hold NUL or '/'", opt.Label)
		}
	}
	if opt.Timestamp.IsZero() {
		opt.Timestamp = time.Unix(0, 0)
	}
	return nil
}

// newGeometry lays out a file system of sizeBytes following the steps of
// newfs's mkfs(): fixed offsets of the superblock, cylinder-group block and
// inodes in each group, then as many fragments per group as the group's
// maps fit in one block while keeping at least MINCYLGRPS groups, then a
// last group large enough to hold its metadata.
func newGeometry(sizeBytes int64, opt *Options) (*geometry, error) {
	g := &geometry{bsize: int64(opt.BlockSize), fsize: int64(opt.FragSize)}
	g.frag = g.bsize / g.fsize
	g.size = sizeBytes / g.bsize * g.frag // whole blocks only
	g.inopb = g.bsize / dinodeSize
	inopf := g.inopb / g.frag
	g.sblkno = roundup(howmany(sblockUFS2+sblockSize, g.fsize), g.frag)
	g.cblkno = g.sblkno + roundup(howmany(sblockSize, g.fsize), g.frag)
	g.iblkno = g.cblkno + g.frag
	g.maxcontig = max(1, maxPhys/g.bsize)
	if g.maxcontig > 1 {
		g.contigsumsize = min(g.maxcontig, fsMaxContig)
	}
	fragsPerInode := max(int64(opt.BytesPerInode)/g.fsize, 1)
	ipgFor := func(fpg int64) int64 { return roundup(howmany(fpg, fragsPerInode), g.inopb) }
	size := func(fpg int64) int64 { return cgsize(ipgFor(fpg), fpg, g.frag, g.contigsumsize) }

	minfpg := min(fragsPerInode*g.inopb, g.size)
	g.fpg = roundup(g.iblkno+g.inopb/inopf, g.frag)
	g.fpg = max(g.fpg, minfpg)
	g.fpg = roundup(g.iblkno+ipgFor(g.fpg)/inopf, g.frag)
	g.fpg = max(g.fpg, roundup(minfpg, g.frag))
	if size(g.fpg) >= g.bsize-cgSizeFudge {
		return nil, fmt.Errorf("ufs: %d bytes per inode is too dense for %d-byte blocks", opt.BytesPerInode, g.bsize)
	}
	for ; ; g.fpg += g.frag {
		if g.size/g.fpg < minCylGroups {
			break
		}
		if s := size(g.fpg); s < g.bsize-cgSizeFudge {
			continue
		} else if s == g.bsize-cgSizeFudge {
			break
		}
		g.fpg -= g.frag
		break
	}
	g.ipg = ipgFor(g.fpg)
	for {
		g.ncg = howmany(g.size, g.fpg)
		lastmin := roundup(g.iblkno+g.ipg/inopf, g.frag) + g.frag
		if g.size < lastmin {
			return nil, fmt.Errorf("ufs: %d bytes is too small for a file system with %d-byte blocks (want at least %d)", sizeBytes, g.bsize, lastmin*g.fsize)
		}
		if rest := g.size % g.fpg; rest == 0 || rest >= lastmin {
			break
		}
		g.fpg -= g.frag
		g.ipg = ipgFor(g.fpg)
	}
	g.dblkno = g.iblkno + g.ipg/inopf
	g.cgsize = roundup(cgsize(g.ipg, g.fpg, g.frag, g.contigsumsize), g.fsize)
	g.csaddr = g.dblkno
	g.cssize = roundup(g.ncg*csumSize, g.fsize)
	if g.csaddr+g.csfrags() > g.ndblk(0) {
		return nil, fmt.Errorf("ufs: %d bytes is too small for the cylinder-group summary", sizeBytes)
	}
	if g.ipg*g.ncg > (1<<32)-g.inopb {
		return nil, fmt.Errorf("ufs: too many inodes (%d); raise the bytes per inode", g.ipg*g.ncg)
	}
	return g, nil
}
