package nar

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"sort"
	"strings"
)

// MemFile is one regular file, symbolic link or directory of a directory
// tree held in memory, such as the build-side modules evaluation ships
// into a build, or the entries a local-file's #:select? keeps. The
// directories leading to an entry are implied by its slash-separated
// name; an empty directory needs an entry of its own.
type MemFile struct {
	Name       string // relative, slash-separated: "fruix/build/utils.scm"
	Data       []byte
	Executable bool
	// Symlink, when not empty, makes the entry a symbolic link to this
	// target (kept as written, relative or absolute); Data and Executable
	// are then unused.
	Symlink string
	// Dir makes the entry a directory; the other fields are then unused.
	Dir bool
}

// DumpFiles writes the NAR of a directory holding files, symbolic links
// and directories (given, or implied by the names below them) to w. The result is the
// NAR that Dump gives for the same tree written to disk, so a tree's store
// path can be computed before it exists. Names must be clean relative
// paths, and no name may be both a file and a directory; a symbolic link
// holds nothing, even when its target is a directory of the tree.
func DumpFiles(w io.Writer, files []MemFile) error {
	root, err := memTree(files)
	if err != nil {
		return err
	}
	e := &memEncoder{w: w}
	e.str(Magic)
	root.encode(e)
	return e.err
}

// HashFiles is the SHA-256 of the NAR DumpFiles writes.
func HashFiles(files []MemFile) ([32]byte, error) {
	h := sha256.New()
	if err := DumpFiles(h, files); err != nil {
		return [32]byte{}, err
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum, nil
}

// CheckFiles checks that files describe a tree as DumpFiles wants it:
// clean relative names, none given twice or both a file and a directory,
// nothing below a symbolic link. Such a tree can be written under a
// directory without anything landing outside it.
func CheckFiles(files []MemFile) error {
	_, err := memTree(files)
	return err
}

// memTree builds the in-memory tree of files, in name order (so that the
// first error is the same whatever the order given).
func memTree(files []MemFile) (*memDir, error) {
	sorted := append([]MemFile(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	root := &memDir{}
	for i := range sorted {
		if err := root.add(&sorted[i]); err != nil {
			return nil, err
		}
	}
	return root, nil
}

// memDir is a directory of the in-memory tree: entries by name.
type memDir struct {
	dirs  map[string]*memDir
	files map[string]*MemFile
}

// checkName checks that name can name an entry of an in-memory tree: a
// clean relative slash-separated path, which cannot leave the tree.
func checkName(name string) error {
	for _, p := range strings.Split(name, "/") {
		if p == "" || p == "." || p == ".." {
			return fmt.Errorf("nar: file name %q: want a clean relative path", name)
		}
	}
	return nil
}

func (d *memDir) add(f *MemFile) error {
	if err := checkName(f.Name); err != nil {
		return err
	}
	parts := strings.Split(f.Name, "/")
	if f.Symlink != "" && strings.IndexByte(f.Symlink, 0) >= 0 {
		return fmt.Errorf("nar: symbolic link %q: its target holds a NUL byte", f.Name)
	}
	if f.Dir {
		_, err := d.dir(f.Name, parts)
		return err
	}
	cur, err := d.dir(f.Name, parts[:len(parts)-1])
	if err != nil {
		return err
	}
	last := parts[len(parts)-1]
	if cur.dirs[last] != nil || cur.files[last] != nil {
		return fmt.Errorf("nar: %q given twice, or both a file and a directory", f.Name)
	}
	if cur.files == nil {
		cur.files = map[string]*MemFile{}
	}
	cur.files[last] = f
	return nil
}

// dir is the directory at parts below d, made as needed; name is the
// entry being added, for errors.
func (d *memDir) dir(name string, parts []string) (*memDir, error) {
	cur := d
	for _, p := range parts {
		if cur.files[p] != nil {
			return nil, fmt.Errorf("nar: %q is both a file and a directory", name)
		}
		next := cur.dirs[p]
		if next == nil {
			next = &memDir{}
			if cur.dirs == nil {
				cur.dirs = map[string]*memDir{}
			}
			cur.dirs[p] = next
		}
		cur = next
	}
	return cur, nil
}

func (d *memDir) encode(e *memEncoder) {
	e.str("(")
	e.str("type")
	e.str("directory")
	names := make([]string, 0, len(d.dirs)+len(d.files))
	for n := range d.dirs {
		names = append(names, n)
	}
	for n := range d.files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		e.str("entry")
		e.str("(")
		e.str("name")
		e.str(n)
		e.str("node")
		if sub := d.dirs[n]; sub != nil {
			sub.encode(e)
		} else {
			d.files[n].encode(e)
		}
		e.str(")")
	}
	e.str(")")
}

// encode writes the node of a regular file or symbolic link.
func (f *MemFile) encode(e *memEncoder) {
	e.str("(")
	e.str("type")
	if f.Symlink != "" {
		e.str("symlink")
		e.str("target")
		e.str(f.Symlink)
		e.str(")")
		return
	}
	e.str("regular")
	if f.Executable {
		e.str("executable")
		e.str("")
	}
	e.str("contents")
	e.bytes(f.Data)
	e.str(")")
}

// memEncoder writes framed strings, remembering the first error.
type memEncoder struct {
	w   io.Writer
	err error
}

func (e *memEncoder) str(s string) { e.bytes([]byte(s)) }

func (e *memEncoder) bytes(b []byte) {
	if e.err != nil {
		return
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
	if _, e.err = e.w.Write(n[:]); e.err != nil {
		return
	}
	if _, e.err = e.w.Write(b); e.err != nil {
		return
	}
	_, e.err = e.w.Write(zeros[:pad(uint64(len(b)))])
}
