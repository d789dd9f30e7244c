package builtins

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ulikunitz/xz"
)

func init() { Register("unpack", "1", unpack) }

// unpack extracts the tar archive named by the environment variable "src"
// (plain, gzip or xz compressed, recognised by content) into the directory
// $out, keeping modes and symbolic links. Entries that would land outside
// $out are refused.
func unpack(c *Context) error {
	src := c.Env["src"]
	if src == "" {
		return fmt.Errorf("the derivation sets no \"src\" (the archive to unpack)")
	}
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := decompress(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return fmt.Errorf("%s: %v", src, err)
	}
	if err := os.Mkdir(c.Out, 0o755); err != nil {
		return err
	}
	n, err := Untar(r, c.Out)
	if err != nil {
		return fmt.Errorf("%s: %v", src, err)
	}
	fmt.Fprintf(c.Stderr, "unpacked %s: %d entries\n", src, n)
	return nil
}

// decompress recognises gzip and xz by their magic numbers; anything else
// is read as a plain tar archive.
func decompress(br *bufio.Reader) (io.Reader, error) {
	magic, _ := br.Peek(6)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		return gzip.NewReader(br)
	case bytes.HasPrefix(magic, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		return xz.NewReader(br)
	case bytes.HasPrefix(magic, []byte("BZh")):
		return nil, fmt.Errorf("bzip2 archives are not supported (want tar, tar.gz or tar.xz)")
	}
	return br, nil
}

// Untar extracts a tar stream into dir and returns the number of entries.
func Untar(r io.Reader, dir string) (int, error) {
	tr := tar.NewReader(r)
	n := 0
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
		name := filepath.Clean(h.Name)
		if name == "." {
			continue // the archive's "./"
		}
		if !filepath.IsLocal(name) {
			return n, fmt.Errorf("entry %q escapes the output directory", h.Name)
		}
		target := filepath.Join(dir, name)
		if err := noSymlinkParents(dir, name); err != nil {
			return n, err
		}
		mode := os.FileMode(h.Mode) & 0o777
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return n, err
			}
			// Directories stay writable while extracting; the store makes
			// everything read-only when it registers the output.
			if err := os.Chmod(target, mode|0o700); err != nil {
				return n, err
			}
		case tar.TypeReg:
			if err := writeFile(target, tr, mode); err != nil {
				return n, err
			}
		case tar.TypeSymlink:
			os.MkdirAll(filepath.Dir(target), 0o755)
			if err := os.Symlink(h.Linkname, target); err != nil {
				return n, err
			}
		case tar.TypeLink:
			old := filepath.Clean(h.Linkname)
			if !filepath.IsLocal(old) {
				return n, fmt.Errorf("hard link %q to %q escapes the output directory", h.Name, h.Linkname)
			}
			if err := noSymlinkParents(dir, old); err != nil {
				return n, err
			}
			if err := os.Link(filepath.Join(dir, old), target); err != nil {
				return n, err
			}
		case tar.TypeXGlobalHeader, tar.TypeXHeader:
		default:
			return n, fmt.Errorf("entry %q: unsupported type %q (device nodes and fifos cannot be in the store)", h.Name, h.Typeflag)
		}
	}
}

// noSymlinkParents refuses to write through a symbolic link that an
// earlier entry of the archive created: that would let an archive write
// outside the output directory.
func noSymlinkParents(dir, name string) error {
	parts := strings.Split(name, "/")
	p := dir
	for _, part := range parts[:len(parts)-1] {
		p = filepath.Join(p, part)
		st, err := os.Lstat(p)
		if os.IsNotExist(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if st.Mode()&os.ModeSymlink != 0 {
			return fmt.Errorf("entry %q goes through the symbolic link %q", name, strings.TrimPrefix(p, dir+"/"))
		}
	}
	return nil
}

func writeFile(target string, r io.Reader, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(target, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Chmod(target, mode)
}
