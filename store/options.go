package store

import (
	"fmt"
	"os"
	"path/filepath"

	"fruix.dev/fruix/derivation"
)

// DefaultStateDir is Fruix's state directory.
const DefaultStateDir = "/frx/var/fruix"

// Environment variables that override the default store and state
// directories, for every command and for Open.
const (
	EnvStoreDir = "FRUIX_STORE_DIR"
	EnvStateDir = "FRUIX_STATE_DIR"
)

// Options says which store to open.
type Options struct {
	// StoreDir is the store directory; empty means $FRUIX_STORE_DIR or
	// /frx/store.
	StoreDir derivation.StoreDir
	// StateDir is the state directory; empty means $FRUIX_STATE_DIR or
	// /frx/var/fruix.
	StateDir string
	// NoSync skips the fsync of each index transaction. Only for tests and
	// benchmarks of throwaway stores: a crash may then lose registrations
	// whose paths are already on disk (they become garbage, never corrupt).
	NoSync bool
}

// withDefaults fills empty fields from the environment, then the defaults.
func (o Options) withDefaults() Options {
	if o.StoreDir == "" {
		o.StoreDir = derivation.StoreDir(os.Getenv(EnvStoreDir))
	}
	if o.StoreDir == "" {
		o.StoreDir = derivation.DefaultStoreDir
	}
	if o.StateDir == "" {
		o.StateDir = os.Getenv(EnvStateDir)
	}
	if o.StateDir == "" {
		o.StateDir = DefaultStateDir
	}
	return o
}

// resolved is o with its defaults filled and checked: the state
// directory absolute and clean.
func (o Options) resolved() (Options, error) {
	o = o.withDefaults()
	if err := o.StoreDir.Validate(); err != nil {
		return o, err
	}
	if !filepath.IsAbs(o.StateDir) {
		return o, fmt.Errorf("invalid state directory %q: want an absolute path", o.StateDir)
	}
	o.StateDir = filepath.Clean(o.StateDir)
	return o, nil
}
