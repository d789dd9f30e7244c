package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fruix.dev/fruix/derivation"
)

// testStore opens a store in a fresh temporary directory. The store
// directory is /tmp/...; paths are computed for it like for /frx/store.
func testStore(t *testing.T) (*Store, Options) {
	t.Helper()
	root := t.TempDir()
	opts := Options{StoreDir: derivation.StoreDir(root + "/store"), StateDir: root + "/state", NoSync: true}
	s, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, opts
}

// reopen closes s and opens the same store again, dropping the temporary
// roots of the first opening, as a new process would.
func reopen(t *testing.T, s *Store, opts Options) *Store {
	t.Helper()
	must(t, s.Close())
	s2, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s2.Close() })
	return s2
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "tree")
	for name, content := range files {
		p := filepath.Join(dir, name)
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		if target, ok := strings.CutPrefix(content, "->"); ok {
			must(t, os.Symlink(target, p))
			continue
		}
		mode := os.FileMode(0o644)
		if strings.HasPrefix(content, "#!") {
			mode = 0o4755 // setuid, which the store must drop
		}
		must(t, os.WriteFile(p, []byte(content), mode))
		must(t, os.Chmod(p, mode))
	}
	return dir
}

func TestOpenLayoutAndDefaults(t *testing.T) {
	s, opts := testStore(t)
	for _, d := range []string{"db", "gcroots/auto", "temproots", "log", "db.lock"} {
		if _, err := os.Stat(filepath.Join(opts.StateDir, d)); err != nil {
			t.Errorf("state dir lacks %s: %v", d, err)
		}
	}
	if s.Dir() != opts.StoreDir || s.StateDir() != opts.StateDir {
		t.Errorf("dirs %s %s", s.Dir(), s.StateDir())
	}
	t.Setenv(EnvStoreDir, "/x/store")
	t.Setenv(EnvStateDir, "/x/state")
	if o := (Options{}).withDefaults(); o.StoreDir != "/x/store" || o.StateDir != "/x/state" {
		t.Errorf("environment ignored: %+v", o)
	}
	os.Unsetenv(EnvStoreDir)
	os.Unsetenv(EnvStateDir)
	if o := (Options{}).withDefaults(); o.StoreDir != "/frx/store" || o.StateDir != "/frx/var/fruix" {
		t.Errorf("defaults: %+v", o)
	}
	if _, err := Open(Options{StoreDir: "relative", StateDir: "/tmp/x"}); err == nil {
		t.Error("relative store dir accepted")
	}
}

// A second opening (here from the same process, through another file
// description) is refused with the owner named, at once.
func TestSecondOpenNamesOwner(t *testing.T) {
	_, opts := testStore(t)
	start := time.Now()
	_, err := Open(opts)
	var inUse *InUseError
	if !errors.As(err, &inUse) || !errors.Is(err, ErrInUse) || inUse.PID != os.Getpid() {
		t.Fatalf("second Open: %v", err)
	}
	if !strings.Contains(err.Error(), "store "+opts.StateDir+" is in use by pid") || time.Since(start) > 2*time.Second {
		t.Errorf("message %q after %v", err, time.Since(start))
	}
}

func TestAddPathRecursive(t *testing.T) {
	s, _ := testStore(t)
	src := writeTree(t, map[string]string{"bin/hello": "#!/bin/sh\necho hi\n", "share/doc": "text", "link": "->share/doc"})
	p, err := s.AddPath(src, AddOptions{Name: "hello-1.0"})
	must(t, err)
	info, err := s.QueryPathInfo(p)
	must(t, err)
	want, _ := s.Dir().MakeSourcePath("hello-1.0", [32]byte(info.NarHash.Digest), nil, false)
	if p != want || !strings.HasPrefix(info.CA, "fixed:r:sha256:") {
		t.Errorf("path %s, want %s (CA %s)", p, want, info.CA)
	}
	h, size, err := NarHash(src)
	must(t, err)
	if !h.Equal(info.NarHash) || size != info.NarSize {
		t.Errorf("NAR hash of the source differs from the store's")
	}
	for name, want := range map[string]os.FileMode{"bin/hello": 0o555, "share/doc": 0o444, "bin": 0o555 | os.ModeDir, "": 0o555 | os.ModeDir} {
		fi, err := os.Lstat(filepath.Join(p, name))
		must(t, err)
		if fi.Mode() != want {
			t.Errorf("%s: mode %v, want %v", name, fi.Mode(), want)
		}
		if fi.ModTime().Unix() != 1 {
			t.Errorf("%s: mtime %v", name, fi.ModTime())
		}
	}
	again, err := s.AddPath(src, AddOptions{Name: "hello-1.0"})
	if err != nil || again != p {
		t.Errorf("adding again: %s %v", again, err)
	}
	entries, _ := os.ReadDir(string(s.Dir()))
	if len(entries) != 1 {
		t.Errorf("store holds %d entries, want 1 (no temporary leftovers)", len(entries))
	}
}

