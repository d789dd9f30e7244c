package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/tests/treesnap"
	badger "github.com/dgraph-io/badger/v4"
)

// fillStore adds a small graph to s: two texts, one referring to the
// other, and a derivation with two outputs. It returns the paths added
// and, last, a path that is not valid.
func fillStore(t *testing.T, s *Store) []string {
	t.Helper()
	dep, err := s.AddText("dep.txt", []byte("dependency"), nil)
	must(t, err)
	user, err := s.AddText("user.sh", []byte("cat "+dep), []string{dep})
	must(t, err)
	d := derivation.New("hello", "x86_64-freebsd", "/bin/sh")
	d.Outputs["out"] = derivation.Output{}
	d.Outputs["dev"] = derivation.Output{}
	d.Env["out"], d.Env["dev"] = "", ""
	must(t, d.FillOutputPaths(s.Dir(), derivation.NewModuloHasher(nil)))
	drv, err := s.AddDerivation(d)
	must(t, err)
	return []string{dep, user, drv, d.Outputs["out"].Path}
}

// snapshot describes every file under root (treesnap.Listing).
func snapshot(t *testing.T, root string) []string {
	t.Helper()
	l, err := treesnap.Listing(root)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// The reader's answers are the owner's.
func TestReaderAnswersAsOwner(t *testing.T) {
	s, opts := testStore(t)
	paths := fillStore(t, s)
	missing := string(s.Dir()) + "/00000000000000000000000000000000-missing"
	type answers struct {
		valid     map[string]bool
		infos     map[string]PathInfo
		referrers map[string][]string
		outputs   map[string]string
		all       []string
		closure   []string // requisites, closure size, topological order
	}
	ask := func(q interface {
		IsValid(string) (bool, error)
		QueryPathInfo(string) (*PathInfo, error)
		QueryReferrers(string) ([]string, error)
		QueryDerivationOutputs(string) (map[string]string, error)
		ValidPaths() ([]string, error)
		Requisites(...string) ([]string, error)
		ClosureSize(...string) (uint64, error)
		TopoSortPaths([]string) ([]string, error)
	}) answers {
		a := answers{valid: map[string]bool{}, infos: map[string]PathInfo{}, referrers: map[string][]string{}}
		for _, p := range append(paths, missing) {
			ok, err := q.IsValid(p)
			must(t, err)
			a.valid[p] = ok
			if info, err := q.QueryPathInfo(p); err == nil {
				a.infos[p] = *info
			} else if !errors.Is(err, ErrNotValid) {
				t.Fatal(err)
			}
			refs, err := q.QueryReferrers(p)
			must(t, err)
			a.referrers[p] = refs
		}
		requisites, err := q.Requisites(paths[1])
		must(t, err)
		size, err := q.ClosureSize(paths[1])
		must(t, err)
		sorted, err := q.TopoSortPaths([]string{paths[1], paths[0]})
		must(t, err)
		a.closure = append(append(requisites, fmt.Sprint(size)), sorted...)
		a.outputs, err = q.QueryDerivationOutputs(paths[2])
		must(t, err)
		a.all, err = q.ValidPaths()
		must(t, err)
		return a
	}
	want := ask(s)
	must(t, s.Close())
	r, err := OpenReadOnly(opts)
	must(t, err)
	defer r.Close()
	if r.db == nil {
		t.Fatal("a reader of a store with an index has none open")
	}
	got := ask(r)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("reader answers\n%+v\nowner answers\n%+v", got, want)
	}
	if !want.valid[paths[0]] || want.valid[paths[3]] || want.valid[missing] || len(want.outputs) != 2 || len(want.all) != 3 || len(want.closure) != 5 {
		t.Errorf("unexpected answers of the owner: %+v", want)
	}
	if _, err := r.IsValid("/elsewhere/00000000000000000000000000000000-x"); err == nil {
		t.Error("a path outside the store is accepted")
	}
}

