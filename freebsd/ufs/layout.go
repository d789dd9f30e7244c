package ufs

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
)

// Constants of the on-disk format. Sources: sys/ufs/ffs/fs.h,
// sys/ufs/ufs/dinode.h, sys/ufs/ufs/dir.h, sys/sys/param.h (FreeBSD main,
// 2024; read via the fel1x-developer/freebsd-src mirror at 2d614aa2).
const (
	sblockUFS2   = 65536      // SBLOCK_UFS2: byte offset of the superblock
	sblockSize   = 8192       // SBLOCKSIZE
	fsUFS2Magic  = 0x19540119 // FS_UFS2_MAGIC
	cgMagic      = 0x090255   // CG_MAGIC
	devBSize     = 512        // DEV_BSIZE
	minBSize     = 4096       // MINBSIZE
	maxBSize     = 65536      // MAXBSIZE (sys/sys/param.h)
	maxFrag      = 8          // MAXFRAG
	maxMntLen    = 468        // MAXMNTLEN
	maxVolLen    = 32         // MAXVOLLEN
	fsMaxContig  = 16         // FS_MAXCONTIG
	minFreeDef   = 8          // MINFREE
	avgFileSize  = 16384      // AVFILESIZ
	avgFilesDir  = 64         // AFPDIR
	minCylGroups = 4          // MINCYLGRPS
	nfpi         = 2          // NFPI (sbin/newfs/newfs.h): frags per inode
	maxPhys      = 1 << 20    // MAXPHYS on 64-bit FreeBSD 13 and later
	rootIno      = 2          // UFS_ROOTINO
	nXAddr       = 2          // UFS_NXADDR
	nDAddr       = 12         // UFS_NDADDR
	nIAddr       = 3          // UFS_NIADDR
	dinodeSize   = 256        // sizeof(struct ufs2_dinode)
	fsSize       = 1376       // sizeof(struct fs)
	cgHeaderSize = 168        // sizeof(struct cg)
	csumSize     = 16         // sizeof(struct csum)
	maxSymlink   = (nDAddr + nIAddr) * 8
	dirBlkSize   = 512 // DIRBLKSIZ
	maxNameLen   = 255 // UFS_MAXNAMLEN
	linkMax      = 65500

	fsFlagsUpdated = 0x80  // FS_FLAGS_UPDATED (fs_old_flags)
	fsDoSoftDep    = 0x02  // FS_DOSOFTDEP
	fsMetaCkHash   = 0x200 // FS_METACKHASH

	ckSuperblock = 0x1 // CK_SUPERBLOCK
	ckCylGrp     = 0x2 // CK_CYLGRP
	ckInode      = 0x4 // CK_INODE

	// File types of di_mode (dinode.h).
	ifmt   = 0170000
	ififo  = 0010000
	ifchr  = 0020000
	ifdir  = 0040000
	ifblk  = 0060000
	ifreg  = 0100000
	iflnk  = 0120000
	ifsock = 0140000
)

// Directory entry types (sys/sys/dirent.h).
const (
	DT_UNKNOWN = 0
	DT_FIFO    = 1
	DT_CHR     = 2
	DT_DIR     = 4
	DT_BLK     = 6
	DT_REG     = 8
	DT_LNK     = 10
	DT_SOCK    = 12
)

// csum is struct csum: per cylinder group counts.
type csum struct {
	Ndir, Nbfree, Nifree, Nffree int32
}

// csumTotal is struct csum_total.
type csumTotal struct {
	Ndir, Nbfree, Nifree, Nffree, Numclusters int64
	Spare                                     [3]int64
}

// superblock is struct fs of sys/ufs/ffs/fs.h, field for field, in the
// amd64 layout FreeBSD writes (fs_ocsp and fs_si are pointer-sized and
// always zero on disk). encoding/binary packs it without padding, which
// matches the C layout because every field is naturally aligned.
type superblock struct {
	Firstfield, Unused1                 int32
	Sblkno, Cblkno, Iblkno, Dblkno      int32
	OldCgoffset, OldCgmask              int32
	OldTime, OldSize, OldDsize          int32
	Ncg                                 uint32
	Bsize, Fsize, Frag                  int32
	Minfree, OldRotdelay, OldRps        int32
	Bmask, Fmask, Bshift, Fshift        int32
	Maxcontig, Maxbpg                   int32
	Fragshift, Fsbtodb, Sbsize          int32
	Spare1                              [2]int32
	Nindir                              int32
	Inopb                               uint32
	OldNspf, Optim                      int32
	OldNpsect, OldInterleave, OldTrkskw int32
	ID                                  [2]int32
	OldCsaddr, Cssize, Cgsize           int32
	Spare2, OldNsect, OldSpc, OldNcyl   int32
	OldCpg                              int32
	Ipg                                 uint32
	Fpg                                 int32
	OldCstotal                          csum
	Fmod, Clean, Ronly                  int8
	OldFlags                            uint8
	Fsmnt                               [maxMntLen]byte
	Volname                             [maxVolLen]byte
	Swuid                               uint64
	Pad                                 int32
	Cgrotor                             int32
	Ocsp                                [15]uint64
	Si                                  uint64
	OldCpc, Maxbsize                    int32
	Unrefs, Providersize, Metaspace     int64
	Sparecon64                          [13]int64
	Sblockactualloc, Sblockloc          int64
	Cstotal                             csumTotal
	Time, Size, Dsize, Csaddr           int64
	Pendingblocks                       int64
	Pendinginodes                       uint32
	Snapinum                            [20]uint32
	Avgfilesize, Avgfpdir               uint32
	SaveCgsize                          int32
	Mtime                               int64
	Sujfree                             int32
	Sparecon32                          [21]int32
	Ckhash, Metackhash                  uint32
	Flags, Contigsumsize                int32
	Maxsymlinklen, OldInodefmt          int32
	Maxfilesize                         uint64
	Qbmask, Qfmask                      int64
	State, OldPostblformat, OldNrpos    int32
	Spare5                              [2]int32
	Magic                               int32
}

