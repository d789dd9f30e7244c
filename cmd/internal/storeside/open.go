package storeside

import (
	"errors"
	"fmt"

	"fruix.dev/fruix/cmd/internal/frontend"
	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/stdlib"
	"fruix.dev/fruix/store"
)

// Open opens the store at l, creating it if needed, and makes this
// process its owner until Close.
func Open(l frontend.Location) (*store.Store, error) {
	r := l.Resolve()
	return store.Open(store.Options{StoreDir: derivation.StoreDir(r.StoreDir), StateDir: r.StateDir})
}

// Inspect opens the store only to look at it: when its index does not
// exist, nothing is created and st is nil; when another process owns it,
// st is nil too. note then says, for the user, why nothing was checked.
// Only an unreadable store is an error.
func Inspect(l frontend.Location) (st *store.Store, note string, err error) {
	if !l.Exists() {
		return nil, fmt.Sprintf("no store at %s, so nothing was checked", l.Resolve().StateDir), nil
	}
	st, err = Open(l)
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
// at, closing it again (see frontend.PlanAt).
func PlanInStore(g *stdlib.Graph, l frontend.Location, absentIsEmpty bool) (*frontend.Plan, error) {
	return frontend.PlanAt(g, l, absentIsEmpty, func(paths []string) (frontend.Validity, string, error) {
		st, note, err := Inspect(l)
		if st == nil || err != nil {
			return nil, note, err
		}
		defer st.Close()
		v, err := frontend.PrefetchValidity(st, paths)
		return v, "", err
	})
}
