package store

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"

	"fruix.dev/fruix/derivation"
	badger "github.com/dgraph-io/badger/v4"
)

// index is what a Store and a Reader share: the store's location and
// its Badger index, and the queries over it. db is nil only in a Reader
// of a store whose index does not exist yet, where nothing is valid.
type index struct {
	dir      derivation.StoreDir
	stateDir string
	db       *badger.DB
}

// Dir is the store directory.
func (s *index) Dir() derivation.StoreDir { return s.dir }

// StateDir is the state directory.
func (s *index) StateDir() string { return s.stateDir }

// checkPath validates that p is a path of this store.
func (s *index) checkPath(p string) error { return s.dir.ValidatePath(p) }

// view runs fn in a read transaction; without an index there is nothing
// to read and fn is not called.
func (s *index) view(fn func(txn *badger.Txn) error) error {
	if s.db == nil {
		return nil
	}
	return s.db.View(fn)
}

// IsValid reports whether p is a valid path of the store.
func (s *index) IsValid(p string) (bool, error) {
	if err := s.checkPath(p); err != nil {
		return false, err
	}
	valid := false
	err := s.view(func(txn *badger.Txn) error {
		_, err := txn.Get(validKey(p))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		valid = err == nil
		return err
	})
	return valid, err
}

// QueryPathInfo returns what the index records about p; the error wraps
// ErrNotValid when p is not valid.
func (s *index) QueryPathInfo(p string) (*PathInfo, error) {
	if err := s.checkPath(p); err != nil {
		return nil, err
	}
	var info *PathInfo
	err := s.view(func(txn *badger.Txn) error {
		var err error
		info, err = s.getInfo(txn, p)
		return err
	})
	if err == nil && info == nil {
		err = fmt.Errorf("%s: %w", p, ErrNotValid)
	}
	return info, err
}

func (s *index) getInfo(txn *badger.Txn, p string) (*PathInfo, error) {
	item, err := txn.Get(validKey(p))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fmt.Errorf("%s: %w", p, ErrNotValid)
	}
	if err != nil {
		return nil, err
	}
	var info *PathInfo
	err = item.Value(func(v []byte) error {
		info, err = decodePathInfo(s.dir, p, v)
		return err
	})
	return info, err
}

// QueryReferrers returns the valid paths that refer to p (p itself
// included if it refers to itself), sorted.
func (s *index) QueryReferrers(p string) ([]string, error) {
	if err := s.checkPath(p); err != nil {
		return nil, err
	}
	var out []string
	err := s.view(func(txn *badger.Txn) error {
		var err error
		out, err = s.referrers(txn, p)
		return err
	})
	return out, err
}

func (s *index) referrers(txn *badger.Txn, p string) ([]string, error) {
	prefix := referrerPrefix(p)
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	var out []string
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		out = append(out, fullPath(s.dir, lastPart(it.Item().Key())))
	}
	return out, nil
}

// QueryDerivationOutputs returns the output paths recorded for a
// registered .drv file: output name -> path.
func (s *index) QueryDerivationOutputs(drvPath string) (map[string]string, error) {
	if err := s.checkPath(drvPath); err != nil {
		return nil, err
	}
	out := map[string]string{}
	err := s.view(func(txn *badger.Txn) error {
		prefix := drvOutPrefix(drvPath)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			out[lastPart(it.Item().Key())] = fullPath(s.dir, string(v))
		}
		return nil
	})
	return out, err
}

// ValidPaths returns every valid path, sorted.
func (s *index) ValidPaths() ([]string, error) {
	var out []string
	err := s.view(func(txn *badger.Txn) error {
		prefix := []byte(prefixValid)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			out = append(out, fullPath(s.dir, string(it.Item().Key()[len(prefix):])))
		}
		return nil
	})
	return out, err
}

// ReadDerivation reads and parses a .drv file of the store.
func (s *index) ReadDerivation(drvPath string) (*derivation.Derivation, error) {
	if err := s.checkPath(drvPath); err != nil {
		return nil, err
	}
	return derivation.ReadFile(drvPath)
}