func TestAddPathFlatAndErrors(t *testing.T) {
	s, _ := testStore(t)
	src := writeTree(t, map[string]string{"f.txt": "Hello World!\n"})
	p, err := s.AddPath(filepath.Join(src, "f.txt"), AddOptions{Flat: true})
	must(t, err)
	want, _ := s.Dir().MakeFixedOutputPath("f.txt", derivation.Flat, derivation.HashBytes(derivation.SHA256, []byte("Hello World!\n")), nil, false)
	if p != want {
		t.Errorf("flat path %s, want %s", p, want)
	}
	if _, err := s.AddPath(src, AddOptions{Flat: true}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("flat directory: %v", err)
	}
	if _, err := s.AddPath(src, AddOptions{Name: "bad name"}); err == nil || !strings.Contains(err.Error(), "invalid store path name") {
		t.Errorf("bad name: %v", err)
	}
	if _, err := s.AddPath(filepath.Join(src, "missing"), AddOptions{}); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing source: %v", err)
	}
}

func TestAddTextReferencesAndReferrers(t *testing.T) {
	s, _ := testStore(t)
	dep, err := s.AddText("dep.txt", []byte("dependency"), nil)
	must(t, err)
	missing := string(s.Dir()) + "/00000000000000000000000000000000-missing"
	if _, err := s.AddText("bad.sh", []byte("uses "+missing), []string{missing}); err == nil || !strings.Contains(err.Error(), "is not valid") {
		t.Errorf("reference to an invalid path: %v", err)
	}
	user, err := s.AddText("user.sh", []byte("cat "+dep), []string{dep})
	must(t, err)
	want, _ := s.Dir().MakeTextPath("user.sh", derivation.HashBytes(derivation.SHA256, []byte("cat "+dep)).Digest32(), []string{dep})
	if user != want {
		t.Errorf("text path %s, want %s", user, want)
	}
	refs, err := s.QueryReferrers(dep)
	if err != nil || len(refs) != 1 || refs[0] != user {
		t.Errorf("referrers of dep: %v %v", refs, err)
	}
	req, err := s.Requisites(user)
	if err != nil || len(req) != 2 {
		t.Errorf("requisites: %v %v", req, err)
	}
	if size, err := s.ClosureSize(user); err != nil || size == 0 {
		t.Errorf("closure size %d %v", size, err)
	}
}

func TestAddDerivationRecordsOutputs(t *testing.T) {
	s, _ := testStore(t)
	d := derivation.New("hello", "x86_64-freebsd", "/bin/sh")
	d.Outputs["out"] = derivation.Output{}
	d.Outputs["dev"] = derivation.Output{}
	d.Env["out"], d.Env["dev"] = "", ""
	must(t, d.FillOutputPaths(s.Dir(), derivation.NewModuloHasher(nil)))
	drvPath, err := s.AddDerivation(d)
	must(t, err)
	if want, _ := d.Path(s.Dir()); drvPath != want {
		t.Errorf("drv path %s, want %s", drvPath, want)
	}
	outs, err := s.QueryDerivationOutputs(drvPath)
	if err != nil || outs["out"] != d.Outputs["out"].Path || outs["dev"] != d.Outputs["dev"].Path {
		t.Errorf("derivation outputs %v %v", outs, err)
	}
	back, err := s.ReadDerivation(drvPath)
	if err != nil || string(back.ATerm()) != string(d.ATerm()) || back.Name != "hello" {
		t.Errorf("read back: %v", err)
	}
}

// A registration either makes every path valid or none.
func TestRegisterIsAtomic(t *testing.T) {
	s, _ := testStore(t)
	a := filepath.Join(string(s.Dir()), "00000000000000000000000000000000-a")
	b := filepath.Join(string(s.Dir()), "11111111111111111111111111111111-b")
	must(t, os.WriteFile(a, []byte("a"), 0o444))
	must(t, os.WriteFile(b, []byte("b"), 0o444))
	ha, na, _ := NarHash(a)
	hb, nb, _ := NarHash(b)
	ghost := filepath.Join(string(s.Dir()), "22222222222222222222222222222222-ghost")
	err := s.Register(PathInfo{Path: a, NarHash: ha, NarSize: na}, PathInfo{Path: b, NarHash: hb, NarSize: nb, References: []string{ghost}})
	if err == nil || !strings.Contains(err.Error(), "is not valid") {
		t.Fatalf("registration with a dangling reference: %v", err)
	}
	if ok, _ := s.IsValid(a); ok {
		t.Error("a became valid though its batch failed")
	}
	if err := s.Register(PathInfo{Path: ghost, NarHash: ha, NarSize: na}); err == nil || !strings.Contains(err.Error(), "not on disk") {
		t.Errorf("path not on disk: %v", err)
	}
	// References within the batch are fine, in any order.
	must(t, s.Register(PathInfo{Path: b, NarHash: hb, NarSize: nb, References: []string{a}}, PathInfo{Path: a, NarHash: ha, NarSize: na}))
	if ok, _ := s.IsValid(b); !ok {
		t.Error("b not valid")
	}
	if _, err := s.QueryPathInfo(ghost); !errors.Is(err, ErrNotValid) {
		t.Errorf("QueryPathInfo of an invalid path: %v", err)
	}
}

