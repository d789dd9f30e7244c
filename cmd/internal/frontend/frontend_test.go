package frontend

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
(define c (derivation "c" "/bin/sh" (list "-c" (derivation->output-path b)) #:inputs (list b)
                      #:outputs '("out" "doc")))
c`

// lowerProgram evaluates text and lowers its value.
func lowerProgram(t *testing.T, dir derivation.StoreDir, text string) (*eval.Thread, *stdlib.Graph) {
	t.Helper()
	th := stdlib.New(eval.Options{})
	if dir != "" {
		if err := SetStoreDir(th, dir); err != nil {
			t.Fatal(err)
		}
	}
	v, err := th.EvalString(&lang.Source{Name: "test.scm"}, text)
	if err != nil {
		t.Fatal(eval.FormatError(err))
	}
	g, err := LowerValue(th, v)
	if err != nil {
		t.Fatal(err)
	}
	return th, g
}

// byName finds the .drv path of the derivation named name in p.
func byName(t *testing.T, p *Plan, name string) DrvItem {
	t.Helper()
	for _, d := range p.Derivations {
		if d.Drv.Name == name {
			return d
		}
	}
	t.Fatalf("no derivation %s in the plan", name)
	return DrvItem{}
}

// fakeStore says a fixed set of paths is valid.
type fakeStore map[string]bool

func (f fakeStore) IsValid(p string) (bool, error) { return f[p], nil }

func TestPlanOrderAndStatus(t *testing.T) {
	_, g := lowerProgram(t, "", chain)
	p, err := NewPlan(g, nil, "no store")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range p.Derivations {
		names = append(names, d.Drv.Name)
		if d.Status != StatusUnknown {
			t.Errorf("%s: status %s without a store, want unknown", d.Drv.Name, d.Status)
		}
	}
	if got := strings.Join(names, " "); got != "a b c" {
		t.Errorf("order %q, want inputs first: a b c", got)
	}
	if got, want := p.Summary(), "3 derivations, 0 source files; no store"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}

	// b's output is valid: c is built, b is valid, and a, which only b
	// needs, is not needed, as the realizer would decide.
	bOut := byName(t, p, "b").Drv.Outputs["out"].Path
	p, err = NewPlan(g, fakeStore{bOut: true}, "")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]Status{"a": StatusUnneeded, "b": StatusValid, "c": StatusBuild} {
		if got := byName(t, p, name).Status; got != want {
			t.Errorf("%s: status %s, want %s", name, got, want)
		}
	}
	if got, want := p.Summary(), "1 derivation will be built, 1 is valid, 1 is not needed; 0 source files will be added"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	// Nothing valid: everything is built.
	p, _ = NewPlan(g, fakeStore{}, "")
	if got, want := p.Summary(), "3 derivations will be built, 0 are valid; 0 source files will be added"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	if outs := p.RootOutputs(); len(outs) != 2 || !strings.HasSuffix(outs[0], "-c") || !strings.HasSuffix(outs[1], "-c-doc") {
		t.Errorf("root outputs %q, want out then doc", outs)
	}
}

func TestLowerValueRefusesOtherValues(t *testing.T) {
	th := stdlib.New(eval.Options{})
	_, err := LowerValue(th, lang.Fixnum(42))
	if err == nil || err.Error() != "want a derivation or file-like object, got 42" {
		t.Errorf("LowerValue(42): %v", err)
	}
}

func TestSetSystem(t *testing.T) {
	th := stdlib.New(eval.Options{})
	if err := SetSystem(th, "aarch64-freebsd"); err != nil {
		t.Fatal(err)
	}
	v, err := th.EvalString(&lang.Source{Name: "t"}, `(use-modules (fruix derivations)) (derivation-system (derivation "x" "/bin/sh" '()))`)
	if err != nil {
		t.Fatal(eval.FormatError(err))
	}
	if s, ok := v.(*lang.String); !ok || s.String() != "aarch64-freebsd" {
		t.Errorf("derivation-system = %s, want \"aarch64-freebsd\"", lang.WriteString(v))
	}
	if err := SetSystem(th, "vax-vms"); err == nil || !strings.Contains(err.Error(), `unknown system "vax-vms"`) {
		t.Errorf("SetSystem(vax-vms): %v", err)
	}
}

func TestWriteFormats(t *testing.T) {
	_, g := lowerProgram(t, "", chain)
	p, err := NewPlan(g, fakeStore{}, "")
	if err != nil {
		t.Fatal(err)
	}
	c := byName(t, p, "c")

	var text bytes.Buffer
	if err := WriteText(&text, p); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(text.String(), "\n")
	if lines[0] != c.Drv.Outputs["out"].Path || lines[1] != c.Drv.Outputs["doc"].Path {
		t.Errorf("text does not start with the output paths:\n%s", text.String())
	}
	for _, want := range []string{"3 derivations, inputs first:\n", "  build  " + c.Path + "\n", "           out " + c.Drv.Outputs["out"].Path + "\n",
		"\n3 derivations will be built, 0 are valid; 0 source files will be added\n"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}

	var js bytes.Buffer
	if err := WriteJSON(&js, p); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema      string
		Roots       []struct{ Derivation string }
		Derivations []struct {
			Path, Name, Status string
			Inputs             map[string][]string
		}
		Summary struct{ Derivations, Build int }
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatalf("JSON does not parse: %v\n%s", err, js.String())
	}
	if doc.Schema != JSONSchema || len(doc.Roots) != 1 || doc.Roots[0].Derivation != c.Path ||
		len(doc.Derivations) != 3 || doc.Derivations[2].Name != "c" || doc.Derivations[2].Status != "build" ||
		len(doc.Derivations[2].Inputs) != 1 || doc.Summary.Derivations != 3 || doc.Summary.Build != 3 {
		t.Errorf("JSON has the wrong content:\n%s", js.String())
	}

	var dot bytes.Buffer
	if err := WriteDOT(&dot, p); err != nil {
		t.Fatal(err)
	}
	if err := derivation.CheckDOT(dot.String()); err != nil {
		t.Errorf("DOT: %v\n%s", err, dot.String())
	}
	b := byName(t, p, "b")
	if want := dotQuote(c.Path) + " -> " + dotQuote(b.Path) + ` [label="out"];`; !strings.Contains(dot.String(), want) {
		t.Errorf("DOT lacks the edge %s:\n%s", want, dot.String())
	}

	var tree bytes.Buffer
	if err := WriteTree(&tree, p); err != nil {
		t.Fatal(err)
	}
	a := byName(t, p, "a")
	want := "c  " + c.Path + "  [build]\n" +
		"└── b  " + b.Path + "  [build]\n" +
		"    └── a  " + a.Path + "  [build]\n"
	if !strings.HasPrefix(tree.String(), want) {
		t.Errorf("tree:\n%s\nwant it to start with:\n%s", tree.String(), want)
	}

	var drvs bytes.Buffer
	WriteDerivationPaths(&drvs, p)
	if got, want := drvs.String(), a.Path+"\n"+b.Path+"\n"+c.Path+"\n"; got != want {
		t.Errorf("derivation paths %q, want %q", got, want)
	}
}

// TestTreeSharedInput: an input two derivations share shows its subtree
// once.
func TestTreeSharedInput(t *testing.T) {
	_, g := lowerProgram(t, "", `
(use-modules (fruix derivations))
(define a (derivation "a" "/bin/sh" '()))
(define b (derivation "b" "/bin/sh" '() #:inputs (list a)))
(define c (derivation "c" "/bin/sh" '() #:inputs (list a b)))
(derivation "d" "/bin/sh" '() #:inputs (list b c))`)
	p, _ := NewPlan(g, nil, "")
	var tree bytes.Buffer
	WriteTree(&tree, p)
	if n := strings.Count(tree.String(), "(above)"); n != 1 {
		t.Errorf("want b shown once in full and once as (above):\n%s", tree.String())
	}
}

func TestDotQuote(t *testing.T) {
	if got, want := dotQuote("a\"b\\c\nd"), `"a\"b\\c\nd"`; got != want {
		t.Errorf("dotQuote = %s, want %s", got, want)
	}
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
// referring to the tree, computed as evaluation computes them.
func sourcesGraph(t *testing.T, dir derivation.StoreDir, local string) *stdlib.Graph {
	t.Helper()
	files := []stdlib.TreeFile{{Name: "fruix/build/x.scm", Data: []byte("(define x 1)\n")}, {Name: "bin/run", Data: []byte("#!/bin/sh\n"), Executable: true}}
	var mem []nar.MemFile
	for _, f := range files {
		mem = append(mem, nar.MemFile{Name: f.Name, Data: f.Data, Executable: f.Executable})
	}
	narHash, err := nar.HashFiles(mem)
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
	p, err := NewPlan(g, st, "")
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

func TestMaterializeDerivations(t *testing.T) {
	st := openTempStore(t)
	_, g := lowerProgram(t, st.Dir(), chain)
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
	_, other := lowerProgram(t, "", chain)
	if err := Materialize(st, other); err == nil || !strings.Contains(err.Error(), "computed for the store /frx/store") {
		t.Errorf("Materialize for another store directory: %v", err)
	}
}

func TestInspectAbsentStoreCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	loc := Location{StoreDir: filepath.Join(dir, "store"), StateDir: filepath.Join(dir, "state")}
	st, note, err := loc.Inspect()
	if st != nil || err != nil || !strings.Contains(note, "no store at "+loc.StateDir) {
		t.Errorf("Inspect of no store: %v %q %v", st, note, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Inspect created %d entries", len(entries))
	}
}

func TestInspectStoreInUse(t *testing.T) {
	dir := t.TempDir()
	loc := Location{StoreDir: filepath.Join(dir, "store"), StateDir: filepath.Join(dir, "state")}
	held, err := loc.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	// The lock is per open file description, so a second Open in this
	// process finds the store in use as another process would.
	st, note, err := loc.Inspect()
	if st != nil || err != nil || !strings.Contains(note, "could not check the store: it is in use by pid") {
		t.Errorf("Inspect of a store in use: %v %q %v", st, note, err)
	}
}
