package ufs

import (
	"io"

	"fruix.dev/fruix/freebsd/mtree"
)

// Build writes a UFS2 file system holding the tree at root (with the spec,
// if not nil, giving owners, modes, flags and extra entries) to w, from
// byte 0. w should be a new, empty file: free space is not written, so an
// *os.File output stays sparse.
func Build(w io.WriterAt, root string, spec *mtree.Spec, opt Options) (*Result, error) {
	return nil, errNotYet
}

// SizeFor returns the size in bytes Build would choose for the tree when
// Options.Size is 0: what the tree needs plus Options.FreeSpacePercent.
func SizeFor(root string, spec *mtree.Spec, opt Options) (int64, error) {
	return 0, errNotYet
}
