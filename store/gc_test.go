package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// gcFixture: lib <- app (app refers to lib), and unrelated junk. The store
// is reopened so that only the roots the test makes keep anything alive.
func gcFixture(t *testing.T) (s *Store, opts Options, lib, app, junk string) {
	s, opts = testStore(t)
	var err error
	lib, err = s.AddText("lib", []byte("library"), nil)
	must(t, err)
	app, err = s.AddText("app", []byte("uses "+lib), []string{lib})
	must(t, err)
	junk, err = s.AddText("junk", []byte("nobody needs this"), nil)
	must(t, err)
	return reopen(t, s, opts), opts, lib, app, junk
}

func valid(t *testing.T, s *Store, p string) bool {
	t.Helper()
	ok, err := s.IsValid(p)
	must(t, err)
	_, statErr := os.Lstat(p)
	if ok != (statErr == nil) {
		t.Errorf("%s: valid=%v but on disk=%v", p, ok, statErr == nil)
	}
	return ok
}

func TestCollectKeepsRootsAndTheirClosure(t *testing.T) {
	s, _, lib, app, junk := gcFixture(t)
	link := filepath.Join(t.TempDir(), "result")
	must(t, s.AddPermRoot(link, app))
	roots, err := s.Roots()
	must(t, err)
	if len(roots) != 1 || roots[0].Link != link || roots[0].Path != app {
		t.Errorf("roots %v", roots)
	}

	res, err := s.Collect(GCOptions{DryRun: true})
	must(t, err)
	if len(res.Deleted) != 1 || res.Deleted[0] != junk || res.BytesFreed == 0 {
		t.Errorf("dry run: %+v", res)
	}
	if !valid(t, s, junk) {
		t.Fatal("dry run deleted something")
	}

	res, err = s.Collect(GCOptions{})
	must(t, err)
	if len(res.Deleted) != 1 || valid(t, s, junk) || !valid(t, s, app) || !valid(t, s, lib) {
		t.Errorf("collect: %+v", res)
	}

	// Removing the user's link drops the root.
	must(t, os.Remove(link))
	res, err = s.Collect(GCOptions{})
	must(t, err)
	if len(res.Deleted) != 2 || res.Deleted[0] != app || valid(t, s, app) || valid(t, s, lib) {
		t.Errorf("after removing the link: %+v", res)
	}
	if entries, _ := os.ReadDir(s.autoRootsDir()); len(entries) != 0 {
		t.Errorf("stale indirect root left: %v", entries)
	}
}

func TestCollectHonoursTempRootsAndDirectRoots(t *testing.T) {
	s, _, lib, app, junk := gcFixture(t)
	must(t, s.AddTempRoot(app))
	must(t, s.AddRoot("keep-junk", junk))
	res, err := s.Collect(GCOptions{})
	must(t, err)
	if len(res.Deleted) != 0 || !valid(t, s, lib) || !valid(t, s, app) || !valid(t, s, junk) {
		t.Errorf("collected live paths: %+v", res)
	}
	must(t, s.RemoveRoot("keep-junk"))
	res, err = s.Collect(GCOptions{})
	must(t, err)
	if len(res.Deleted) != 1 || res.Deleted[0] != junk {
		t.Errorf("after removing the direct root: %+v", res)
	}
}

// An output being built (locked, not yet valid) is not garbage, while an
// unlocked invalid entry left in the store directory is.
func TestCollectBuildingAndInvalidEntries(t *testing.T) {
	s, _, _, app, _ := gcFixture(t)
	must(t, s.AddTempRoot(app))
	building := string(s.Dir()) + "/00000000000000000000000000000000-building"
	stray := string(s.Dir()) + "/11111111111111111111111111111111-stray"
	must(t, os.MkdirAll(building, 0o755))
	lostFound := string(s.Dir()) + "/lost+found"
	must(t, os.MkdirAll(lostFound, 0o700))
	must(t, os.MkdirAll(filepath.Join(stray, "sub"), 0o755))
	must(t, os.WriteFile(filepath.Join(stray, "sub", "f"), []byte("12345"), 0o444))
	must(t, os.Chmod(filepath.Join(stray, "sub"), 0o555))
	unlock, err := s.LockOutputs([]string{building})
	must(t, err)
	defer unlock()
	res, err := s.Collect(GCOptions{})
	must(t, err)
	deleted := strings.Join(res.Deleted, " ")
	if !strings.Contains(deleted, stray) || strings.Contains(deleted, building) {
		t.Errorf("deleted %v", res.Deleted)
	}
	if _, err := os.Lstat(building); err != nil {
		t.Error("the output being built was deleted")
	}
	if _, err := os.Lstat(stray); err == nil {
		t.Error("stray entry kept")
	}
	if _, err := os.Lstat(lostFound); err != nil {
		t.Error("a name that is not a store path was collected")
	}
}

