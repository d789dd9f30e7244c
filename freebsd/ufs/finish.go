package ufs

import (
	"encoding/binary"
)

// finish writes what can only be known once every file is placed: the
// cylinder groups with their maps, the summary area, and the superblock
// with its copies.
func (b *builder) finish() error {
	g := b.g
	css := make([]csum, g.ncg)
	var total csumTotal
	for c := int64(0); c < g.ncg; c++ {
		raw, cs, err := b.cylinderGroup(c)
		if err != nil {
			return err
		}
		css[c] = cs
		total.Ndir += int64(cs.Ndir)
		total.Nbfree += int64(cs.Nbfree)
		total.Nifree += int64(cs.Nifree)
		total.Nffree += int64(cs.Nffree)
		if err := b.w.WriteAt(raw, (c*g.fpg+g.cblkno)*g.fsize); err != nil {
			return err
		}
	}
	csRaw := make([]byte, g.cssize)
	for i, cs := range css {
		binary.LittleEndian.PutUint32(csRaw[16*i:], uint32(cs.Ndir))
		binary.LittleEndian.PutUint32(csRaw[16*i+4:], uint32(cs.Nbfree))
		binary.LittleEndian.PutUint32(csRaw[16*i+8:], uint32(cs.Nifree))
		binary.LittleEndian.PutUint32(csRaw[16*i+12:], uint32(cs.Nffree))
	}
	if err := b.w.WriteAt(csRaw, g.csaddr*g.fsize); err != nil {
		return err
	}
	sb := b.superblock(total)
	b.total = total
	// The recovery record newfs leaves in the last 20 bytes before the
	// superblock (struct fsrecovery), for fsck_ffs to find the copies.
	rec := make([]byte, 20)
	binary.LittleEndian.PutUint32(rec[0:], fsUFS2Magic)
	binary.LittleEndian.PutUint32(rec[4:], uint32(sb.Fsbtodb))
	binary.LittleEndian.PutUint32(rec[8:], uint32(sb.Sblkno))
	binary.LittleEndian.PutUint32(rec[12:], uint32(sb.Fpg))
	binary.LittleEndian.PutUint32(rec[16:], sb.Ncg)
	if err := b.w.WriteAt(rec, sblockUFS2-20); err != nil {
		return err
	}
	for c := int64(0); c < g.ncg; c++ {
		loc := (c*g.fpg + g.sblkno) * g.fsize
		if err := b.w.WriteAt(b.sbBytes(sb, loc), loc); err != nil {
			return err
		}
	}
	if err := b.w.WriteAt(b.sbBytes(sb, sblockUFS2), sblockUFS2); err != nil {
		return err
	}
	if err := b.w.flush(); err != nil {
		return err
	}
	// Give the output the file system's full size: its last fragment is
	// either written already or free, and then a zero byte is harmless.
	if !b.alloc.isUsed(g.size - 1) {
		var zero [1]byte
		_, err := b.w.w.WriteAt(zero[:], g.size*g.fsize-1)
		return wrapWrite(err)
	}
	return nil
}

// sbBytes renders the superblock as stored at byte offset loc, with its
// check hash when enabled (ffs_calc_sbhash: CRC32C of fs_sbsize bytes with
// fs_ckhash zero).
func (b *builder) sbBytes(sb *superblock, loc int64) []byte {
	s := *sb
	s.Sblockactualloc = loc
	s.Ckhash = 0
	raw := make([]byte, s.Sbsize)
	copy(raw, s.bytes())
	if s.Metackhash&ckSuperblock != 0 {
		binary.LittleEndian.PutUint32(raw[1304:], crc32c(raw))
	}
	return raw
}

