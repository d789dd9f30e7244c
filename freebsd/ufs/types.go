package ufs

import (
	"io/fs"
	"time"

	"fruix.dev/fruix/freebsd/mtree"
)

// Options control the file system Build writes. The zero value gives
// FreeBSD's defaults with a size computed from the tree.
type Options struct {
	// Size of the file system in bytes; 0 computes it from the tree, with
	// FreeSpacePercent of room to spare. It is rounded down to a whole
	// block.
	Size int64
	// FreeSpacePercent is the margin added when Size is computed
	// (default 10).
	FreeSpacePercent int
	// MinFree is fs_minfree, the percentage reserved for root (default 8,
	// as newfs).
	MinFree int
	// BlockSize and FragSize default to 32768 and 4096.
	BlockSize, FragSize int
	// BytesPerInode is the inode density (newfs -i); default 2 fragments.
	// When Size is computed, enough inodes for the tree are always made.
	BytesPerInode int
	// Label is the volume name (fs_volname), seen as /dev/ufs/LABEL; at most
	// 31 bytes.
	Label string
	// SoftUpdates sets FS_DOSOFTDEP.
	SoftUpdates bool
	// MetaCheckHashes enables the CRC32C check hashes of the superblock,
	// cylinder groups and inodes (fs_metackhash), as newfs does on
	// FreeBSD 12 and later. Off, the field is 0.
	MetaCheckHashes bool
	// Timestamp is the time of every inode and of the superblock, unless
	// the spec gives time=; identifiers (fs_id, inode generations) derive
	// from it and from the content. Zero means the Unix epoch.
	Timestamp time.Time
	// SpecOnly leaves out tree entries the spec does not list (makefs -x).
	SpecOnly bool
	// IDs resolves uname=/gname= of the spec; nil reads etc/master.passwd
	// (or etc/passwd) and etc/group from the tree when the spec needs them,
	// and knows only root and wheel (0) when the tree has neither.
	IDs *mtree.IDs
	// Progress, if set, is called as file data is written with the bytes
	// done and the total.
	Progress func(done, total int64)
}

// Result describes a written file system.
type Result struct {
	Size        int64 // bytes of the file system
	Inodes      int64 // inodes used, the root included
	Directories int64
	Files       int64 // regular files (hard links counted once)
	Symlinks    int64
	DataBytes   int64 // logical bytes of regular files
	UsedFrags   int64 // fragments in use, metadata included
	FreeFrags   int64
	CylGroups   int
	BlockSize   int
	FragSize    int
}

// Inode is the metadata of one file as stored on disk.
type Inode struct {
	Ino    uint32
	Mode   fs.FileMode // type, permissions, setuid/setgid/sticky
	Uid    uint32
	Gid    uint32
	Flags  uint32 // chflags(2) bits
	Size   int64
	Nlink  uint16
	Blocks int64 // 512-byte units held, indirect blocks included
	Atime  time.Time
	Mtime  time.Time
	Ctime  time.Time
	Btime  time.Time // birth time
	Gen    uint32
	Rdev   uint64 // device number of character and block devices
}

// DirEntry is one entry of a directory.
type DirEntry struct {
	Name string
	Ino  uint32
	Type uint8 // DT_* value
}

// Problem is one inconsistency found by Check.
type Problem struct {
	Where string // "superblock", "cg 3", "inode 17", "/etc/rc", ...
	What  string
}

func (p Problem) String() string { return p.Where + ": " + p.What }
