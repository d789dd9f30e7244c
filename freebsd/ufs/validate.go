package ufs

import (
	"errors"
	"fmt"
	"math/bits"
)

// ValidateSuperblock applies to a raw superblock (at least 1376 bytes, as
// read from byte 65536) the checks FreeBSD's kernel makes before mounting:
// those of validate_sblock in sys/ufs/ffs/ffs_subr.c (FreeBSD main, 2024;
// read at the fel1x-developer/freebsd-src mirror, commit 2d614aa2), for a
// UFS2 superblock read at its standard location, followed by the
// superblock check hash of ffs_sbget. It returns nil or an error listing
// every failed check in the kernel's own terms.
func ValidateSuperblock(b []byte) error { return validateSuperblock(b, false) }

// validateSuperblock is ValidateSuperblock; alt is set for the copies in
// the cylinder groups (UFS_ALTSBLK), which skips the location check.
func validateSuperblock(b []byte, alt bool) error {
	if len(b) < fsSize {
		return fmt.Errorf("ufs: superblock: %d bytes, want at least %d", len(b), fsSize)
	}
	var fs superblock
	unmarshal(b[:fsSize], &fs)
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("UFS2 superblock failed: "+format, args...))
	}
	chk := func(bad bool, what string, lhs, rhs int64) {
		if bad {
			fail("%s (%d vs %d)", what, lhs, rhs)
		}
	}
	if fs.Magic != fsUFS2Magic {
		return magicError(fs.Magic)
	}
	const sectorsize = devBSize
	if !alt {
		chk(fs.Sblockactualloc != sblockUFS2 && fs.Sblockactualloc != 0, "fs_sblockactualloc != SBLOCK_UFS2", fs.Sblockactualloc, sblockUFS2)
	}
	chk(fs.Sblockloc != sblockUFS2, "fs_sblockloc != SBLOCK_UFS2", fs.Sblockloc, sblockUFS2)
	chk(fs.Maxsymlinklen != maxSymlink, "fs_maxsymlinklen != (UFS_NDADDR + UFS_NIADDR) * sizeof(ufs2_daddr_t)", int64(fs.Maxsymlinklen), maxSymlink)
	chk(int64(fs.Nindir) != int64(fs.Bsize)/8, "fs_nindir != fs_bsize / sizeof(ufs2_daddr_t)", int64(fs.Nindir), int64(fs.Bsize)/8)
	chk(int64(fs.Inopb) != int64(fs.Bsize)/dinodeSize, "fs_inopb != fs_bsize / sizeof(struct ufs2_dinode)", int64(fs.Inopb), int64(fs.Bsize)/dinodeSize)

	bsize, fsize, frag := int64(fs.Bsize), int64(fs.Fsize), int64(fs.Frag)
	chk(bsize < minBSize, "fs_bsize < MINBSIZE", bsize, minBSize)
	chk(bsize > maxBSize, "fs_bsize > MAXBSIZE", bsize, maxBSize)
	chk(bsize < roundup(fsSize, devBSize), "fs_bsize < roundup(sizeof(struct fs), DEV_BSIZE)", bsize, roundup(fsSize, devBSize))
	chk(!powerOf2(bsize), "powerof2(fs_bsize) == 0", bsize, 0)
	chk(frag < 1, "fs_frag < 1", frag, 1)
	chk(frag > maxFrag, "fs_frag > MAXFRAG", frag, maxFrag)
	if fs.Fshift >= 0 && fs.Fshift < 63 {
		chk(frag != bsize>>uint(fs.Fshift), "fs_frag != numfrags(fs, fs_bsize)", frag, bsize>>uint(fs.Fshift))
	}
	chk(fsize < sectorsize, "fs_fsize < sectorsize", fsize, sectorsize)
	chk(fsize*frag != bsize, "fs_fsize * fs_frag != fs_bsize", fsize*frag, bsize)
	chk(!powerOf2(fsize), "powerof2(fs_fsize) == 0", fsize, 0)
	chk(int64(fs.Fpg) < 3*frag, "fs_fpg < 3 * fs_frag", int64(fs.Fpg), 3*frag)
	chk(fs.Ncg < 1, "fs_ncg < 1", int64(fs.Ncg), 1)
	chk(fs.Ipg < fs.Inopb, "fs_ipg < fs_inopb", int64(fs.Ipg), int64(fs.Inopb))
	inodes := int64(fs.Ipg) * int64(fs.Ncg)
	chk(inodes > (1<<32)-int64(fs.Inopb), "fs_ipg * fs_ncg > 2^32 - INOPB", inodes, (1<<32)-int64(fs.Inopb))
	chk(fs.Cstotal.Nifree < 0, "fs_cstotal.cs_nifree < 0", fs.Cstotal.Nifree, 0)
	chk(fs.Cstotal.Nifree > inodes, "fs_cstotal.cs_nifree > fs_ipg * fs_ncg", fs.Cstotal.Nifree, inodes)
	chk(fs.Cstotal.Ndir < 0, "fs_cstotal.cs_ndir < 0", fs.Cstotal.Ndir, 0)
	chk(fs.Cstotal.Ndir > inodes-fs.Cstotal.Nifree, "fs_cstotal.cs_ndir > fs_ipg * fs_ncg - cs_nifree", fs.Cstotal.Ndir, inodes-fs.Cstotal.Nifree)
	chk(int64(fs.Sbsize) > sblockSize, "fs_sbsize > SBLOCKSIZE", int64(fs.Sbsize), sblockSize)
	chk(int64(fs.Sbsize) < fsSize, "fs_sbsize < sizeof(struct fs)", int64(fs.Sbsize), fsSize)
	maxbsize := int64(fs.Maxbsize)
	if maxbsize == 0 {
		maxbsize = bsize
	}
	chk(maxbsize < bsize, "fs_maxbsize < fs_bsize", maxbsize, bsize)
	chk(!powerOf2(maxbsize), "powerof2(fs_maxbsize) == 0", maxbsize, 0)
	chk(maxbsize > fsMaxContig*bsize, "fs_maxbsize > FS_MAXCONTIG * fs_bsize", maxbsize, fsMaxContig*bsize)
	chk(int64(fs.Bmask) != ^(bsize-1), "fs_bmask != ~(fs_bsize - 1)", int64(fs.Bmask), ^(bsize - 1))
	chk(int64(fs.Fmask) != ^(fsize-1), "fs_fmask != ~(fs_fsize - 1)", int64(fs.Fmask), ^(fsize - 1))
	chk(fs.Qbmask != ^int64(fs.Bmask), "fs_qbmask != ~fs_bmask", fs.Qbmask, ^int64(fs.Bmask))
	chk(fs.Qfmask != ^int64(fs.Fmask), "fs_qfmask != ~fs_fmask", fs.Qfmask, ^int64(fs.Fmask))
	chk(fs.Bshift != flsLog2(bsize), "fs_bshift != ILOG2(fs_bsize)", int64(fs.Bshift), int64(flsLog2(bsize)))
	chk(fs.Fshift != flsLog2(fsize), "fs_fshift != ILOG2(fs_fsize)", int64(fs.Fshift), int64(flsLog2(fsize)))
	chk(fs.Fragshift != flsLog2(frag), "fs_fragshift != ILOG2(fs_frag)", int64(fs.Fragshift), int64(flsLog2(frag)))
	chk(fs.Fsbtodb != flsLog2(fsize/sectorsize), "fs_fsbtodb != ILOG2(fs_fsize / sectorsize)", int64(fs.Fsbtodb), int64(flsLog2(fsize/sectorsize)))
	chk(fs.OldCgoffset < 0, "fs_old_cgoffset < 0", int64(fs.OldCgoffset), 0)
	chk(fs.OldCgoffset > 0 && ^fs.OldCgmask < 0, "fs_old_cgoffset > 0 && ~fs_old_cgmask < 0", int64(fs.OldCgoffset), int64(^fs.OldCgmask))
	chk(int64(fs.OldCgoffset)*int64(^fs.OldCgmask) > int64(fs.Fpg), "fs_old_cgoffset * ~fs_old_cgmask > fs_fpg", int64(fs.OldCgoffset)*int64(^fs.OldCgmask), int64(fs.Fpg))
	cgs := cgsize(int64(fs.Ipg), int64(fs.Fpg), max(frag, 1), int64(fs.Contigsumsize)) + int64(fs.OldCpg)*6
	chk(cgs > bsize, "CGSIZE(fs) > fs_bsize", cgs, bsize)
	// The kernel stops here if anything failed: what follows may divide
	// by zero.
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	inopf := int64(fs.Inopb) >> uint(fs.Fragshift)
	chk(int64(fs.Sbsize)%sectorsize != 0, "fs_sbsize % sectorsize != 0", int64(fs.Sbsize)%sectorsize, 0)
	chk(int64(fs.Ipg)%int64(fs.Inopb) != 0, "fs_ipg % fs_inopb != 0", int64(fs.Ipg)%int64(fs.Inopb), 0)
	wantSblkno := roundup(howmany(fs.Sblockloc+sblockSize, fsize), frag)
	chk(int64(fs.Sblkno) != wantSblkno, "fs_sblkno != roundup(howmany(fs_sblockloc + SBLOCKSIZE, fs_fsize), fs_frag)", int64(fs.Sblkno), wantSblkno)
	wantCblkno := int64(fs.Sblkno) + roundup(howmany(sblockSize, fsize), frag)
	chk(int64(fs.Cblkno) != wantCblkno, "fs_cblkno != fs_sblkno + roundup(howmany(SBLOCKSIZE, fs_fsize), fs_frag)", int64(fs.Cblkno), wantCblkno)
	chk(int64(fs.Iblkno) != int64(fs.Cblkno)+frag, "fs_iblkno != fs_cblkno + fs_frag", int64(fs.Iblkno), int64(fs.Cblkno)+frag)
	chk(int64(fs.Dblkno) != int64(fs.Iblkno)+int64(fs.Ipg)/inopf, "fs_dblkno != fs_iblkno + fs_ipg / INOPF(fs)", int64(fs.Dblkno), int64(fs.Iblkno)+int64(fs.Ipg)/inopf)
	chk(int64(fs.Cgsize) > bsize, "fs_cgsize > fs_bsize", int64(fs.Cgsize), bsize)
	chk(int64(fs.Cgsize) < fsize, "fs_cgsize < fs_fsize", int64(fs.Cgsize), fsize)
	chk(int64(fs.Cgsize)%fsize != 0, "fs_cgsize % fs_fsize != 0", int64(fs.Cgsize)%fsize, 0)
	// Warnings of the kernel (WCHK): fatal unless UFS_NOWARNFAIL, which
	// mount does not pass.
	chk(fs.Metaspace < 0, "fs_metaspace < 0", fs.Metaspace, 0)
	chk(fs.Metaspace > int64(fs.Fpg)/2, "fs_metaspace > fs_fpg / 2", fs.Metaspace, int64(fs.Fpg)/2)
	chk(fs.Minfree > 99, "fs_minfree > 99", int64(fs.Minfree), 99)
	mfs := maxFileSize(bsize)
	if fs.Maxfilesize != mfs {
		fail("fs_maxfilesize != maxfilesize (%d vs %d)", fs.Maxfilesize, mfs)
	}
	size, ncg, fpg := fs.Size, int64(fs.Ncg), int64(fs.Fpg)
	chk(size < 8*frag, "fs_size < 8 * fs_frag", size, 8*frag)
	chk(size <= (ncg-1)*fpg, "fs_size <= (fs_ncg - 1) * fs_fpg", size, (ncg-1)*fpg)
	chk(size > ncg*fpg, "fs_size > fs_ncg * fs_fpg", size, ncg*fpg)
	chk(fs.Csaddr < 0, "fs_csaddr < 0", fs.Csaddr, 0)
	wantCssize := roundup(ncg*csumSize, fsize)
	chk(int64(fs.Cssize) != wantCssize, "fs_cssize != fragroundup(fs, fs_ncg * sizeof(struct csum))", int64(fs.Cssize), wantCssize)
	csEnd := fs.Csaddr + howmany(int64(fs.Cssize), fsize)
	chk(csEnd > size, "fs_csaddr + howmany(fs_cssize, fs_fsize) > fs_size", csEnd, size)
	csCg := fs.Csaddr / fpg
	chk(fs.Csaddr < csCg*fpg+int64(fs.Dblkno), "fs_csaddr < cgdmin(fs, dtog(fs, fs_csaddr))", fs.Csaddr, csCg*fpg+int64(fs.Dblkno))
	chk(csEnd/fpg > csCg, "dtog(fs, fs_csaddr + howmany(fs_cssize, fs_fsize)) > dtog(fs, fs_csaddr)", csEnd/fpg, csCg)
	const maxphys = 1 << 20
	chk(fs.Maxcontig < 0, "fs_maxcontig < 0", int64(fs.Maxcontig), 0)
	chk(int64(fs.Maxcontig) > max(256, maxphys/bsize), "fs_maxcontig > MAX(256, maxphys / fs_bsize)", int64(fs.Maxcontig), max(256, maxphys/bsize))
	chk(fs.Maxcontig == 0 && fs.Contigsumsize != 0, "fs_maxcontig == 0 && fs_contigsumsize != 0", int64(fs.Maxcontig), int64(fs.Contigsumsize))
	chk(fs.Maxcontig > 1 && int64(fs.Contigsumsize) != min(int64(fs.Maxcontig), fsMaxContig), "fs_maxcontig > 1 && fs_contigsumsize != MIN(fs_maxcontig, FS_MAXCONTIG)", int64(fs.Contigsumsize), min(int64(fs.Maxcontig), fsMaxContig))
	// ffs_sbget: the check hash, when the superblock has one.
	if fs.Flags&fsMetaCkHash != 0 && fs.Metackhash&ckSuperblock != 0 && int64(len(b)) >= int64(fs.Sbsize) {
		raw := append([]byte(nil), b[:fs.Sbsize]...)
		clear(raw[1304:1308])
		if got := crc32c(raw); got != fs.Ckhash {
			fail("superblock check-hash failed: recorded %#x != computed %#x", fs.Ckhash, got)
		}
	}
	return errors.Join(errs...)
}

// flsLog2 is the kernel's ILOG2: fls(n) - 1, the index of the highest set
// bit.
func flsLog2(n int64) int32 {
	if n <= 0 {
		return -1
	}
	var r int32
	for n > 1 {
		n >>= 1
		r++
	}
	return r
}

// magicError explains a superblock magic number that is not UFS2's.
func magicError(magic int32) error {
	switch m := uint32(magic); {
	case bits.ReverseBytes32(m) == fsUFS2Magic:
		return fmt.Errorf("ufs: a big-endian UFS2 file system (from a big-endian FreeBSD machine); only little-endian is supported")
	case m == 0x011954 || bits.ReverseBytes32(m) == 0x011954:
		return fmt.Errorf("ufs: a UFS1 file system; only UFS2 is supported")
	case m == 0x19960408:
		return fmt.Errorf("ufs: an incomplete file system (newfs did not finish: FS_BAD_MAGIC)")
	}
	return fmt.Errorf("ufs: no UFS2 superblock at byte %d (magic %#x, want %#x)", sblockUFS2, uint32(magic), fsUFS2Magic)
}
