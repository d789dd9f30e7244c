package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	badger "github.com/dgraph-io/badger/v4"
)

// GCOptions says what Collect does.
type GCOptions struct {
	// DryRun reports what would be deleted and deletes nothing.
	DryRun bool
	// MaxFreed stops once this many bytes are freed (0: no limit).
	MaxFreed uint64
	// Delete, when not empty, deletes exactly these paths instead of all
	// garbage; a path that is alive or still referenced is refused.
	Delete []string
}

// GCResult is what Collect deleted (or, with DryRun, would delete).
type GCResult struct {
	Deleted    []string
	BytesFreed uint64
}

// gcBatch is how many paths one index transaction invalidates.
const gcBatch = 512

// Collect deletes garbage: store paths not reachable through references
// from a root (see Roots), and anything in the store directory that is
// not valid. Referrers are deleted before what they refer to, and each
// batch of paths is made invalid before it is removed from disk, so a
// crash in the middle leaves a consistent store (with at most some
// invalid leftovers, which the next collection removes).
func (s *Store) Collect(opts GCOptions) (*GCResult, error) {
	s.gcLock.Lock()
	defer s.gcLock.Unlock()

	roots, err := s.Roots()
	if err != nil {
		return nil, err
	}
	rootPaths := make([]string, 0, len(roots))
	for _, r := range roots {
		rootPaths = append(rootPaths, r.Path)
	}
	var live map[string]bool
	err = s.db.View(func(txn *badger.Txn) error {
		live, err = s.closure(txn, rootPaths, false)
		return err
	})
	if err != nil {
		return nil, err
	}

	var candidates []string
	if len(opts.Delete) > 0 {
		candidates, err = s.checkDeletable(opts.Delete, live, roots)
	} else {
		candidates, err = s.garbage(live)
	}
	if err != nil {
		return nil, err
	}
	order, err := s.referrersFirst(candidates)
	if err != nil {
		return nil, err
	}

	res := &GCResult{}
	for len(order) > 0 {
		if opts.MaxFreed > 0 && res.BytesFreed >= opts.MaxFreed {
			break
		}
		var batch []deadPath
		for len(order) > 0 && len(batch) < gcBatch {
			if opts.MaxFreed > 0 && res.BytesFreed >= opts.MaxFreed {
				break
			}
			d := order[0]
			order = order[1:]
			batch = append(batch, d)
			res.BytesFreed += d.size
			res.Deleted = append(res.Deleted, d.path)
		}
		if opts.DryRun {
			continue
		}
		if err := s.invalidate(batch); err != nil {
			return res, err
		}
		for _, d := range batch {
			if err := removeTree(d.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return res, fmt.Errorf("cannot delete %s: %w", d.path, err)
			}
		}
	}
	return res, nil
}

type deadPath struct {
	path  string
	valid bool
	refs  []string // of a valid path, for its referrer rows
	size  uint64
}

// garbage lists the valid paths not in live, and the entries of the
// store directory that are neither valid nor live.
func (s *Store) garbage(live map[string]bool) ([]string, error) {
	valid, err := s.ValidPaths()
	if err != nil {
		return nil, err
	}
	var out []string
	isValid := make(map[string]bool, len(valid))
	for _, p := range valid {
		isValid[baseName(p)] = true
		if !live[baseName(p)] {
			out = append(out, p)
		}
	}
	entries, err := os.ReadDir(string(s.dir))
	if err != nil {
		return nil, fmt.Errorf("cannot read the store directory: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if isValid[name] || live[name] || strings.HasPrefix(name, ".") {
			continue // temporary names belong to operations in progress
		}
		if s.checkPath(filepath.Join(string(s.dir), name)) != nil {
			continue // not a store path (lost+found on a separate file system, say): not ours to delete
		}
		out = append(out, filepath.Join(string(s.dir), name))
	}
	return out, nil
}

// checkDeletable refuses paths that are alive or still referenced by a
// valid path that is not being deleted too.
func (s *Store) checkDeletable(paths []string, live map[string]bool, roots []Root) ([]string, error) {
	set := map[string]bool{}
	for _, p := range paths {
		if err := s.checkPath(p); err != nil {
			return nil, err
		}
		set[p] = true
	}
	for _, p := range sortedPaths(set) {
		if live[baseName(p)] {
			return nil, fmt.Errorf("cannot delete %s: it is alive (reachable from the GC root %s)", p, s.rootReaching(p, roots))
		}
		referrers, err := s.QueryReferrers(p)
		if err != nil {
			return nil, err
		}
		for _, r := range referrers {
			if r != p && !set[r] {
				return nil, fmt.Errorf("cannot delete %s: still referenced by %s", p, r)
			}
		}
		if _, err := os.Lstat(p); err != nil {
			if valid, _ := s.IsValid(p); !valid {
				return nil, fmt.Errorf("cannot delete %s: no such store path", p)
			}
		}
	}
	return sortedPaths(set), nil
}

// rootReaching names a root whose closure holds p, for error messages.
func (s *Store) rootReaching(p string, roots []Root) string {
	for _, r := range roots {
		var reach map[string]bool
		s.db.View(func(txn *badger.Txn) error {
			reach, _ = s.closure(txn, []string{r.Path}, false)
			return nil
		})
		if reach[baseName(p)] {
			if r.Link == "temporary" || r.Link == "building" {
				return fmt.Sprintf("%s (%s)", r.Path, r.Link)
			}
			return r.Link
		}
	}
	return "?"
}

// referrersFirst orders paths so each comes after all of its referrers
// among them, and looks up what deleting each frees.
func (s *Store) referrersFirst(paths []string) ([]deadPath, error) {
	in := make(map[string]bool, len(paths))
	for _, p := range paths {
		in[p] = true
	}
	sorted := append([]string(nil), paths...)
	sort.Strings(sorted)
	done := make(map[string]bool, len(paths))
	out := make([]deadPath, 0, len(paths))
	var visit func(p string) error
	visit = func(p string) error {
		if done[p] {
			return nil
		}
		done[p] = true
		referrers, err := s.QueryReferrers(p)
		if err != nil {
			return err
		}
		for _, r := range referrers {
			if r != p && in[r] {
				if err := visit(r); err != nil {
					return err
				}
			}
		}
		d := deadPath{path: p}
		if info, err := s.QueryPathInfo(p); err == nil {
			d.valid, d.refs, d.size = true, info.References, info.NarSize
		} else if errors.Is(err, ErrNotValid) {
			d.size = diskUsage(p)
		} else {
			return err
		}
		out = append(out, d)
		return nil
	}
	for _, p := range sorted {
		if err := visit(p); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// invalidate removes a batch of paths from the index in one transaction.
func (s *Store) invalidate(batch []deadPath) error {
	return s.db.Update(func(txn *badger.Txn) error {
		for _, d := range batch {
			if !d.valid {
				continue
			}
			if err := txn.Delete(validKey(d.path)); err != nil {
				return err
			}
			for _, r := range d.refs {
				if err := txn.Delete(referrerKey(r, d.path)); err != nil {
					return err
				}
			}
			if strings.HasSuffix(d.path, ".drv") {
				prefix := drvOutPrefix(d.path)
				it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
				var keys [][]byte
				for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
					keys = append(keys, it.Item().KeyCopy(nil))
				}
				it.Close()
				for _, k := range keys {
					if err := txn.Delete(k); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

// diskUsage sums the sizes of the regular files under path.
func diskUsage(path string) uint64 {
	var total uint64
	filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				total += uint64(fi.Size())
			}
		}
		return nil
	})
	return total
}