// Opening for queries, querying and closing change nothing under the
// state directory or the store directory: same names, sizes, modes,
// times and contents.
func TestReaderChangesNothing(t *testing.T) {
	s, opts := testStore(t)
	paths := fillStore(t, s)
	must(t, s.Close())
	root := filepath.Dir(opts.StateDir)
	before := snapshot(t, root)
	time.Sleep(20 * time.Millisecond) // so that a rewrite would show in the times
	for range 2 {
		r, err := OpenReadOnly(opts)
		must(t, err)
		for _, p := range paths {
			if _, err := r.IsValid(p); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := r.ValidPaths(); err != nil {
			t.Fatal(err)
		}
		must(t, r.Close())
	}
	after := snapshot(t, root)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("the store changed:\nbefore:\n%s\nafter:\n%s", strings.Join(before, "\n"), strings.Join(after, "\n"))
	}
}

// No store, or a state directory without an index: nothing is valid,
// and nothing is created.
func TestReaderOfMissingStore(t *testing.T) {
	root := t.TempDir()
	for _, opts := range []Options{
		{StoreDir: derivation.StoreDir(root + "/store"), StateDir: root + "/state"},
		{StoreDir: derivation.StoreDir(root + "/empty-store"), StateDir: root},
	} {
		r, err := OpenReadOnly(opts)
		must(t, err)
		p := string(opts.StoreDir) + "/00000000000000000000000000000000-x"
		if ok, err := r.IsValid(p); ok || err != nil {
			t.Errorf("IsValid in no store: %v %v", ok, err)
		}
		if _, err := r.QueryPathInfo(p); !errors.Is(err, ErrNotValid) {
			t.Errorf("QueryPathInfo in no store: %v", err)
		}
		if all, err := r.ValidPaths(); len(all) != 0 || err != nil {
			t.Errorf("ValidPaths of no store: %v %v", all, err)
		}
		if outs, err := r.QueryDerivationOutputs(p); len(outs) != 0 || err != nil {
			t.Errorf("QueryDerivationOutputs in no store: %v %v", outs, err)
		}
		if _, err := r.Requisites(p); !errors.Is(err, ErrNotValid) {
			t.Errorf("Requisites in no store: %v", err)
		}
		if r.db != nil {
			t.Error("a reader of no index has one open")
		}
		must(t, r.Close())
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("OpenReadOnly created %d entries", len(entries))
	}
	if _, err := OpenReadOnly(Options{StoreDir: derivation.StoreDir(root + "/store"), StateDir: "relative"}); err == nil {
		t.Error("a relative state directory is accepted")
	}
}

// Readers share the store; an owner is refused to readers at once, and
// waits for readers to close.
func TestReadersAndOwner(t *testing.T) {
	s, opts := testStore(t)
	paths := fillStore(t, s)
	// flock locks belong to open files, so an owner in this process
	// excludes a reader as another process's would.
	if _, err := OpenReadOnly(opts); !errors.As(err, new(*InUseError)) || !errors.Is(err, ErrInUse) {
		t.Fatalf("OpenReadOnly of an owned store: %v", err)
	}
	must(t, s.Close())
	r1, err := OpenReadOnly(opts)
	must(t, err)
	r2, err := OpenReadOnly(opts)
	must(t, err)
	if ok, err := r2.IsValid(paths[0]); !ok || err != nil {
		t.Errorf("second reader: %v %v", ok, err)
	}
	must(t, r2.Close())
	closed := make(chan time.Time, 1)
	go func() {
		time.Sleep(150 * time.Millisecond)
		closed <- time.Now()
		r1.Close()
	}()
	s2, err := Open(opts)
	must(t, err)
	opened := time.Now()
	defer s2.Close()
	if closedAt := <-closed; opened.Before(closedAt) {
		t.Errorf("the owner opened %v before the reader closed", closedAt.Sub(opened))
	}
	if ok, _ := s2.IsValid(paths[0]); !ok {
		t.Error("registration lost")
	}
}

