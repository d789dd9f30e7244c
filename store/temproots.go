package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// tempRoots are the paths a build or an addition in progress needs kept
// alive. Since only the owning process can collect garbage, the set in
// memory is what the collector honours; the file <state>/temproots/<pid>
// mirrors it so that an operator can see what a running Fruix holds.
type tempRoots struct {
	mu    sync.Mutex
	paths map[string]struct{}
	file  *os.File
}

func (t *tempRoots) open(dir string) error {
	// Only the owner of the store writes here, and the owner lock is held:
	// every file left is from a process that is gone.
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("cannot read the temporary roots: %w", err)
	}
	for _, e := range entries {
		os.Remove(filepath.Join(dir, e.Name()))
	}
	f, err := os.OpenFile(filepath.Join(dir, strconv.Itoa(os.Getpid())), os.O_WRONLY|os.O_CREATE|os.O_TRUNC|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("cannot create the temporary roots file: %w", err)
	}
	t.paths = map[string]struct{}{}
	t.file = f
	return nil
}

func (t *tempRoots) close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.file != nil {
		name := t.file.Name()
		t.file.Close()
		os.Remove(name)
		t.file = nil
	}
}

func (t *tempRoots) add(paths ...string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	var lines strings.Builder
	for _, p := range paths {
		if _, ok := t.paths[p]; ok {
			continue
		}
		t.paths[p] = struct{}{}
		lines.WriteString(p)
		lines.WriteByte('\n')
	}
	if t.file != nil && lines.Len() > 0 {
		if _, err := t.file.WriteString(lines.String()); err != nil {
			return fmt.Errorf("cannot record temporary roots: %w", err)
		}
	}
	return nil
}

func (t *tempRoots) list() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]string, 0, len(t.paths))
	for p := range t.paths {
		out = append(out, p)
	}
	return out
}

// AddTempRoot keeps p (and its closure, once p is valid) alive until the
// store is closed, whether or not p is valid yet. Call it before using p
// as the input of a build, then check that p is valid: a collection that
// was running when AddTempRoot was called has finished when it returns,
// and every later one keeps p.
func (s *Store) AddTempRoot(p string) error {
	if err := s.checkPath(p); err != nil {
		return err
	}
	if err := s.tempRoots.add(p); err != nil {
		return err
	}
	s.gcBarrier()
	return nil
}

// gcBarrier waits for a collection in progress to finish.
func (s *Store) gcBarrier() {
	s.gcLock.RLock()
	s.gcLock.RUnlock()
}
