package store

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"fruix.dev/fruix/derivation"
)

// Root is a garbage-collector root: a link that keeps a store path alive.
type Root struct {
	Link string // the symlink (or "temporary", "building") that holds the path
	Path string // the store path it keeps alive
}

func (s *Store) rootsDir() string     { return s.stateDir + "/gcroots" }
func (s *Store) autoRootsDir() string { return s.stateDir + "/gcroots/auto" }

// AddIndirectRoot registers link — a symbolic link anywhere, such as a
// user's ./result, that points into the store — as a GC root: the store
// records a symlink to link under <state>/gcroots/auto, and the path link
// points to stays alive for as long as link exists and points there.
// Removing link is enough to drop the root.
func (s *Store) AddIndirectRoot(link string) error {
	abs, err := filepath.Abs(link)
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(abs))
	entry := filepath.Join(s.autoRootsDir(), derivation.Base32Encode(sum[:20]))
	return replaceSymlink(abs, entry)
}

// AddPermRoot makes link a symbolic link to the store path p and registers
// it as an indirect root (what `fruix build` does for ./result).
func (s *Store) AddPermRoot(link, p string) error {
	if err := s.checkPath(p); err != nil {
		return err
	}
	if fi, err := os.Lstat(link); err == nil && fi.Mode()&fs.ModeSymlink == 0 {
		return fmt.Errorf("cannot make %s a GC root: it exists and is not a symbolic link", link)
	}
	if err := replaceSymlink(p, link); err != nil {
		return err
	}
	return s.AddIndirectRoot(link)
}

// AddRoot creates the direct root <state>/gcroots/<name> pointing to p.
func (s *Store) AddRoot(name, p string) error {
	if err := s.checkPath(p); err != nil {
		return err
	}
	if name == "" || strings.Contains(name, "/") || name == "auto" || name[0] == '.' {
		return fmt.Errorf("invalid root name %q: want a plain file name other than \"auto\"", name)
	}
	return replaceSymlink(p, filepath.Join(s.rootsDir(), name))
}

// RemoveRoot deletes the direct root <state>/gcroots/<name>.
func (s *Store) RemoveRoot(name string) error {
	if name == "" || strings.Contains(name, "/") || name == "auto" {
		return fmt.Errorf("invalid root name %q", name)
	}
	return os.Remove(filepath.Join(s.rootsDir(), name))
}

// replaceSymlink atomically makes link a symbolic link to target.
func replaceSymlink(target, link string) error {
	tmp := fmt.Sprintf("%s.tmp-%d", link, os.Getpid())
	os.Remove(tmp)
	if err := os.Symlink(target, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// Roots lists the GC roots: direct roots (symlinks under <state>/gcroots),
// indirect roots whose link still points into the store, temporary roots
// of this process ("temporary") and outputs being built ("building").
// Indirect-root entries whose link has gone are removed.
func (s *Store) Roots() ([]Root, error) {
	var roots []Root
	err := filepath.WalkDir(s.rootsDir(), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		if filepath.Dir(p) == s.autoRootsDir() {
			link, err := os.Readlink(p)
			if err != nil {
				return nil
			}
			target, ok := s.followToStore(link)
			if !ok {
				if _, err := os.Lstat(link); errors.Is(err, fs.ErrNotExist) {
					os.Remove(p) // the user removed the link: the root is gone
				}
				return nil
			}
			roots = append(roots, Root{Link: link, Path: target})
			return nil
		}
		if target, ok := s.followToStore(p); ok {
			roots = append(roots, Root{Link: p, Path: target})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cannot read the GC roots: %w", err)
	}
	for _, p := range s.tempRoots.list() {
		roots = append(roots, Root{Link: "temporary", Path: p})
	}
	for _, p := range s.outputs.list() {
		roots = append(roots, Root{Link: "building", Path: p})
	}
	sort.Slice(roots, func(i, j int) bool {
		if roots[i].Path != roots[j].Path {
			return roots[i].Path < roots[j].Path
		}
		return roots[i].Link < roots[j].Link
	})
	return roots, nil
}

// followToStore follows a chain of symbolic links (a profile generation
// link, say) until it reaches a path inside the store, and returns the
// store path that contains it.
func (s *Store) followToStore(link string) (string, bool) {
	cur := link
	for range 40 {
		target, err := os.Readlink(cur)
		if err != nil {
			return "", false
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(cur), target)
		}
		if strings.HasPrefix(target, string(s.dir)+"/") {
			p, err := s.dir.ToStorePath(target)
			return p, err == nil
		}
		cur = target
	}
	return "", false
}
