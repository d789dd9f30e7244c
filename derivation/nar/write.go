package nar

import (
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// Magic is the first string of every NAR.
const Magic = "nix-archive-1"

// chunkSize is the size of the buffers file contents are read into.
const chunkSize = 1 << 20

// sink receives the serialized archive. Header strings are small and go
// through write; file contents are read straight into the sink's buffer by
// readFrom, to avoid copying them twice.
type sink interface {
	write(p []byte) error
	readFrom(f *os.File, n int64) error
}

// Dump writes the NAR serialization of the file-system object at path to
// w, and returns the number of bytes written.
func Dump(w io.Writer, path string) (int64, error) {
	s := &writerSink{w: w, buf: getChunk()}
	err := dump(s, path)
	if err == nil {
		err = s.flush()
	}
	putChunk(s.buf)
	return s.n, err
}

type writerSink struct {
	w   io.Writer
	buf []byte
	n   int64
}

func (s *writerSink) write(p []byte) error {
	if len(s.buf)+len(p) > cap(s.buf) {
		if err := s.flush(); err != nil {
			return err
		}
	}
	if len(p) > cap(s.buf) {
		s.n += int64(len(p))
		_, err := s.w.Write(p)
		return err
	}
	s.buf = append(s.buf, p...)
	s.n += int64(len(p))
	return nil
}

func (s *writerSink) flush() error {
	if len(s.buf) == 0 {
		return nil
	}
	_, err := s.w.Write(s.buf)
	s.buf = s.buf[:0]
	return err
}

func (s *writerSink) readFrom(f *os.File, n int64) error {
	for n > 0 {
		if len(s.buf) == cap(s.buf) {
			if err := s.flush(); err != nil {
				return err
			}
		}
		room := int64(cap(s.buf) - len(s.buf))
		if room > n {
			room = n
		}
		start := len(s.buf)
		got, err := io.ReadFull(f, s.buf[start:start+int(room)])
		s.buf = s.buf[:start+got]
		s.n += int64(got)
		n -= int64(got)
		if err != nil {
			return fmt.Errorf("%s: %w (file changed while being archived?)", f.Name(), err)
		}
	}
	return nil
}

// dumper serializes nodes into a sink, reusing one scratch buffer for the
// framing strings.
type dumper struct {
	s       sink
	scratch []byte
}

func dump(s sink, path string) error {
	d := &dumper{s: s, scratch: make([]byte, 0, 4096)}
	d.str(Magic)
	if err := d.flushScratch(); err != nil {
		return err
	}
	if err := d.node(path); err != nil {
		return err
	}
	return d.flushScratch()
}

// str appends a framed string to the scratch buffer.
func (d *dumper) str(s string) {
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
	d.scratch = append(d.scratch, n[:]...)
	d.scratch = append(d.scratch, s...)
	d.scratch = append(d.scratch, zeros[:pad(uint64(len(s)))]...)
}

func (d *dumper) flushScratch() error {
	err := d.s.write(d.scratch)
	d.scratch = d.scratch[:0]
	return err
}

var zeros [8]byte

func pad(n uint64) int { return int((8 - n%8) % 8) }

func (d *dumper) node(path string) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	d.str("(")
	d.str("type")
	switch mode := fi.Mode(); {
	case mode.IsRegular():
		d.str("regular")
		if mode&0o111 != 0 {
			d.str("executable")
			d.str("")
		}
		d.str("contents")
		size := fi.Size()
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(size))
		d.scratch = append(d.scratch, n[:]...)
		if err := d.flushScratch(); err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		err = d.s.readFrom(f, size)
		f.Close()
		if err != nil {
			return err
		}
		d.scratch = append(d.scratch, zeros[:pad(uint64(size))]...)
	case mode&fs.ModeSymlink != 0:
		target, err := os.Readlink(path)
		if err != nil {
			return err
		}
		d.str("symlink")
		d.str("target")
		d.str(target)
	case mode.IsDir():
		d.str("directory")
		names, err := readDirNames(path)
		if err != nil {
			return err
		}
		for _, name := range names {
			d.str("entry")
			d.str("(")
			d.str("name")
			d.str(name)
			d.str("node")
			if err := d.node(filepath.Join(path, name)); err != nil {
				return err
			}
			d.str(")")
		}
	default:
		return fmt.Errorf("%s: cannot archive a %s (only regular files, directories and symbolic links)", path, mode.Type())
	}
	d.str(")")
	if len(d.scratch) >= cap(d.scratch)/2 {
		return d.flushScratch()
	}
	return nil
}

// readDirNames lists a directory's entries in byte order, as NAR requires.
func readDirNames(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	return names, nil
}