// AreValid reports, for each of paths, whether it is a valid path of the
// store: what IsValid says, for many paths at once and at a fraction of
// the cost. When the index holds few entries for the number of paths,
// one pass over its valid paths answers; otherwise each path is looked
// up, in one read transaction per worker.
func (s *index) AreValid(paths []string) ([]bool, error) {
	for _, p := range paths {
		if err := s.checkPath(p); err != nil {
			return nil, err
		}
	}
	valid := make([]bool, len(paths))
	if s.db == nil || len(paths) == 0 {
		return valid, nil
	}
	if s.validKeysAtMost() <= scanFactor*len(paths) {
		return valid, s.markValidByScan(paths, valid)
	}
	workers := min(runtime.GOMAXPROCS(0), (len(paths)+lookupsPerWorker-1)/lookupsPerWorker)
	chunk := (len(paths) + workers - 1) / workers
	errs := make(chan error, workers)
	for start := 0; start < len(paths); start += chunk {
		end := min(start+chunk, len(paths))
		go func() { errs <- s.markValidByLookup(paths[start:end], valid[start:end]) }()
	}
	var first error
	for start := 0; start < len(paths); start += chunk {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return valid, first
}

// scanFactor: one pass over the index costs less than a lookup of each
// path while the index holds fewer than scanFactor times as many valid
// paths as are asked about (reading the next key measured 5 to 10 times
// cheaper than looking one up, docs/performance.md).
const scanFactor = 4

// lookupsPerWorker is the fewest lookups worth a goroutine of their own
// (a variable for the tests).
var lookupsPerWorker = 2048

// validKeysAtMost bounds the number of valid paths in the index from its
// tables' key counts (entries still in memtables aside: a reader has none,
// and for an owner the bound only chooses between two correct ways).
func (s *index) validKeysAtMost() int {
	n := 0
	for _, t := range s.db.Tables() {
		// Left and Right carry an 8-byte version after the key.
		if keyBefore(t.Right, prefixValid) || keyAfterPrefix(t.Left, prefixValid) {
			continue
		}
		n += int(t.KeyCount)
	}
	return n
}

func keyBefore(k []byte, prefix string) bool {
	if len(k) >= 8 {
		k = k[:len(k)-8]
	}
	return string(k) < prefix
}

func keyAfterPrefix(k []byte, prefix string) bool {
	if len(k) >= 8 {
		k = k[:len(k)-8]
	}
	return string(k) > prefix && !strings.HasPrefix(string(k), prefix)
}

// markValidByScan sets valid[i] for the paths[i] found in one pass over
// the valid paths of the index, which Badger returns sorted: the paths,
// sorted too, are merged with them.
func (s *index) markValidByScan(paths []string, valid []bool) error {
	bases := make([]string, len(paths))
	order := make([]int32, len(paths))
	for i, p := range paths {
		bases[i] = p[strings.LastIndexByte(p, '/')+1:] // checked store paths
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(bases[a], bases[b]) })
	return s.db.View(func(txn *badger.Txn) error {
		prefix := []byte(prefixValid)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		defer it.Close()
		next := 0
		for it.Seek(prefix); it.ValidForPrefix(prefix) && next < len(order); it.Next() {
			key := it.Item().Key()[len(prefix):]
			for next < len(order) && bases[order[next]] < string(key) {
				next++
			}
			for next < len(order) && bases[order[next]] == string(key) {
				valid[order[next]] = true
				next++
			}
		}
		return nil
	})
}

// markValidByLookup looks each of paths up in one read transaction.
func (s *index) markValidByLookup(paths []string, valid []bool) error {
	return s.db.View(func(txn *badger.Txn) error {
		key := make([]byte, 0, 80)
		for i, p := range paths {
			key = append(append(key[:0], prefixValid...), baseName(p)...)
			_, err := txn.Get(key)
			if errors.Is(err, badger.ErrKeyNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			valid[i] = true
		}
		return nil
	})
}
