package ufs

// ValidateSuperblock applies to a raw superblock (at least 1376 bytes, as
// read from byte 65536) the checks FreeBSD's kernel makes before mounting,
// those of validate_sblock in sys/ufs/ffs/ffs_subr.c. It returns nil or an
// error listing every failed check.
func ValidateSuperblock(b []byte) error { return errNotYet }
