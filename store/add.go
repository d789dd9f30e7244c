package store

import (
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"fruix.dev/fruix/derivation"
)

// AddOptions says how AddPath stores a file or tree.
type AddOptions struct {
	// Name of the store path; empty means the base name of the source.
	Name string
	// Flat stores a single regular file addressed by the SHA-256 of its
	// bytes; otherwise the tree is addressed by the SHA-256 of its NAR
	// (a "source" path).
	Flat bool
}

// AddPath copies the file or tree at src into the store and returns its
// store path. The copy is made under a temporary name, canonicalized and
// hashed, then renamed to its content-addressed path and registered; if
// the path is already valid the copy is dropped. The path is a temporary
// root until the store is closed.
func (s *Store) AddPath(src string, opts AddOptions) (string, error) {
	name := opts.Name
	if name == "" {
		name = filepath.Base(src)
	}
	if err := derivation.ValidateName(name); err != nil {
		return "", fmt.Errorf("cannot add %s: %w", src, err)
	}
	fi, err := os.Lstat(src)
	if err != nil {
		return "", fmt.Errorf("cannot add %w", err)
	}
	if opts.Flat && !fi.Mode().IsRegular() {
		return "", fmt.Errorf("cannot add %s flat: it is not a regular file", src)
	}
	s.gcLock.RLock()
	defer s.gcLock.RUnlock()

	tmp, err := s.tempName()
	if err != nil {
		return "", err
	}
	defer removeTree(tmp) // a no-op once renamed into place
	if err := copyTree(src, tmp); err != nil {
		return "", fmt.Errorf("cannot add %s: %w", src, err)
	}
	if err := s.Canonicalize(tmp); err != nil {
		return "", fmt.Errorf("cannot add %s: %w", src, err)
	}
	narHash, narSize, err := NarHash(tmp)
	if err != nil {
		return "", fmt.Errorf("cannot add %s: %w", src, err)
	}
	var p, ca string
	if opts.Flat {
		h, err := derivation.HashFile(derivation.SHA256, tmp)
		if err != nil {
			return "", fmt.Errorf("cannot add %s: %w", src, err)
		}
		p, err = s.dir.MakeFixedOutputPath(name, derivation.Flat, h, nil, false)
		if err != nil {
			return "", err
		}
		ca = "fixed:" + h.String()
	} else {
		p, err = s.dir.MakeSourcePath(name, [32]byte(narHash.Digest), nil, false)
		if err != nil {
			return "", err
		}
		ca = "fixed:r:" + narHash.String()
	}
	err = s.install(tmp, PathInfo{Path: p, NarHash: narHash, NarSize: narSize, CA: ca})
	return p, err
}

// AddText stores text as a read-only file named name that refers to the
// store paths refs (which must be valid), and returns its path: a text
// path, the way .drv files and builder scripts are stored.
func (s *Store) AddText(name string, text []byte, refs []string) (string, error) {
	p, err := s.dir.MakeTextPath(name, sha256.Sum256(text), refs)
	if err != nil {
		return "", err
	}
	s.gcLock.RLock()
	defer s.gcLock.RUnlock()
	tmp, err := s.tempName()
	if err != nil {
		return "", err
	}
	defer removeTree(tmp)
	if err := os.WriteFile(tmp, text, 0o444); err != nil {
		return "", fmt.Errorf("cannot add %s: %w", name, err)
	}
	if err := s.Canonicalize(tmp); err != nil {
		return "", err
	}
	narHash, narSize, err := NarHash(tmp)
	if err != nil {
		return "", err
	}
	ca := "text:" + derivation.HashBytes(derivation.SHA256, text).String()
	return p, s.install(tmp, PathInfo{Path: p, NarHash: narHash, NarSize: narSize, References: refs, CA: ca})
}

// AddDerivation writes d's .drv file to the store (its input derivations
// and sources must be valid) and returns its path.
func (s *Store) AddDerivation(d *derivation.Derivation) (string, error) {
	if err := d.Validate(s.dir); err != nil {
		return "", err
	}
	return s.AddText(d.Name+".drv", d.ATerm(), d.References())
}

// install moves a canonical tree from its temporary name to info.Path and
// registers it, unless info.Path is valid already. The caller holds
// gcLock shared.
func (s *Store) install(tmp string, info PathInfo) error {
	// gcLock is held: no collection runs, so no barrier is needed.
	if err := s.tempRoots.add(info.Path); err != nil {
		return err
	}
	valid, err := s.IsValid(info.Path)
	if err != nil || valid {
		return err
	}
	unlock := s.lockOutputsHoldingGC([]string{info.Path})
	defer unlock()
	if valid, err := s.IsValid(info.Path); err != nil || valid {
		return err
	}
	// Something invalid may sit at the path: the remains of a build or an
	// addition that crashed between rename and registration.
	if _, err := os.Lstat(info.Path); err == nil {
		if err := removeTree(info.Path); err != nil {
			return fmt.Errorf("cannot replace the invalid %s: %w", info.Path, err)
		}
	}
	if err := os.Rename(tmp, info.Path); err != nil {
		return fmt.Errorf("cannot move %s into place: %w", info.Path, err)
	}
	return s.Register(info)
}

// tempName returns a fresh temporary name in the store directory. Such
// names start with a dot, which no store path can, and Open removes any
// that a crash left behind.
func (s *Store) tempName() (string, error) {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return filepath.Join(string(s.dir), tempPrefix+derivation.Base32Encode(b[:])), nil
}

// copyTree copies regular files (keeping only their execute bits),
// directories and symbolic links from src to dst, which must not exist.
func copyTree(src, dst string) error {
	fi, err := os.Lstat(src)
	if err != nil {
		return err
	}
	switch mode := fi.Mode(); {
	case mode.IsRegular():
		return copyFile(src, dst, mode)
	case mode&fs.ModeSymlink != 0:
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		return os.Symlink(target, dst)
	case mode.IsDir():
		if err := os.Mkdir(dst, 0o755); err != nil {
			return err
		}
		entries, err := os.ReadDir(src)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := copyTree(filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())); err != nil {
				return err
			}
		}
		return nil
	default:
		return fmt.Errorf("%s: cannot store a %s (only regular files, directories and symbolic links)", src, mode.Type())
	}
}

func copyFile(src, dst string, mode fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	perm := os.FileMode(0o644)
	if mode&0o111 != 0 {
		perm = 0o755
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in) // copy_file_range where the kernel has it
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