func (b *builder) superblock(total csumTotal) *superblock {
	g := b.g
	opt := b.opt
	sb := &superblock{
		Sblkno: int32(g.sblkno), Cblkno: int32(g.cblkno),
		Iblkno: int32(g.iblkno), Dblkno: int32(g.dblkno),
		Ncg:   uint32(g.ncg),
		Bsize: int32(g.bsize), Fsize: int32(g.fsize), Frag: int32(g.frag),
		Minfree:   int32(opt.MinFree),
		Bmask:     int32(^(g.bsize - 1)),
		Fmask:     int32(^(g.fsize - 1)),
		Bshift:    ilog2(g.bsize),
		Fshift:    ilog2(g.fsize),
		Maxcontig: int32(g.maxcontig),
		Maxbpg:    int32(g.bsize / 8), // MAXBLKPG
		Fragshift: ilog2(g.frag),
		Fsbtodb:   ilog2(g.fsize / devBSize),
		Sbsize:    int32(roundup(fsSize, g.fsize)),
		Nindir:    int32(g.bsize / 8),
		Inopb:     uint32(g.inopb),
		Optim:     0, // FS_OPTTIME
		Cssize:    int32(g.cssize),
		Cgsize:    int32(g.cgsize),
		Ipg:       uint32(g.ipg),
		Fpg:       int32(g.fpg),
		Clean:     1,
		OldFlags:  fsFlagsUpdated,
		Maxbsize:  int32(g.bsize),
		// fs_providersize is in fragments; the partition is the file system.
		Providersize: g.size,
		// newfs reserves half of minfree at the start of each group's
		// data for metadata (the kernel's placement preference).
		Metaspace:       (g.fpg * int64(opt.MinFree) / 200) &^ (g.frag - 1),
		Sblockactualloc: sblockUFS2,
		Sblockloc:       sblockUFS2,
		Cstotal:         total,
		Time:            opt.Timestamp.Unix(),
		Size:            g.size,
		Dsize:           g.dataFrags(),
		Csaddr:          g.csaddr,
		Avgfilesize:     avgFileSize,
		Avgfpdir:        avgFilesDir,
		Contigsumsize:   int32(g.contigsumsize),
		Maxsymlinklen:   maxSymlink,
		Maxfilesize:     maxFileSize(g.bsize),
		Qbmask:          g.bsize - 1,
		Qfmask:          g.fsize - 1,
		Magic:           fsUFS2Magic,
	}
	if sb.Sbsize > sblockSize {
		sb.Sbsize = sblockSize
	}
	copy(sb.Volname[:], opt.Label)
	if opt.SoftUpdates {
		sb.Flags |= fsDoSoftDep
	}
	if opt.MetaCheckHashes {
		sb.Flags |= fsMetaCkHash
		sb.Metackhash = ckSuperblock | ckCylGrp | ckInode
	}
	// fs_id: the time, and a digest of every inode written (which covers
	// sizes, owners, modes and block addresses).
	sum := b.hashState.Sum(nil)
	sb.ID[0] = int32(opt.Timestamp.Unix())
	sb.ID[1] = int32(binary.LittleEndian.Uint32(sum))
	return sb
}

