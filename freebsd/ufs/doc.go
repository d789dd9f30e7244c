// Package ufs writes, reads and checks FreeBSD UFS2 file systems, so that
// Fruix can turn a directory tree (plus an mtree spec giving owners, modes
// and flags) into a root file system for FreeBSD 14 and 15, on any host,
// without root, loop devices or FreeBSD tools. (No image from Build has
// yet been mounted by FreeBSD; see docs/ufs.md for what was validated.)
//
// The on-disk format follows FreeBSD's published headers: sys/ufs/ffs/fs.h
// (superblock, cylinder groups, macros), sys/ufs/ufs/dinode.h (inodes),
// sys/ufs/ufs/dir.h (directories), with the checks of validate_sblock in
// sys/ufs/ffs/ffs_subr.c and the cylinder-group layout of sbin/newfs/mkfs.c
// and sbin/fsck_ffs. The code here is Fruix's own.
//
// Build writes a file system; its output depends only on the tree's
// contents, the spec and the Options (all times and identifiers derive
// from Options.Timestamp), never on the host or the order in which the
// host lists directories. Open reads one back; Check verifies one the way
// fsck_ffs would.
package ufs