// Readers that do not let go in time make Open fail, saying so.
func TestOwnerGivesUpOnReaders(t *testing.T) {
	s, opts := testStore(t)
	must(t, s.Close())
	r, err := OpenReadOnly(opts)
	must(t, err)
	defer r.Close()
	saved := readersWait
	readersWait = 50 * time.Millisecond
	defer func() { readersWait = saved }()
	_, err = Open(opts)
	var inUse *InUseError
	if !errors.As(err, &inUse) || !inUse.Readers || !strings.Contains(err.Error(), "is in use by processes reading it") {
		t.Errorf("Open while a reader holds the store: %v", err)
	}
}

// AreValid answers as IsValid does, whether it scans the index (more
// paths asked than entries) or looks each path up (fewer).
func TestAreValid(t *testing.T) {
	s, opts := testStore(t)
	paths := fillStore(t, s)
	for i := range 10 {
		_, err := s.AddText(fmt.Sprintf("more-%d", i), []byte(fmt.Sprint(i)), nil)
		must(t, err)
	}
	var asked []string
	for i := range 40 {
		asked = append(asked, paths[i%len(paths)], fmt.Sprintf("%s/%032d-absent", s.Dir(), i))
	}
	check := func(who string, q interface {
		IsValid(string) (bool, error)
		AreValid([]string) ([]bool, error)
	}) {
		for _, n := range []int{0, 1, 3, len(asked)} {
			got, err := q.AreValid(asked[:n])
			must(t, err)
			for i, p := range asked[:n] {
				if want, _ := q.IsValid(p); got[i] != want {
					t.Errorf("%s, %d paths: AreValid says %v for %s, IsValid %v", who, n, got[i], p, want)
				}
			}
		}
		if _, err := q.AreValid([]string{paths[0], "/elsewhere/x"}); err == nil {
			t.Errorf("%s: a path outside the store is accepted", who)
		}
	}
	// A collected path is deleted from the index: both ways must skip
	// what Badger keeps of it until compaction.
	gone, err := s.AddText("collected", []byte("collected"), nil)
	must(t, err)
	s = reopen(t, s, opts) // without the temporary root on it
	if _, err := s.Collect(GCOptions{Delete: []string{gone}}); err != nil {
		t.Fatal(err)
	}
	asked = append(asked, gone)
	check("owner", s)
	must(t, s.Close())
	r, err := OpenReadOnly(opts)
	must(t, err)
	defer r.Close()
	if n := r.validKeysAtMost(); n <= 3*scanFactor || n > scanFactor*len(asked) {
		t.Fatalf("the index is said to hold at most %d valid paths; the test wants both ways taken", n)
	}
	check("reader", r)
	if v, _ := r.AreValid([]string{gone, paths[0]}); v[0] || !v[1] {
		t.Errorf("AreValid of a collected path and a valid one: %v", v)
	}
	saved := lookupsPerWorker
	lookupsPerWorker = 1 // several workers for a few lookups
	defer func() { lookupsPerWorker = saved }()
	check("reader, one lookup per worker", r)
}

// TestSchemaVersion: an owner records the schema version in a new index,
// and an owner and a reader both refuse an index of another version.
func TestSchemaVersion(t *testing.T) {
	s, opts := testStore(t)
	must(t, s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(keySchema))
		if err != nil {
			return err
		}
		v, err := item.ValueCopy(nil)
		if string(v) != schemaVersion {
			t.Errorf("a new index records schema %q, want %q", v, schemaVersion)
		}
		return err
	}))
	must(t, s.db.Update(func(txn *badger.Txn) error { return txn.Set([]byte(keySchema), []byte("0-other")) }))
	must(t, s.Close())
	want := `has schema version "0-other"; this Fruix reads version ` + schemaVersion
	if r, err := OpenReadOnly(opts); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("OpenReadOnly of another schema: %v", err)
		if r != nil {
			r.Close()
		}
	}
	if s2, err := Open(opts); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Open of another schema: %v", err)
		if s2 != nil {
			s2.Close()
		}
	}
}