// cylinderGroup renders cylinder group c (struct cg and its maps, laid out
// as newfs's initcg does) and writes its inode blocks that no inode used.
func (b *builder) cylinderGroup(c int64) ([]byte, csum, error) {
	g := b.g
	a := b.alloc
	ndblk := g.ndblk(c)
	base := c * g.fpg
	usedInodes := max(0, min(g.ipg, b.maxIno+1-c*g.ipg))
	inited := min(g.ipg, max(roundup(usedInodes, g.inopb), 2*g.inopb))
	h := cgHeader{
		Magic:      cgMagic,
		Cgx:        uint32(c),
		Ndblk:      uint32(ndblk),
		Niblk:      uint32(g.ipg),
		Initediblk: uint32(inited),
		Time:       b.opt.Timestamp.Unix(),
		Iusedoff:   cgHeaderSize,
	}
	h.Freeoff = h.Iusedoff + uint32(howmany(g.ipg, 8))
	h.Nextfreeoff = h.Freeoff + uint32(howmany(g.fpg, 8))
	if g.contigsumsize > 0 {
		h.Nclusterblks = uint32(ndblk / g.frag)
		h.Clustersumoff = uint32(roundup(int64(h.Nextfreeoff), 4)) - 4
		h.Clusteroff = h.Clustersumoff + uint32(g.contigsumsize+1)*4
		h.Nextfreeoff = h.Clusteroff + uint32(howmany(g.fpg/g.frag, 8))
	}
	raw := make([]byte, g.cgsize)
	inosused := raw[h.Iusedoff:h.Freeoff]
	for i := int64(0); i < usedInodes; i++ {
		inosused[i/8] |= 1 << (i % 8)
	}
	h.Cs.Nifree = int32(g.ipg - usedInodes)
	h.Cs.Ndir = b.dirsPerCg[c]
	blksfree := raw[h.Freeoff:]
	var clustersfree []byte
	if g.contigsumsize > 0 {
		clustersfree = raw[h.Clusteroff:]
	}
	for d := int64(0); d+g.frag <= ndblk; d += g.frag {
		free := int64(0)
		run := int64(0)
		var runs [maxFrag + 1]int64
		for j := int64(0); j < g.frag; j++ {
			if a.isUsed(base + d + j) {
				if run > 0 {
					runs[run]++
				}
				run = 0
				continue
			}
			blksfree[(d+j)/8] |= 1 << ((d + j) % 8)
			free++
			run++
		}
		if run > 0 {
			runs[run]++
		}
		switch {
		case free == g.frag:
			h.Cs.Nbfree++
			if clustersfree != nil {
				blk := d / g.frag
				clustersfree[blk/8] |= 1 << (blk % 8)
			}
		case free > 0:
			h.Cs.Nffree += int32(free)
			for k := int64(1); k < g.frag; k++ {
				h.Frsum[k] += uint32(runs[k])
			}
		}
	}
	if g.contigsumsize > 0 {
		sum := raw[h.Clustersumoff:]
		add := func(run int64) {
			run = min(run, g.contigsumsize)
			v := binary.LittleEndian.Uint32(sum[4*run:])
			binary.LittleEndian.PutUint32(sum[4*run:], v+1)
		}
		run := int64(0)
		for i := int64(0); i < int64(h.Nclusterblks); i++ {
			if clustersfree[i/8]&(1<<(i%8)) != 0 {
				run++
			} else if run > 0 {
				add(run)
				run = 0
			}
		}
		if run > 0 {
			add(run)
		}
	}
	copy(raw, h.bytes())
	if b.opt.MetaCheckHashes {
		binary.LittleEndian.PutUint32(raw[132:], crc32c(raw))
	}
	// Inode blocks inside the initialized range that hold no inode yet
	// are written as zeros, so that stale bytes of the output cannot pass
	// for inodes.
	for k := int64(0); k < inited/g.inopb; k++ {
		first := c*g.ipg + k*g.inopb
		if first <= b.maxIno {
			continue
		}
		zero := make([]byte, g.bsize)
		if err := b.w.WriteAt(zero, (base+g.iblkno+k*g.frag)*g.fsize); err != nil {
			return nil, csum{}, err
		}
	}
	return raw, h.Cs, nil
}

func (b *builder) result(n *needs) *Result {
	g := b.g
	free := b.total.Nbfree*g.frag + b.total.Nffree
	return &Result{
		Size:        g.size * g.fsize,
		Inodes:      int64(len(b.t.inodes)),
		Directories: n.dirs,
		Files:       n.files,
		Symlinks:    n.symlinks,
		DataBytes:   n.bytes,
		UsedFrags:   g.size - free,
		FreeFrags:   free,
		CylGroups:   int(g.ncg),
		BlockSize:   int(g.bsize),
		FragSize:    int(g.fsize),
	}
}
