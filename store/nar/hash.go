package nar

import (
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"os"
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
	cur  []byte
	full chan []byte
	free chan []byte
	done chan error
	n    int64
}

func newPipeSink(w io.Writer) *pipeSink {
	s := &pipeSink{
		full: make(chan []byte, pipeBuffers),
		free: make(chan []byte, pipeBuffers),
		done: make(chan error, 1),
	}
	for i := 0; i < pipeBuffers-1; i++ {
		s.free <- make([]byte, 0, chunkSize)
	}
	s.cur = make([]byte, 0, chunkSize)
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

func (s *pipeSink) send() {
	if len(s.cur) == 0 {
		return
	}
	s.full <- s.cur
	s.cur = <-s.free
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
	s.send()
	close(s.full)
	return <-s.done
}