func TestCollectMaxFreed(t *testing.T) {
	s, _, _, app, junk := gcFixture(t)
	res, err := s.Collect(GCOptions{MaxFreed: 1})
	must(t, err)
	// Referrers go first: app before lib; junk sorts before app? The
	// order is by name among independent paths, referrers first.
	if len(res.Deleted) != 1 {
		t.Fatalf("max-freed 1 deleted %v", res.Deleted)
	}
	if res.Deleted[0] != app && res.Deleted[0] != junk {
		t.Errorf("deleted %s first, which may still be referenced", res.Deleted[0])
	}
}

func TestDeleteSpecificPaths(t *testing.T) {
	s, _, lib, app, junk := gcFixture(t)
	_, err := s.Collect(GCOptions{Delete: []string{lib}})
	if err == nil || err.Error() != "cannot delete "+lib+": still referenced by "+app {
		t.Errorf("deleting a referenced path: %v", err)
	}
	link := filepath.Join(t.TempDir(), "result")
	must(t, s.AddPermRoot(link, junk))
	_, err = s.Collect(GCOptions{Delete: []string{junk}})
	if err == nil || !strings.Contains(err.Error(), "cannot delete "+junk+": it is alive (reachable from the GC root "+link+")") {
		t.Errorf("deleting a root: %v", err)
	}
	res, err := s.Collect(GCOptions{Delete: []string{lib, app}})
	must(t, err)
	if len(res.Deleted) != 2 || res.Deleted[0] != app || valid(t, s, lib) || valid(t, s, app) || !valid(t, s, junk) {
		t.Errorf("deleting app and lib together: %+v", res)
	}
	if _, err := s.Collect(GCOptions{Delete: []string{lib}}); err == nil || !strings.Contains(err.Error(), "no such store path") {
		t.Errorf("deleting a missing path: %v", err)
	}
}

// Closures come out the same whether walked by point lookups or by one
// pass over the index (what large closures switch to).
func TestRequisitesBothWays(t *testing.T) {
	s, _, lib, app, junk := gcFixture(t)
	top, err := s.AddText("top", []byte("uses "+app+" and "+junk), []string{app, junk})
	must(t, err)
	byLookup, err := s.Requisites(top)
	must(t, err)
	defer func(old int) { scanThreshold = old }(scanThreshold)
	scanThreshold = 2
	byScan, err := s.Requisites(top)
	must(t, err)
	want := []string{app, junk, lib, top}
	sort.Strings(want)
	if strings.Join(byLookup, " ") != strings.Join(want, " ") || strings.Join(byScan, " ") != strings.Join(want, " ") {
		t.Errorf("by lookup %v, by scan %v, want %v", byLookup, byScan, want)
	}
	if _, err := s.Requisites(string(s.Dir()) + "/00000000000000000000000000000000-gone"); !errors.Is(err, ErrNotValid) {
		t.Errorf("closure of an invalid path: %v", err)
	}
	// A collection walking by scan keeps the same paths (top and its
	// closure are temporary roots of this process, as is a path not yet
	// built).
	must(t, s.AddTempRoot(string(s.Dir())+"/00000000000000000000000000000000-building"))
	res, err := s.Collect(GCOptions{DryRun: true})
	if err != nil || len(res.Deleted) != 0 {
		t.Errorf("collection by scan: %+v %v", res, err)
	}
}

// Additions and collections running at the same time: nothing an
// addition returned is ever deleted, and the index and disk agree.
func TestCollectConcurrentWithAdditions(t *testing.T) {
	s, _ := testStore(t)
	var wg sync.WaitGroup
	added := make(chan string, 400)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 40; i++ {
				p, err := s.AddText(fmt.Sprintf("w%d-%d", w, i), []byte(fmt.Sprintf("%d %d", w, i)), nil)
				if err != nil {
					t.Error(err)
					return
				}
				added <- p
			}
		}(w)
	}
	stop := make(chan struct{})
	gcDone := make(chan struct{})
	go func() {
		defer close(gcDone)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := s.Collect(GCOptions{}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	wg.Wait()
	close(stop)
	<-gcDone
	close(added)
	n := 0
	for p := range added {
		n++
		if !valid(t, s, p) {
			t.Errorf("%s was collected although this process added it", p)
		}
	}
	if n != 160 {
		t.Errorf("%d paths added", n)
	}
}
