package ufs

import "io"

// FS is a UFS2 file system opened for reading.
type FS struct {
	r    io.ReaderAt
	size int64
	sb   superblock
}

// Open reads the superblock of the UFS2 file system in r (size bytes).
func Open(r io.ReaderAt, size int64) (*FS, error) { return nil, errNotYet }

// Stat returns the inode at path ("/" or "" is the root). Symbolic links
// are not followed.
func (f *FS) Stat(path string) (*Inode, error) { return nil, errNotYet }

// ReadDir lists a directory, "." and ".." left out, sorted by name.
func (f *FS) ReadDir(path string) ([]DirEntry, error) { return nil, errNotYet }

// ReadFile returns the contents of a regular file.
func (f *FS) ReadFile(path string) ([]byte, error) { return nil, errNotYet }

// Open returns a reader of a regular file's contents, streaming block by
// block; holes read as zeros.
func (f *FS) Open(path string) (io.Reader, error) { return nil, errNotYet }

// Readlink returns a symbolic link's target.
func (f *FS) Readlink(path string) (string, error) { return "", errNotYet }