// cgHeader is struct cg without its maps.
type cgHeader struct {
	Firstfield, Magic, OldTime int32
	Cgx                        uint32
	OldNcyl, OldNiblk          int16
	Ndblk                      uint32
	Cs                         csum
	Rotor, Frotor, Irotor      uint32
	Frsum                      [maxFrag]uint32
	OldBtotoff, OldBoff        int32
	Iusedoff, Freeoff          uint32
	Nextfreeoff                uint32
	Clustersumoff, Clusteroff  uint32
	Nclusterblks, Niblk        uint32
	Initediblk, Unrefs         uint32
	Sparecon32                 int32
	Ckhash                     uint32
	Time                       int64
	Sparecon64                 [3]int64
}

// dinode is struct ufs2_dinode.
type dinode struct {
	Mode      uint16
	Nlink     uint16
	Uid, Gid  uint32
	Blksize   uint32
	Size      uint64
	Blocks    uint64
	Atime     int64
	Mtime     int64
	Ctime     int64
	Birthtime int64
	Mtimensec int32
	Atimensec int32
	Ctimensec int32
	Birthnsec int32
	Gen       uint32
	Kernflags uint32
	Flags     uint32
	Extsize   uint32
	Extb      [2]int64
	DB        [nDAddr]int64
	IB        [nIAddr]int64
	Modrev    uint64
	Dirdepth  uint32
	Ckhash    uint32
	Spare     [2]uint32
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// crc32c is FreeBSD's calculate_crc32c(~0L, buf, len) (sys/libkern/
// crc32.c): CRC-32C started from all ones but, unlike hash/crc32's
// Checksum, without the final inversion. Images written on FreeBSD
// (newfs, then files added by the kernel) confirmed this: their recorded
// hashes are the complement of crc32.Checksum's.
func crc32c(b []byte) uint32 { return ^crc32.Checksum(b, castagnoli) }

func marshal(v any, size int) []byte {
	var buf bytes.Buffer
	buf.Grow(size)
	if err := binary.Write(&buf, binary.LittleEndian, v); err != nil {
		panic("ufs: marshal: " + err.Error())
	}
	if buf.Len() != size {
		panic("ufs: on-disk structure has the wrong size")
	}
	return buf.Bytes()
}

func unmarshal(b []byte, v any) {
	if err := binary.Read(bytes.NewReader(b), binary.LittleEndian, v); err != nil {
		panic("ufs: unmarshal: " + err.Error())
	}
}

func (sb *superblock) bytes() []byte { return marshal(sb, fsSize) }
func (cg *cgHeader) bytes() []byte   { return marshal(cg, cgHeaderSize) }
func (d *dinode) bytes() []byte      { return marshal(d, dinodeSize) }

// setCkhash computes the inode's check hash (ffs_update_dinode_ckhash).
func (d *dinode) encode(hash bool) []byte {
	d.Ckhash = 0
	b := d.bytes()
	if hash && d.Mode != 0 {
		d.Ckhash = crc32c(b)
		binary.LittleEndian.PutUint32(b[244:], d.Ckhash)
	}
	return b
}

// Geometry helpers, the macros of fs.h.
func (sb *superblock) cgbase(c int64) int64   { return int64(sb.Fpg) * c }
func (sb *superblock) cgsblock(c int64) int64 { return sb.cgbase(c) + int64(sb.Sblkno) }
func (sb *superblock) cgtod(c int64) int64    { return sb.cgbase(c) + int64(sb.Cblkno) }
func (sb *superblock) cgimin(c int64) int64   { return sb.cgbase(c) + int64(sb.Iblkno) }

// inoToFsba is the fragment address of the inode block holding ino.
func (sb *superblock) inoToFsba(ino int64) int64 {
	cg := ino / int64(sb.Ipg)
	return sb.cgimin(cg) + ((ino%int64(sb.Ipg))/int64(sb.Inopb))<<uint(sb.Fragshift)
}

// inoOffset is the byte offset of ino's dinode.
func (sb *superblock) inoOffset(ino int64) int64 {
	return sb.inoToFsba(ino)*int64(sb.Fsize) + (ino%int64(sb.Inopb))*dinodeSize
}

// cgsize is the CGSIZE macro of fs.h for UFS2 (fs_old_cpg is 0).
func cgsize(ipg, fpg, frag, contigsumsize int64) int64 {
	n := int64(cgHeaderSize) + howmany(ipg, 8) + howmany(fpg, 8) + 4
	if contigsumsize > 0 {
		n += contigsumsize*4 + howmany(fpg/frag, 8)
	}
	return n
}

func howmany(x, y int64) int64 { return (x + y - 1) / y }
func roundup(x, y int64) int64 { return howmany(x, y) * y }

func ilog2(v int64) int32 {
	var n int32
	for int64(1)<<uint(n) < v {
		n++
	}
	return n
}

func powerOf2(v int64) bool { return v > 0 && v&(v-1) == 0 }

// direntSize is DIRECTSIZ: the bytes an entry with a name of n bytes needs.
func direntSize(n int) int { return (8 + n + 1 + 3) &^ 3 }
