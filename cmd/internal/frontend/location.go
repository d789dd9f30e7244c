package frontend

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/stdlib"
	"fruix.dev/fruix/store"
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
		l.StoreDir = os.Getenv(store.EnvStoreDir)
	}
	if l.StoreDir == "" {
		l.StoreDir = string(derivation.DefaultStoreDir)
	}
	if l.StateDir == "" {
		l.StateDir = os.Getenv(store.EnvStateDir)
	}
	if l.StateDir == "" {
		l.StateDir = store.DefaultStateDir
	}
	return l
}

// Dir is the resolved store directory.
func (l Location) Dir() derivation.StoreDir { return derivation.StoreDir(l.Resolve().StoreDir) }

// Open opens the store, creating it if needed, and makes this process its
// owner until Close.
func (l Location) Open() (*store.Store, error) {
	r := l.Resolve()
	return store.Open(store.Options{StoreDir: derivation.StoreDir(r.StoreDir), StateDir: r.StateDir})
}

// Exists reports whether the store's index exists, without creating
// anything.
func (l Location) Exists() bool {
	_, err := os.Stat(filepath.Join(l.Resolve().StateDir, "db"))
	return !errors.Is(err, os.ErrNotExist)
}

// Inspect opens the store only to look at it: when its index does not
// exist, nothing is created and st is nil; when another process owns it,
// st is nil too. note then says, for the user, why nothing was checked.
// Only an unreadable store is an error.
func (l Location) Inspect() (st *store.Store, note string, err error) {
	if !l.Exists() {
		return nil, fmt.Sprintf("no store at %s, so nothing was checked", l.Resolve().StateDir), nil
	}
	st, err = l.Open()
	var inUse *store.InUseError
	if errors.As(err, &inUse) {
		return nil, fmt.Sprintf("could not check the store: it is in use by pid %d (%s)", inUse.PID, inUse.Command), nil
	}
	if err != nil {
		return nil, "", err
	}
	return st, "", nil
}

// PlanInStore plans g against the store at l, if there is one to look
// at, and closes it again. A store whose directory is not the one the
// paths were computed for is not looked at. When there is no store at
// all and absentIsEmpty is set (what --dry-run wants), the plan says
// that everything would be built and added.
func PlanInStore(g *stdlib.Graph, l Location, absentIsEmpty bool) (*Plan, error) {
	if dir := l.Dir(); g.StoreDir != dir {
		return NewPlan(g, nil, fmt.Sprintf("the paths are for the store %s, not %s, so nothing was checked", g.StoreDir, dir))
	}
	if absentIsEmpty && !l.Exists() {
		return NewPlan(g, emptyStore{}, "")
	}
	st, note, err := l.Inspect()
	if err != nil {
		return nil, err
	}
	if st == nil {
		return NewPlan(g, nil, note)
	}
	defer st.Close()
	return NewPlan(g, st, "")
}

// emptyStore is a store that does not exist yet: nothing in it is valid.
type emptyStore struct{}

func (emptyStore) IsValid(string) (bool, error) { return false, nil }
