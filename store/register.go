package store

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"fruix.dev/fruix/derivation"
	badger "github.com/dgraph-io/badger/v4"
)

// Register makes paths valid, all in one Badger transaction: either every
// path becomes valid with its references, referrers and (for .drv files)
// derivation outputs, or none does. Each path must already be on disk, in
// its final canonical form; each reference must be valid already or be
// registered in the same call, so the set of valid paths stays closed
// under references. Registering a valid path again replaces its record.
// Registered paths become temporary roots of this process.
func (s *Store) Register(infos ...PathInfo) error {
	if len(infos) == 0 {
		return nil
	}
	batch := make(map[string]bool, len(infos))
	now := time.Now()
	prepared := make([]PathInfo, len(infos))
	drvOutputs := map[string]map[string]string{}
	for i, info := range infos {
		if err := s.checkPath(info.Path); err != nil {
			return fmt.Errorf("cannot register: %w", err)
		}
		if info.NarHash.Algo != derivation.SHA256 || len(info.NarHash.Digest) != 32 {
			return fmt.Errorf("cannot register %s: want a sha256 NAR hash, got %q", info.Path, info.NarHash.String())
		}
		if _, err := os.Lstat(info.Path); err != nil {
			return fmt.Errorf("cannot register %s: it is not on disk: %w", info.Path, err)
		}
		for _, r := range info.References {
			if err := s.checkPath(r); err != nil {
				return fmt.Errorf("cannot register %s: reference: %w", info.Path, err)
			}
		}
		if info.Deriver != "" {
			if err := s.checkPath(info.Deriver); err != nil {
				return fmt.Errorf("cannot register %s: deriver: %w", info.Path, err)
			}
		}
		if info.RegistrationTime.IsZero() {
			info.RegistrationTime = now
		}
		info.References = dedup(info.References)
		prepared[i] = info
		batch[info.Path] = true
		if strings.HasSuffix(info.Path, ".drv") {
			outs, err := s.readDrvOutputs(info.Path)
			if err != nil {
				return fmt.Errorf("cannot register %s: %w", info.Path, err)
			}
			drvOutputs[info.Path] = outs
		}
	}
	err := s.db.Update(func(txn *badger.Txn) error {
		for _, info := range prepared {
			for _, r := range info.References {
				if batch[r] {
					continue
				}
				if _, err := txn.Get(validKey(r)); err != nil {
					if errors.Is(err, badger.ErrKeyNotFound) {
						return fmt.Errorf("cannot register %s: its reference %s is not valid", info.Path, r)
					}
					return err
				}
			}
			if old, err := s.getInfo(txn, info.Path); err == nil {
				for _, r := range old.References {
					if err := txn.Delete(referrerKey(r, info.Path)); err != nil {
						return err
					}
				}
			} else if !errors.Is(err, ErrNotValid) {
				return err
			}
			if err := txn.Set(validKey(info.Path), encodePathInfo(&info)); err != nil {
				return err
			}
			for _, r := range info.References {
				if err := txn.Set(referrerKey(r, info.Path), nil); err != nil {
					return err
				}
			}
			for name, out := range drvOutputs[info.Path] {
				if err := txn.Set(drvOutKey(info.Path, name), []byte(baseName(out))); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err == nil {
		// What this process just made valid stays alive while it runs:
		// the build or addition that registered it is about to use it.
		paths := make([]string, len(prepared))
		for i, info := range prepared {
			paths[i] = info.Path
		}
		if err := s.tempRoots.add(paths...); err != nil {
			return err
		}
	}
	if errors.Is(err, badger.ErrTxnTooBig) {
		entries := 0
		for _, info := range prepared {
			entries += 1 + len(info.References) + len(drvOutputs[info.Path])
		}
		return fmt.Errorf("cannot register %d path(s) with %d index entries (one per path, reference and derivation output) in one transaction: the index takes about 50,000; register them in smaller groups, dependencies first", len(infos), entries)
	}
	return err
}

// readDrvOutputs reads the output paths a .drv file declares.
func (s *Store) readDrvOutputs(drvPath string) (map[string]string, error) {
	d, err := derivation.ReadFile(drvPath)
	if err != nil {
		return nil, err
	}
	outs := map[string]string{}
	for name, o := range d.Outputs {
		if o.Path == "" {
			continue
		}
		if err := s.checkPath(o.Path); err != nil {
			return nil, fmt.Errorf("output %q: %w", name, err)
		}
		outs[name] = o.Path
	}
	return outs, nil
}

// sortedPaths returns the keys of a set, sorted.
func sortedPaths(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
