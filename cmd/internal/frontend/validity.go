package frontend

import (
	"runtime"
	"sync"
)

// PrefetchValidity asks store about every path at once, from several
// goroutines (an index lookup is mostly waiting on memory and system
// calls), and returns the answers as a Validity that does not go back to
// the store. A graph of 10,000 derivations has some 30,000 paths.
func PrefetchValidity(store Validity, paths []string) (Validity, error) {
	answers := make([]bool, len(paths))
	workers := 2*runtime.GOMAXPROCS(0) + 2
	if len(paths) < 64 {
		workers = 1
	}
	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	chunk := (len(paths) + workers - 1) / workers
	for start := 0; start < len(paths); start += chunk {
		end := min(start+chunk, len(paths))
		wg.Add(1)
		go func(start, end int) {
			defer wg.Done()
			for i := start; i < end; i++ {
				ok, err := store.IsValid(paths[i])
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					return
				}
				answers[i] = ok
			}
		}(start, end)
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	known := make(knownValidity, len(paths))
	for i, p := range paths {
		known[p] = answers[i]
	}
	return known, nil
}

// knownValidity is the validity of a set of paths, found beforehand.
// A path outside the set is reported as not valid.
type knownValidity map[string]bool

// KnownValid is a Validity for which exactly the paths given are valid.
func KnownValid(paths []string) Validity {
	k := make(knownValidity, len(paths))
	for _, p := range paths {
		k[p] = true
	}
	return k
}

func (k knownValidity) IsValid(p string) (bool, error) { return k[p], nil }
