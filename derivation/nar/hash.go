package nar

import (
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"os"
	"sync"
)

// Hash returns the SHA-256 of the NAR serialization of path and the NAR's
// size, without writing the archive anywhere. Reading files and hashing
// run in two goroutines connected by a ring of large buffers, so the disk
// (or page cache) and the CPU work at the same time.
func Hash(path string) (sum [32]byte, size int64, err error) {
	h := sha256.New()
	size, err = HashInto(h, path)
	if err != nil {
		return sum, 0, err
	}
	copy(sum[:], h.Sum(nil))
	return sum, size, nil
}

// HashInto feeds the NAR serialization of path to h (any hash function)
// through the same pipeline as Hash, and returns the NAR's size.
func HashInto(h hash.Hash, path string) (int64, error) { return DumpPipelined(h, path) }

// DumpPipelined writes the NAR serialization of path to w like Dump, but
// reads files in one goroutine while w consumes the previous buffers in
// another. Use it when w does real work per byte (hashing, scanning).
func DumpPipelined(w io.Writer, path string) (int64, error) {
	if fi, err := os.Lstat(path); err == nil && !fi.IsDir() && fi.Size() < chunkSize {
		return Dump(w, path) // a small file: a second goroutine would only add latency
	}
	s := newPipeSink(w)
	err := dump(s, path)
	if cerr := s.close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	return s.n, nil
}

// pipeBuffers is the number of buffers in flight between the reader and
// the hasher.
const pipeBuffers = 4

type pipeSink struct {
	cur   []byte
	full  chan []byte
	free  chan []byte
	done  chan error
	n     int64
	inUse int // buffers taken from the pool besides the first
}

// chunkPool recycles the 1 MiB buffers, so hashing many small paths does
// not allocate (and clear) megabytes each time.
var chunkPool = sync.Pool{New: func() any { b := make([]byte, 0, chunkSize); return &b }}

func getChunk() []byte { return (*chunkPool.Get().(*[]byte))[:0] }

func putChunk(b []byte) { chunkPool.Put(&b) }

func newPipeSink(w io.Writer) *pipeSink {
	s := &pipeSink{
		full: make(chan []byte, pipeBuffers),
		free: make(chan []byte, pipeBuffers+1), // every buffer, the current one included, may come back
		done: make(chan error, 1),
	}
	s.cur = getChunk()
	go func() {
		var err error
		for b := range s.full {
			if err == nil {
				_, err = w.Write(b)
			}
			s.free <- b[:0]
		}
		s.done <- err
	}()
	return s
}

// send hands the current buffer to the consumer and takes an empty one:
// a recycled buffer if the consumer has returned one, a pooled one while
// fewer than pipeBuffers are in use.
func (s *pipeSink) send() {
	if len(s.cur) == 0 {
		return
	}
	s.full <- s.cur
	select {
	case b := <-s.free:
		s.cur = b
	default:
		if s.inUse < pipeBuffers {
			s.inUse++
			s.cur = getChunk()
		} else {
			s.cur = <-s.free
		}
	}
}

func (s *pipeSink) write(p []byte) error {
	s.n += int64(len(p))
	for len(p) > 0 {
		if len(s.cur) == cap(s.cur) {
			s.send()
		}
		k := copy(s.cur[len(s.cur):cap(s.cur)], p)
		s.cur = s.cur[:len(s.cur)+k]
		p = p[k:]
	}
	return nil
}

func (s *pipeSink) readFrom(f *os.File, n int64) error {
	for n > 0 {
		if len(s.cur) == cap(s.cur) {
			s.send()
		}
		room := int64(cap(s.cur) - len(s.cur))
		if room > n {
			room = n
		}
		start := len(s.cur)
		got, err := io.ReadFull(f, s.cur[start:start+int(room)])
		s.cur = s.cur[:start+got]
		s.n += int64(got)
		n -= int64(got)
		if err != nil {
			return fmt.Errorf("%s: %w (file changed while being hashed?)", f.Name(), err)
		}
	}
	return nil
}

func (s *pipeSink) close() error {
	if len(s.cur) > 0 {
		s.full <- s.cur
	} else {
		putChunk(s.cur)
	}
	s.cur = nil
	close(s.full)
	err := <-s.done
	close(s.free)
	for b := range s.free {
		putChunk(b)
	}
	return err
}
