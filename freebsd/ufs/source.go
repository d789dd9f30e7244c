package ufs

import (
	"io"
	"io/fs"
	"syscall"
)

// source is a file of the tree opened for reading with plain system
// calls: os.File's poller registration costs several calls per file, which
// dominates when a tree holds a hundred thousand small files.
type source struct {
	fd   int
	name string
}

func openSource(name string) (*source, error) {
	for {
		fd, err := syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return &source{fd: fd, name: name}, nil
	}
}

func (s *source) Name() string { return s.name }

func (s *source) Close() error { return syscall.Close(s.fd) }

// ReadAt reads len(p) bytes at off, or up to the end of the file (io.EOF).
func (s *source) ReadAt(p []byte, off int64) (int, error) {
	done := 0
	for done < len(p) {
		n, err := syscall.Pread(s.fd, p[done:], off+int64(done))
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return done, &fs.PathError{Op: "read", Path: s.name, Err: err}
		}
		if n == 0 {
			return done, io.EOF
		}
		done += n
	}
	return done, nil
}

// Seek is lseek(2), for SEEK_DATA and SEEK_HOLE.
func (s *source) Seek(off int64, whence int) (int64, error) {
	n, err := syscall.Seek(s.fd, off, whence)
	if err != nil {
		return 0, &fs.PathError{Op: "seek", Path: s.name, Err: err}
	}
	return n, nil
}
