package image

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"
)

// sparseBlock is the granularity at which zeros are skipped: the page and
// file-system block size of every host Fruix runs on.
const sparseBlock = 4096

// sparseFile is an io.WriterAt over a new file that leaves holes where
// zeros are written: a 20 GiB image holding 1 GiB of data then takes about
// 1 GiB of disk. A block of zeros is skipped only where the file already
// reads as zeros, so writing zeros over earlier data still clears it.
//
// The file must start empty and be written only through the sparseFile:
// then nothing at or past the highest byte written so far can hold data,
// and zeros there need no read to be skipped.
type sparseFile struct {
	f       *os.File
	scratch []byte
	mu      sync.Mutex
	end     int64 // highest offset written so far, exclusive
	// ctx, if set, stops the writers: once it is done every write fails.
	ctx context.Context
}

func newSparseFile(f *os.File) *sparseFile {
	return &sparseFile{f: f, scratch: make([]byte, sparseBlock)}
}

var zeroBlock = make([]byte, sparseBlock)

func (s *sparseFile) WriteAt(p []byte, off int64) (int, error) {
	if s.ctx != nil {
		if err := s.ctx.Err(); err != nil {
			return 0, fmt.Errorf("image: build stopped: %w", err)
		}
	}
	done := 0
	// pending is the run of p, from pendingAt, to write in one call.
	pendingAt := -1
	flush := func(end int) error {
		if pendingAt < 0 {
			return nil
		}
		_, err := s.f.WriteAt(p[pendingAt:end], off+int64(pendingAt))
		s.wrote(off+int64(pendingAt), end-pendingAt)
		pendingAt = -1
		return err
	}
	for done < len(p) {
		// Pieces end at block boundaries of the file, not of p.
		n := sparseBlock - int((off+int64(done))%sparseBlock)
		n = min(n, len(p)-done)
		piece := p[done : done+n]
		skip := false
		if bytes.Equal(piece, zeroBlock[:n]) {
			skip = s.readsAsZeros(off+int64(done), n)
		}
		if skip {
			if err := flush(done); err != nil {
				return done, err
			}
		} else if pendingAt < 0 {
			pendingAt = done
		}
		done += n
	}
	if err := flush(done); err != nil {
		return 0, err
	}
	return len(p), nil
}

// readsAsZeros says whether the file holds only zeros in [at, at+n).
func (s *sparseFile) readsAsZeros(at int64, n int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if at >= s.end {
		return true
	}
	got, err := s.f.ReadAt(s.scratch[:n], at)
	return (err == io.EOF || err == nil) && bytes.Equal(s.scratch[:got], zeroBlock[:got])
}

// wrote records that [at, at+n) may now hold data.
func (s *sparseFile) wrote(at int64, n int) {
	s.mu.Lock()
	s.end = max(s.end, at+int64(n))
	s.mu.Unlock()
}

// Seek whence values for data and holes: the same on Linux and FreeBSD.
const (
	seekData = 3
	seekHole = 4
)

// extent is a byte range [Off, Off+Len).
type extent struct{ Off, Len int64 }

// dataExtents lists the ranges of f within [off, off+size) that may hold
// data, skipping holes where the file system can say where they are. On a
// file system that cannot, the whole range is one extent.
func dataExtents(f *os.File, off, size int64) ([]extent, error) {
	end := off + size
	var out []extent
	for pos := off; pos < end; {
		start, err := f.Seek(pos, seekData)
		if err != nil {
			if len(out) == 0 && pos == off && !isNoData(err) {
				return []extent{{off, size}}, nil
			}
			break // ENXIO: no data after pos
		}
		if start >= end {
			break
		}
		hole, err := f.Seek(start, seekHole)
		if err != nil {
			return nil, fmt.Errorf("image: finding holes: %w", err)
		}
		hole = min(hole, end)
		out = append(out, extent{start, hole - start})
		pos = hole
	}
	return out, nil
}

// eachBlock calls fn with every block of blockSize bytes, aligned to
// blockSize from base, that holds a non-zero byte within [off, off+size)
// of f; blocks in holes are not read. A block that straddles the range's
// end is cut there.
func eachBlock(f *os.File, base, off, size int64, blockSize int, fn func(at int64, block []byte) error) error {
	exts, err := dataExtents(f, off, size)
	if err != nil {
		return err
	}
	buf := make([]byte, blockSize)
	end := off + size
	next := int64(-1) // first block start not yet visited
	for _, e := range exts {
		first := base + (e.Off-base)/int64(blockSize)*int64(blockSize)
		for at := max(first, next); at < e.Off+e.Len; at += int64(blockSize) {
			n := min(int64(blockSize), end-at)
			b := buf[:n]
			if _, err := f.ReadAt(b, at); err != nil && err != io.EOF {
				return fmt.Errorf("image: reading back: %w", err)
			}
			if !isZero(b) {
				if err := fn(at, b); err != nil {
					return err
				}
			}
			next = at + int64(blockSize)
		}
	}
	return nil
}

func isZero(b []byte) bool {
	for len(b) >= sparseBlock {
		if !bytes.Equal(b[:sparseBlock], zeroBlock) {
			return false
		}
		b = b[sparseBlock:]
	}
	return bytes.Equal(b, zeroBlock[:len(b)])
}

// isNoData says whether a SEEK_DATA error means "no data from here on".
func isNoData(err error) bool { return errors.Is(err, syscall.ENXIO) }
