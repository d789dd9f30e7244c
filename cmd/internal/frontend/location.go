package frontend

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/stdlib"
)

// The names and defaults of the store's location, as package store has
// them (a test checks that they agree): this package does not import the
// store, so that fruix-eval, which shows graphs, does not carry the
// store's index in its binary and starts as fast as before.
const (
	envStoreDir     = "FRUIX_STORE_DIR"
	envStateDir     = "FRUIX_STATE_DIR"
	defaultStateDir = "/frx/var/fruix"
)

// Location says which store a command uses. Empty fields fall back to
// $FRUIX_STORE_DIR and $FRUIX_STATE_DIR, then to /frx/store and
// /frx/var/fruix, as for every command.
type Location struct {
	StoreDir string
	StateDir string
}

// Resolve fills the empty fields from the environment and the defaults.
func (l Location) Resolve() Location {
	if l.StoreDir == "" {
		l.StoreDir = os.Getenv(envStoreDir)
	}
	if l.StoreDir == "" {
		l.StoreDir = string(derivation.DefaultStoreDir)
	}
	if l.StateDir == "" {
		l.StateDir = os.Getenv(envStateDir)
	}
	if l.StateDir == "" {
		l.StateDir = defaultStateDir
	}
	return l
}

// Dir is the resolved store directory.
func (l Location) Dir() derivation.StoreDir { return derivation.StoreDir(l.Resolve().StoreDir) }

// Exists reports whether the store's index exists, without creating
// anything.
func (l Location) Exists() bool {
	_, err := os.Stat(filepath.Join(l.Resolve().StateDir, "db"))
	return !errors.Is(err, os.ErrNotExist)
}

// emptyStore is a store that does not exist yet: nothing in it is valid.
// Planning against it says that everything would be built and added.
type emptyStore struct{}

// IsValid implements Validity.
func (emptyStore) IsValid(string) (bool, error) { return false, nil }

// StoreLook looks at a store for PlanAt: it returns the validity of
// paths, or nil and a note saying, for the user, why the store could not
// be checked (another process owns it).
type StoreLook func(paths []string) (v Validity, note string, err error)

// PlanAt plans g against the store at l, looking at it with look only if
// its index exists. A store whose directory is not the one the paths
// were computed for is not looked at. When there is no store at all and
// absentIsEmpty is set (what --dry-run wants), the plan says that
// everything would be built and added.
func PlanAt(g *stdlib.Graph, l Location, absentIsEmpty bool, look StoreLook) (*Plan, error) {
	if dir := l.Dir(); g.StoreDir != dir {
		return NewPlan(g, nil, fmt.Sprintf("the paths are for the store %s, not %s, so nothing was checked", g.StoreDir, dir))
	}
	if !l.Exists() {
		if absentIsEmpty {
			return NewPlan(g, emptyStore{}, "")
		}
		return NewPlan(g, nil, fmt.Sprintf("no store at %s, so nothing was checked", l.Resolve().StateDir))
	}
	v, note, err := look(graphPaths(g))
	if err != nil {
		return nil, err
	}
	if v == nil {
		return NewPlan(g, nil, note)
	}
	return NewPlan(g, v, "")
}

// graphPaths lists the paths whose validity a plan of g needs: every
// derivation output and every source.
func graphPaths(g *stdlib.Graph) []string {
	paths := make([]string, 0, 2*len(g.Derivations.Nodes)+len(g.Sources))
	for _, d := range g.Derivations.Nodes {
		for _, o := range d.Outputs {
			paths = append(paths, o.Path)
		}
	}
	for p := range g.Sources {
		paths = append(paths, p)
	}
	return paths
}