func TestOpenRemovesCrashLeftovers(t *testing.T) {
	s, opts := testStore(t)
	left := filepath.Join(string(s.Dir()), tempPrefix+"crashed")
	must(t, os.MkdirAll(filepath.Join(left, "sub"), 0o755))
	must(t, os.Chmod(left, 0o555)) // canonicalized before the crash
	must(t, os.WriteFile(filepath.Join(opts.StateDir, "temproots", "99999999"), []byte("x\n"), 0o644))
	s = reopen(t, s, opts)
	if _, err := os.Lstat(left); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("leftover survived Open: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(opts.StateDir, "temproots", "99999999")); !errors.Is(err, os.ErrNotExist) {
		t.Error("stale temporary roots survived Open")
	}
}

func TestOutputLocks(t *testing.T) {
	s, _ := testStore(t)
	p := string(s.Dir()) + "/00000000000000000000000000000000-out"
	q := string(s.Dir()) + "/11111111111111111111111111111111-out"
	unlock, err := s.LockOutputs([]string{p, q})
	must(t, err)
	if _, ok, _ := s.TryLockOutputs([]string{q}); ok {
		t.Fatal("locked twice")
	}
	var mu sync.Mutex
	got := false
	done := make(chan struct{})
	go func() {
		u, err := s.LockOutputs([]string{p})
		mu.Lock()
		got = err == nil
		mu.Unlock()
		u()
		close(done)
	}()
	time.Sleep(50 * time.Millisecond)
	mu.Lock()
	if got {
		t.Error("second lock did not wait")
	}
	mu.Unlock()
	unlock()
	<-done
	if u, ok, _ := s.TryLockOutputs([]string{p, q}); !ok {
		t.Error("lock not released")
	} else {
		u()
	}
	if _, err := s.LockOutputs([]string{"/elsewhere/x"}); err == nil {
		t.Error("locked a path outside the store")
	}
}

func TestVerify(t *testing.T) {
	s, _ := testStore(t)
	p, err := s.AddText("a.txt", []byte("original"), nil)
	must(t, err)
	q, err := s.AddText("b.txt", []byte("other"), nil)
	must(t, err)
	if problems, err := s.Verify(true); err != nil || len(problems) != 0 {
		t.Fatalf("fresh store: %v %v", problems, err)
	}
	must(t, os.Chmod(p, 0o644))
	must(t, os.WriteFile(p, []byte("tampered"), 0o644))
	must(t, os.Remove(q))
	problems, err := s.Verify(false)
	if err != nil || len(problems) != 1 || problems[0].Path != q || !strings.Contains(problems[0].Msg, "missing") {
		t.Errorf("Verify(false): %v %v", problems, err)
	}
	problems, err = s.Verify(true)
	if err != nil || len(problems) != 2 || !strings.Contains(problems[0].String()+problems[1].String(), "contents changed") {
		t.Errorf("Verify(true): %v %v", problems, err)
	}
}

// An owner killed while Badger created a log file leaves an empty file
// that Badger cannot open; Open removes it and the index is intact.
func TestOpenAfterKillDuringIndexOpen(t *testing.T) {
	s, opts := testStore(t)
	p, err := s.AddText("kept", []byte("kept"), nil)
	must(t, err)
	must(t, s.Close())
	must(t, os.WriteFile(opts.StateDir+"/db/000099.vlog", nil, 0o644))
	must(t, os.WriteFile(opts.StateDir+"/db/00099.mem", nil, 0o644))
	s2, err := Open(opts)
	must(t, err)
	defer s2.Close()
	if ok, _ := s2.IsValid(p); !ok {
		t.Error("registration lost")
	}
}

// Canonical trees are read-only; removeTree first gives directories back
// their write bit (what an unprivileged owner needs to delete them).
func TestMakeWritableAndRemoveTree(t *testing.T) {
	dir := writeTree(t, map[string]string{"a/b/c": "x", "d": "y"})
	must(t, canonicalize(dir, -1, -1))
	fi, err := os.Stat(filepath.Join(dir, "a/b"))
	must(t, err)
	if fi.Mode().Perm() != 0o555 {
		t.Fatalf("canonical directory mode %v", fi.Mode())
	}
	must(t, makeWritable(dir))
	for _, d := range []string{"", "a", "a/b"} {
		fi, err := os.Stat(filepath.Join(dir, d))
		must(t, err)
		if fi.Mode().Perm() != 0o755 {
			t.Errorf("%q: mode %v after makeWritable", d, fi.Mode())
		}
	}
	must(t, canonicalize(dir, -1, -1))
	must(t, removeTree(dir))
	if _, err := os.Lstat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Error("tree not removed")
	}
}
