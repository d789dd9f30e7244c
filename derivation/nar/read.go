package nar

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// maxStringLen bounds the framing strings (tags, names, link targets) a NAR
// may hold, so a corrupt length cannot make the reader allocate gigabytes.
const maxStringLen = 1 << 16

// FormatError is a malformed archive: what was expected and where.
type FormatError struct {
	Offset int64 // byte offset in the archive
	Msg    string
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("malformed NAR at byte %d: %s", e.Offset, e.Msg)
}

// Restore unpacks the NAR read from r at dst, which must not exist yet.
// Regular files are created 0444 (0555 if executable) and directories
// 0755, so the caller can canonicalize them afterwards. The whole archive
// is checked strictly — sorted unique entry names without "/", ".", "..",
// NUL; zero padding; nothing after the end — and an error leaves whatever
// was written for the caller to remove.
func Restore(r io.Reader, dst string) error {
	rd := &reader{r: bufio.NewReaderSize(r, 64<<10)}
	if s := rd.str(); rd.err == nil && s != Magic {
		rd.fail("expected %q, found %q", Magic, s)
	}
	if rd.err == nil {
		rd.node(dst)
	}
	if rd.err == nil {
		if _, err := rd.r.ReadByte(); err == nil {
			rd.fail("data after the end of the archive")
		}
	}
	return rd.err
}

// Check reads a whole NAR from r and reports whether it is well formed,
// without writing anything.
func Check(r io.Reader) error { return Restore(r, "") }

type reader struct {
	r   *bufio.Reader
	off int64
	err error
	buf [8]byte
}

func (rd *reader) fail(format string, args ...any) {
	if rd.err == nil {
		rd.err = &FormatError{Offset: rd.off, Msg: fmt.Sprintf(format, args...)}
	}
}

func (rd *reader) readFull(p []byte) bool {
	if rd.err != nil {
		return false
	}
	n, err := io.ReadFull(rd.r, p)
	rd.off += int64(n)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			rd.fail("unexpected end of archive")
		} else {
			rd.err = err
		}
		return false
	}
	return true
}

func (rd *reader) u64() uint64 {
	if !rd.readFull(rd.buf[:]) {
		return 0
	}
	return binary.LittleEndian.Uint64(rd.buf[:])
}

func (rd *reader) padding(n uint64) {
	p := pad(n)
	if p == 0 || !rd.readFull(rd.buf[:p]) {
		return
	}
	for _, b := range rd.buf[:p] {
		if b != 0 {
			rd.off -= int64(p)
			rd.fail("non-zero padding")
			return
		}
	}
}

func (rd *reader) str() string {
	n := rd.u64()
	if rd.err != nil {
		return ""
	}
	if n > maxStringLen {
		rd.fail("string of %d bytes is too long", n)
		return ""
	}
	b := make([]byte, n)
	if !rd.readFull(b) {
		return ""
	}
	rd.padding(n)
	return string(b)
}

func (rd *reader) expect(want string) {
	if s := rd.str(); rd.err == nil && s != want {
		rd.fail("expected %q, found %q", want, s)
	}
}

// node reads one node and creates it at path ("" when only checking).
func (rd *reader) node(path string) {
	rd.expect("(")
	rd.expect("type")
	kind := rd.str()
	if rd.err != nil {
		return
	}
	switch kind {
	case "regular":
		rd.regular(path)
	case "symlink":
		rd.expect("target")
		target := rd.str()
		if rd.err != nil {
			return
		}
		if target == "" || strings.IndexByte(target, 0) >= 0 {
			rd.fail("invalid symlink target %q", target)
			return
		}
		if path != "" {
			if err := os.Symlink(target, path); err != nil {
				rd.err = err
				return
			}
		}
		rd.expect(")")
	case "directory":
		rd.directory(path)
	default:
		rd.fail("unknown node type %q", kind)
	}
}

func (rd *reader) regular(path string) {
	tag := rd.str()
	executable := false
	if rd.err == nil && tag == "executable" {
		executable = true
		rd.expect("")
		tag = rd.str()
	}
	if rd.err != nil {
		return
	}
	if tag != "contents" {
		rd.fail("expected \"contents\", found %q", tag)
		return
	}
	size := rd.u64()
	if rd.err != nil {
		return
	}
	if size > 1<<62 {
		rd.fail("file size %d is impossibly large (the archive is truncated or corrupt)", size)
		return
	}
	var w io.Writer = io.Discard
	var f *os.File
	if path != "" {
		mode := os.FileMode(0o444)
		if executable {
			mode = 0o555
		}
		var err error
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
		if err != nil {
			rd.err = err
			return
		}
		w = f
	}
	n, err := io.CopyN(w, rd.r, int64(size))
	rd.off += n
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			rd.fail("unexpected end of archive in the contents of a %d-byte file", size)
		} else {
			rd.err = err
		}
		return
	}
	rd.padding(size)
	rd.expect(")")
}

func (rd *reader) directory(path string) {
	if path != "" {
		if err := os.Mkdir(path, 0o755); err != nil {
			rd.err = err
			return
		}
	}
	prev := ""
	for first := true; rd.err == nil; first = false {
		tag := rd.str()
		if rd.err != nil {
			return
		}
		if tag == ")" {
			return
		}
		if tag != "entry" {
			rd.fail("expected \"entry\" or \")\", found %q", tag)
			return
		}
		rd.expect("(")
		rd.expect("name")
		name := rd.str()
		if rd.err != nil {
			return
		}
		switch {
		case name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\x00"):
			rd.fail("invalid entry name %q", name)
			return
		case !first && name <= prev:
			rd.fail("entry %q is not sorted after %q, or is a duplicate", name, prev)
			return
		}
		prev = name
		rd.expect("node")
		child := ""
		if path != "" {
			child = filepath.Join(path, name)
		}
		rd.node(child)
		rd.expect(")")
	}
}
