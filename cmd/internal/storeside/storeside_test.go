package storeside

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fruix.dev/fruix/cmd/internal/frontend"
	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/derivation/nar"
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
	"fruix.dev/fruix/store"
)

// chain is a program whose last value is c, which needs b, which needs a.
const chain = `
(use-modules (fruix derivations))
(define a (derivation "a" "/bin/sh" '("-c" "echo a > $out")))
(define b (derivation "b" "/bin/sh" (list "-c" (derivation->output-path a)) #:inputs (list a)))
(derivation "c" "/bin/sh" (list "-c" (derivation->output-path b)) #:inputs (list b))`

// lowerProgram evaluates text for the store directory dir and lowers
// its value.
func lowerProgram(t *testing.T, dir derivation.StoreDir, text string) *stdlib.Graph {
	t.Helper()
	th := stdlib.New(eval.Options{})
	if dir != "" {
		if err := frontend.SetStoreDir(th, dir); err != nil {
			t.Fatal(err)
		}
	}
	v, err := th.EvalString(&lang.Source{Name: "test.scm"}, text)
	if err != nil {
		t.Fatal(eval.FormatError(err))
	}
	g, err := frontend.LowerValue(th, v)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// openTempStore opens a throwaway store.
func openTempStore(t testing.TB) *store.Store {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(store.Options{StoreDir: derivation.StoreDir(filepath.Join(dir, "store")), StateDir: filepath.Join(dir, "state"), NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// sourcesGraph is a graph of three sources, one of each kind, the text
// referring to the tree (which holds files and symbolic links), computed
// as evaluation computes them.
func sourcesGraph(t *testing.T, dir derivation.StoreDir, local string) *stdlib.Graph {
	t.Helper()
	files := []stdlib.TreeFile{{Name: "fruix/build/x.scm", Data: []byte("(define x 1)\n")}, {Name: "bin/run", Data: []byte("#!/bin/sh\n"), Executable: true},
		{Name: "bin/start", Symlink: "run"}, {Name: "lib", Symlink: "/nowhere"}, {Name: "share/empty", Dir: true}}
	narHash, err := nar.HashFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	treePath, err := dir.MakeSourcePath("modules", narHash, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	text := []byte("(load \"" + treePath + "/fruix/build/x.scm\")\n")
	textPath, err := dir.MakeTextPath("x-builder", sha256.Sum256(text), []string{treePath})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(local)
	if err != nil {
		t.Fatal(err)
	}
	localPath, err := dir.MakeFixedOutputPath("motd", derivation.Flat, derivation.HashBytes(derivation.SHA256, data), nil, false)
	if err != nil {
		t.Fatal(err)
	}
	g := &stdlib.Graph{StoreDir: dir, Derivations: derivation.NewGraph(), Sources: map[string]*stdlib.Source{
		treePath:  {Path: treePath, Name: "modules", Kind: stdlib.SourceTree, Files: files},
		textPath:  {Path: textPath, Name: "x-builder", Kind: stdlib.SourceText, Text: text, Refs: []string{treePath}},
		localPath: {Path: localPath, Name: "motd", Kind: stdlib.SourceLocal, LocalFile: local},
	}}
	g.Roots = []*stdlib.Lowered{{Source: g.Sources[textPath], Outputs: map[string]string{"out": textPath}}, {Source: g.Sources[localPath], Outputs: map[string]string{"out": localPath}}}
	return g
}

func TestMaterializeSources(t *testing.T) {
	st := openTempStore(t)
	local := filepath.Join(t.TempDir(), "motd")
	os.WriteFile(local, []byte("welcome\n"), 0o644)
	g := sourcesGraph(t, st.Dir(), local)
	order := g.SourceOrder()
	if len(order) != 3 || g.Sources[order[len(order)-1]].Kind == stdlib.SourceTree {
		t.Fatalf("source order %q: the tree must come before the text that refers to it", order)
	}
	if err := Materialize(st, g); err != nil {
		t.Fatal(err)
	}
	for p, s := range g.Sources {
		if ok, err := st.IsValid(p); !ok || err != nil {
			t.Errorf("%s (%s) not valid after Materialize: %v", p, s.Name, err)
		}
	}
	for _, s := range g.Sources {
		if s.Kind == stdlib.SourceTree {
			fi, err := os.Stat(filepath.Join(s.Path, "bin/run"))
			if err != nil || fi.Mode()&0o111 == 0 {
				t.Errorf("bin/run of the tree is not executable: %v", err)
			}
		}
	}
	p, err := frontend.NewPlan(g, st, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Summary(), "0 derivations will be built, 0 are valid; 0 source files will be added, 3 are valid"; got != want {
		t.Errorf("summary after Materialize %q, want %q", got, want)
	}
	// Materializing again adds nothing and fails nothing.
	if err := Materialize(st, g); err != nil {
		t.Fatal(err)
	}
}

func TestMaterializeChecksPaths(t *testing.T) {
	st := openTempStore(t)
	local := filepath.Join(t.TempDir(), "motd")
	os.WriteFile(local, []byte("welcome\n"), 0o644)
	g := sourcesGraph(t, st.Dir(), local)
	os.WriteFile(local, []byte("changed\n"), 0o644)
	err := Materialize(st, g)
	if err == nil || !strings.Contains(err.Error(), local+" changed since it was evaluated") {
		t.Errorf("Materialize after the local file changed: %v", err)
	}

	st2 := openTempStore(t)
	os.WriteFile(local, []byte("welcome\n"), 0o644)
	g = sourcesGraph(t, st2.Dir(), local)
	for _, s := range g.Sources {
		if s.Kind == stdlib.SourceText {
			s.Text = []byte("tampered")
		}
	}
	err = Materialize(st2, g)
	if err == nil || !strings.Contains(err.Error(), "a hashing bug") {
		t.Errorf("Materialize of a text whose path does not match: %v", err)
	}
}

// TestWriteTreeStaysInside: a tree whose names would leave its
// directory (a graph given on fruix __build-graph's standard input could
// hold one) is refused before anything is written.
func TestWriteTreeStaysInside(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "tree")
	for _, name := range []string{"../escaped", "/abs", "a/../../b", "a//b"} {
		err := writeTree(root, []stdlib.TreeFile{{Name: "ok", Data: []byte("x")}, {Name: name, Data: []byte("x")}})
		if err == nil || !strings.Contains(err.Error(), "want a clean relative path") {
			t.Errorf("writeTree with %q: %v, want a refusal", name, err)
		}
	}
	// An entry below a symbolic link would be written where the link
	// points, in whichever order the two come.
	outside := filepath.Join(t.TempDir(), "outside")
	if err := os.Mkdir(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	link, below := stdlib.TreeFile{Name: "lib", Symlink: outside}, stdlib.TreeFile{Name: "lib/x", Data: []byte("x")}
	for _, files := range [][]stdlib.TreeFile{{link, below}, {below, link}} {
		if err := writeTree(root, files); err == nil || !strings.HasPrefix(err.Error(), "nar: ") {
			t.Errorf("writeTree of %+v: %v, want a refusal", files, err)
		}
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("a tree wrote %d entries through its symbolic link", len(entries))
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a refused tree left %d entries", len(entries))
	}
}

// TestMaterializeRefusesTreeName: a tree source's name, which names the
// directory it is written to before the store sees it, is checked first.
func TestMaterializeRefusesTreeName(t *testing.T) {
	st := openTempStore(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where Materialize makes the tree's directory
	path := string(st.Dir()) + "/00000000000000000000000000000000-x"
	src := &stdlib.Source{Path: path, Name: "../escaped", Kind: stdlib.SourceTree, Files: []stdlib.TreeFile{{Name: "f", Data: []byte("x")}}}
	g := &stdlib.Graph{StoreDir: st.Dir(), Derivations: derivation.NewGraph(), Sources: map[string]*stdlib.Source{path: src}}
	err := Materialize(st, g)
	if err == nil || !strings.Contains(err.Error(), "invalid store path name") {
		t.Errorf("Materialize of a tree named %q: %v", src.Name, err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("Materialize left %d entries in the temporary directory", len(entries))
	}
}

func TestMaterializeDerivations(t *testing.T) {
	st := openTempStore(t)
	g := lowerProgram(t, st.Dir(), chain)
	if err := Materialize(st, g); err != nil {
		t.Fatal(err)
	}
	for p := range g.Derivations.Nodes {
		d, err := derivation.ReadFile(p)
		if err != nil {
			t.Fatalf("reading %s after Materialize: %v", p, err)
		}
		if !bytes.Equal(d.ATerm(), g.Derivations.Nodes[p].ATerm()) {
			t.Errorf("%s in the store differs from the derivation evaluated", p)
		}
	}
	// A graph computed for another store directory is refused.
	other := lowerProgram(t, "", chain)
	if err := Materialize(st, other); err == nil || !strings.Contains(err.Error(), "computed for the store /frx/store") {
		t.Errorf("Materialize for another store directory: %v", err)
	}
}

func TestInspectAbsentStoreCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	loc := frontend.Location{StoreDir: filepath.Join(dir, "store"), StateDir: filepath.Join(dir, "state")}
	r, note, err := Inspect(loc)
	if r == nil || err != nil {
		t.Fatalf("Inspect of no store: %v %q %v", r, note, err)
	}
	valid, err := ValidAmong(r, []string{loc.StoreDir + "/00000000000000000000000000000000-x"})
	r.Close()
	if err != nil || len(valid) != 0 {
		t.Errorf("no store: valid %q (%v), want nothing", valid, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Inspect created %d entries", len(entries))
	}
}

func TestInspectStoreInUse(t *testing.T) {
	dir := t.TempDir()
	loc := frontend.Location{StoreDir: filepath.Join(dir, "store"), StateDir: filepath.Join(dir, "state")}
	held, err := Open(loc)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	// The lock is per open file description, so a second Open in this
	// process finds the store in use as another process would.
	st, note, err := Inspect(loc)
	if st != nil || err != nil || !strings.Contains(note, "could not check the store: it is in use by pid") {
		t.Errorf("Inspect of a store in use: %v %q %v", st, note, err)
	}
}
