package ufs

import "errors"

var errNoSpace = errors.New("no free block left")

// allocator hands out blocks and fragments in address order: whole blocks
// from a cursor that skips each cylinder group's metadata, and file tails
// from partly used blocks, best fit first. All choices depend only on the
// order of requests, so the layout is reproducible.
type allocator struct {
	g    *geometry
	used []uint64 // one bit per fragment of the file system
	next int64    // candidate fragment address for the next whole block
	// partial[k] holds blocks whose last k fragments are free (and the
	// others used), most recent last.
	partial [maxFrag][]int64
}

func newAllocator(g *geometry) *allocator {
	a := &allocator{g: g, used: make([]uint64, (g.size+63)/64)}
	// The boot area and superblock of cylinder group 0, and in every
	// group the superblock copy, the group block and the inode table.
	a.mark(0, g.sblkno)
	for c := int64(0); c < g.ncg; c++ {
		base := c * g.fpg
		a.mark(base+g.sblkno, min(g.dblkno-g.sblkno, g.size-base-g.sblkno))
	}
	// The cylinder-group summary, right after cylinder group 0's inodes.
	cs := g.csfrags()
	a.mark(g.csaddr, cs)
	a.next = g.csaddr + cs/g.frag*g.frag
	if rest := cs % g.frag; rest != 0 {
		a.partial[g.frag-rest] = append(a.partial[g.frag-rest], a.next)
		a.next += g.frag
	}
	return a
}

func (a *allocator) mark(frag, n int64) {
	for i := frag; i < frag+n; i++ {
		a.used[i/64] |= 1 << (uint(i) % 64)
	}
}

func (a *allocator) isUsed(frag int64) bool {
	return a.used[frag/64]&(1<<(uint(frag)%64)) != 0
}

// block allocates a whole block and returns its fragment address.
func (a *allocator) block() (int64, error) {
	g := a.g
	for a.next+g.frag <= g.size {
		b := a.next
		c := b / g.fpg
		base := c * g.fpg
		if b >= base+g.sblkno && b < base+g.dblkno {
			a.next = base + g.dblkno
			continue
		}
		a.next += g.frag
		if a.isUsed(b) {
			continue
		}
		a.mark(b, g.frag)
		return b, nil
	}
	return 0, errNoSpace
}

// frags allocates n (< frag) contiguous fragments inside one block.
func (a *allocator) frags(n int64) (int64, error) {
	g := a.g
	for k := n; k < g.frag; k++ {
		list := a.partial[k]
		if len(list) == 0 {
			continue
		}
		blk := list[len(list)-1]
		a.partial[k] = list[:len(list)-1]
		addr := blk + g.frag - k
		a.mark(addr, n)
		if left := k - n; left > 0 {
			a.partial[left] = append(a.partial[left], blk)
		}
		return addr, nil
	}
	blk, err := a.block()
	if err != nil {
		return 0, err
	}
	// block marked the whole block used; give back the unused tail.
	for i := blk + n; i < blk+g.frag; i++ {
		a.used[i/64] &^= 1 << (uint(i) % 64)
	}
	a.partial[g.frag-n] = append(a.partial[g.frag-n], blk)
	return blk, nil
}
