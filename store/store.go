package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	badger "github.com/dgraph-io/badger/v4"
)

// Store is an open store, owned by this process until Close.
type Store struct {
	index          // the queries, shared with Reader
	owner *os.File // the flock on <state>/db.lock

	// gcLock is held shared by everything that creates paths and
	// exclusively by the garbage collector, so a path being added is
	// never collected between its creation and its temp root.
	gcLock sync.RWMutex

	tempRoots tempRoots
	outputs   outputLocks
}

// Open opens (creating it if needed) the store described by opts and
// makes this process its owner. Leftovers of a crashed owner — temporary
// names in the store directory and stale temporary-root files — are
// removed.
func Open(opts Options) (*Store, error) {
	opts, err := opts.resolved()
	if err != nil {
		return nil, err
	}
	stateDir := opts.StateDir
	for _, d := range []string{string(opts.StoreDir), stateDir, stateDir + "/gcroots/auto", stateDir + "/temproots", stateDir + "/log"} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("cannot create the store: %w", err)
		}
	}
	owner, err := acquireOwnerLock(stateDir)
	if err != nil {
		return nil, err
	}
	if err := removeEmptyLogs(stateDir + "/db"); err != nil {
		owner.Close()
		return nil, err
	}
	bopts := badger.DefaultOptions(stateDir + "/db").
		WithLogger(nil).
		WithSyncWrites(!opts.NoSync).
		WithMemTableSize(32 << 20). // one transaction holds ~50,000 index entries
		WithNumMemtables(2).
		WithBlockCacheSize(16 << 20).
		WithIndexCacheSize(16 << 20).
		WithNumCompactors(2).
		WithValueThreshold(1 << 20)
	db, err := badger.Open(bopts)
	if err != nil {
		owner.Close()
		return nil, fmt.Errorf("cannot open the store index %s/db: %w", stateDir, err)
	}
	s := &Store{index: index{dir: opts.StoreDir, stateDir: stateDir, db: db}, owner: owner}
	if err := s.checkSchema(); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.removeLeftovers(); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.tempRoots.open(stateDir + "/temproots"); err != nil {
		s.Close()
		return nil, err
	}
	s.outputs.init()
	return s, nil
}

// Close releases the index and the ownership of the store.
func (s *Store) Close() error {
	var err error
	if s.db != nil {
		err = s.db.Close()
		s.db = nil
	}
	s.tempRoots.close()
	if s.owner != nil {
		s.owner.Close()
		s.owner = nil
	}
	return err
}

// checkSchema checks the index's schema version, and records it in an
// index that has none yet.
func (s *Store) checkSchema() error {
	return s.db.Update(func(txn *badger.Txn) error {
		found, err := s.checkSchemaIn(txn)
		if err == nil && !found {
			return txn.Set([]byte(keySchema), []byte(schemaVersion))
		}
		return err
	})
}

// checkSchemaIn fails when the index records a schema version other than
// the one this Fruix reads; found is false when it records none (nothing
// was ever registered).
func (s *index) checkSchemaIn(txn *badger.Txn) (found bool, err error) {
	item, err := txn.Get([]byte(keySchema))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, item.Value(func(v []byte) error {
		if string(v) != schemaVersion {
			return fmt.Errorf("store index %s/db has schema version %q; this Fruix reads version %s", s.stateDir, v, schemaVersion)
		}
		return nil
	})
}

// removeEmptyLogs deletes zero-length value-log and memtable files from
// the Badger directory. An owner killed while Badger was creating one
// leaves it behind; it holds no data, but Badger refuses to open a
// database that has one.
func removeEmptyLogs(dbDir string) error {
	entries, err := os.ReadDir(dbDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot read the store index: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".vlog") && !strings.HasSuffix(name, ".mem") {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.Size() == 0 {
			if err := os.Remove(filepath.Join(dbDir, name)); err != nil {
				return fmt.Errorf("cannot remove the empty index log %s: %w", name, err)
			}
		}
	}
	return nil
}

// tempPrefix starts the names of paths being created in the store
// directory. Store path names cannot start with a dot, so they never clash.
const tempPrefix = ".tmp-"

// removeLeftovers deletes temporary names left in the store directory by a
// process that died while adding a path.
func (s *Store) removeLeftovers() error {
	entries, err := os.ReadDir(string(s.dir))
	if err != nil {
		return fmt.Errorf("cannot read the store directory: %w", err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempPrefix) {
			if err := removeTree(filepath.Join(string(s.dir), e.Name())); err != nil {
				return fmt.Errorf("cannot remove the leftover %s: %w", e.Name(), err)
			}
		}
	}
	return nil
}
