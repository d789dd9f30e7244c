package store

import (
	"sort"
	"sync"
)

// outputLocks are the per-path locks builds hold on the outputs they are
// producing. One process owns the store, so in-memory locks are enough.
type outputLocks struct {
	mu     sync.Mutex
	cond   *sync.Cond
	locked map[string]struct{}
}

func (l *outputLocks) init() {
	l.locked = map[string]struct{}{}
	l.cond = sync.NewCond(&l.mu)
}

func (l *outputLocks) free(paths []string) bool {
	for _, p := range paths {
		if _, busy := l.locked[p]; busy {
			return false
		}
	}
	return true
}

func (l *outputLocks) take(paths []string) func() {
	for _, p := range paths {
		l.locked[p] = struct{}{}
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			for _, p := range paths {
				delete(l.locked, p)
			}
			l.mu.Unlock()
			l.cond.Broadcast()
		})
	}
}

func dedup(paths []string) []string {
	out := append([]string(nil), paths...)
	sort.Strings(out)
	return dedupSorted(out)
}

func dedupSorted(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// LockOutputs waits until none of paths is locked, then locks them all at
// once (so two builds can never deadlock by locking in different orders)
// and returns the function that unlocks them. Locked paths are kept by
// the garbage collector: a collection running when the lock is taken has
// finished when LockOutputs returns. Callers must check validity again after
// locking: another build may have produced the path meanwhile.
func (s *Store) LockOutputs(paths []string) (unlock func(), err error) {
	for _, p := range paths {
		if err := s.checkPath(p); err != nil {
			return nil, err
		}
	}
	paths = dedup(paths)
	l := &s.outputs
	l.mu.Lock()
	defer l.mu.Unlock()
	for !l.free(paths) {
		l.cond.Wait()
	}
	unlock = l.take(paths)
	l.mu.Unlock()
	s.gcBarrier() // a collection that started before the lock has finished
	l.mu.Lock()
	return unlock, nil
}

// TryLockOutputs is LockOutputs without waiting: ok is false, and nothing
// is locked, when one of paths is already locked.
func (s *Store) TryLockOutputs(paths []string) (unlock func(), ok bool, err error) {
	for _, p := range paths {
		if err := s.checkPath(p); err != nil {
			return nil, false, err
		}
	}
	paths = dedup(paths)
	l := &s.outputs
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.free(paths) {
		return nil, false, nil
	}
	unlock = l.take(paths)
	l.mu.Unlock()
	s.gcBarrier()
	l.mu.Lock()
	return unlock, true, nil
}

func (l *outputLocks) list() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, 0, len(l.locked))
	for p := range l.locked {
		out = append(out, p)
	}
	return out
}

// lockOutputsHoldingGC is LockOutputs for callers that hold gcLock shared
// (a barrier there could deadlock behind a waiting collection).
func (s *Store) lockOutputsHoldingGC(paths []string) (unlock func()) {
	paths = dedup(paths)
	l := &s.outputs
	l.mu.Lock()
	defer l.mu.Unlock()
	for !l.free(paths) {
		l.cond.Wait()
	}
	return l.take(paths)
}
