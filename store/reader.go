package store

import (
	"errors"
	"fmt"
	"os"
	"strings"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// Reader is a store opened only to query it: it answers what a Store
// answers about valid paths, and changes nothing on disk — neither the
// index, nor the store directory, nor the state directory. Any number of
// Readers, in any processes, may be open at once; while one is open, an
// owner (Open) waits for it to close.
type Reader struct {
	index
	lock *os.File // the shared flock on <state>/db.lock, nil without an index
}

// ErrNeedsRecovery is wrapped by the error OpenReadOnly returns when the
// last owner of the store stopped without closing it: its index is whole,
// but only an owner can bring it back into a state it can be read in.
var ErrNeedsRecovery = errors.New("the store index needs recovery")

// RecoveryError says that a store's index must be recovered by an owner
// before it can be read.
type RecoveryError struct {
	StateDir string
	File     string // the file of the index that shows it
}

func (e *RecoveryError) Error() string {
	return fmt.Sprintf("store %s was left open by a process that stopped without closing it (%s remains); the next command that changes the store (fruix build, fruix gc) recovers it", e.StateDir, e.File)
}

func (e *RecoveryError) Unwrap() error { return ErrNeedsRecovery }

// OpenReadOnly opens the store described by opts for queries only. A
// store whose index does not exist (no state directory, say) is not an
// error: the Reader answers that nothing is valid, and nothing is created.
// When a process owns the store (Open), the error is an *InUseError
// naming it: an owner's index cannot be read from another process. When
// the last owner died without closing the store, the error is a
// *RecoveryError. A process that holds a Reader and calls Open on the
// same store waits for itself (and gives up after 10 s): close the Reader
// first.
func OpenReadOnly(opts Options) (*Reader, error) {
	opts, err := opts.resolved()
	if err != nil {
		return nil, err
	}
	stateDir := opts.StateDir
	r := &Reader{index: index{dir: opts.StoreDir, stateDir: stateDir}}
	lock, err := acquireReaderLock(stateDir)
	if err != nil {
		return nil, err
	}
	r.lock = lock
	dbDir := stateDir + "/db"
	// Badger needs its manifest to open read-only; an index without one
	// was never written to.
	if _, err := os.Stat(dbDir + "/" + badger.ManifestFilename); errors.Is(err, os.ErrNotExist) {
		r.Close() // nothing to hold: no owner can take anything from a reader of nothing
		return r, nil
	} else if err != nil {
		r.Close()
		return nil, fmt.Errorf("cannot read the store index: %w", err)
	}
	if err := checkClosed(stateDir, dbDir); err != nil {
		r.Close()
		return nil, err
	}
	// No caches: a reader lives for one query, which reads each block
	// about once (AreValid), and making Badger's caches costs more than
	// opening the index itself. Tables keep the compression they were
	// written with; None only lets the block cache be left out.
	bopts := badger.DefaultOptions(dbDir).
		WithLogger(nil).
		WithReadOnly(true).
		WithMemTableSize(8 << 20). // sizes only the batches Badger would write, which it does not
		WithNumMemtables(1).
		WithCompression(options.None).
		WithBlockCacheSize(0).
		WithIndexCacheSize(0).
		WithNumCompactors(0).
		WithValueThreshold(1 << 20)
	db, err := badger.Open(bopts)
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("cannot open the store index %s for reading: %w", dbDir, err)
	}
	r.db = db
	if err := r.checkSchema(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// Close releases the index and the store, which an owner may then open.
func (r *Reader) Close() error {
	var err error
	if r.db != nil {
		err = r.db.Close()
		r.db = nil
	}
	if r.lock != nil {
		r.lock.Close()
		r.lock = nil
	}
	return err
}

// checkClosed fails when the index was left open by an owner that died:
// Badger then still has a memtable log, which only an owner can replay,
// or an empty log it was creating (see removeEmptyLogs). An owner that
// closes the store flushes and removes its memtable logs.
func checkClosed(stateDir, dbDir string) error {
	entries, err := os.ReadDir(dbDir)
	if err != nil {
		return fmt.Errorf("cannot read the store index: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, ".mem") {
			return &RecoveryError{StateDir: stateDir, File: "db/" + name}
		}
		if strings.HasSuffix(name, ".vlog") {
			if fi, err := e.Info(); err == nil && fi.Size() == 0 {
				return &RecoveryError{StateDir: stateDir, File: "db/" + name}
			}
		}
	}
	return nil
}

// checkSchema checks that the index is one this Fruix reads.
func (r *Reader) checkSchema() error {
	return r.db.View(func(txn *badger.Txn) error {
		_, err := r.checkSchemaIn(txn)
		return err
	})
}
