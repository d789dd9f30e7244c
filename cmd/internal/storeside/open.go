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
func Open(l frontend.Location) (*store.Store, error) { return store.Open(options(l)) }

// options describes the store at l to the store package.
func options(l frontend.Location) store.Options {
	r := l.Resolve()
	return store.Options{StoreDir: derivation.StoreDir(r.StoreDir), StateDir: r.StateDir}
}

// Inspect opens the store at l only to look at it (store.OpenReadOnly):
// nothing is created or written, and a store that does not exist answers
// that nothing is valid (frontend.PlanAt says so before asking). When it
// cannot be looked at — another process owns it, or its last owner died
// and an owner must recover it first — r is nil and note says why, for
// the user. Only an unreadable store is an error.
func Inspect(l frontend.Location) (r *store.Reader, note string, err error) {
	r, err = store.OpenReadOnly(options(l))
	var inUse *store.InUseError
	switch {
	case errors.As(err, &inUse) && inUse.PID != 0:
		return nil, fmt.Sprintf("could not check the store: it is in use by pid %d (%s)", inUse.PID, inUse.Command), nil
	case errors.As(err, &inUse):
		return nil, "could not check the store: it is in use by another process", nil
	case errors.Is(err, store.ErrNeedsRecovery):
		return nil, "could not check the store: " + err.Error(), nil
	case err != nil:
		return nil, "", err
	}
	return r, "", nil
}

// ValidAmong returns those of paths that are valid in r.
func ValidAmong(r *store.Reader, paths []string) ([]string, error) {
	answers, err := r.AreValid(paths)
	if err != nil {
		return nil, err
	}
	var valid []string
	for i, p := range paths {
		if answers[i] {
			valid = append(valid, p)
		}
	}
	return valid, nil
}

// PlanInStore plans g against the store at l, if there is one to look
// at, only reading it (see frontend.PlanAt and Inspect).
func PlanInStore(g *stdlib.Graph, l frontend.Location, absentIsEmpty bool) (*frontend.Plan, error) {
	return frontend.PlanAt(g, l, absentIsEmpty, func(paths []string) (frontend.Validity, string, error) {
		r, note, err := Inspect(l)
		if r == nil || err != nil {
			return nil, note, err
		}
		defer r.Close()
		valid, err := ValidAmong(r, paths)
		if err != nil {
			return nil, "", err
		}
		return frontend.KnownValid(valid), "", nil
	})
}
