package frontend

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
	"fruix.dev/fruix/store"
	"fruix.dev/fruix/tests/dotcheck"
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
	g, err := LowerValue(th, eval.ValuesOf(v)...)
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
	if err := dotcheck.Check(dot.String()); err != nil {
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

// TestLocationDefaults: the names and defaults this package keeps agree
// with the store's.
func TestLocationDefaults(t *testing.T) {
	if envStoreDir != store.EnvStoreDir || envStateDir != store.EnvStateDir || defaultStateDir != store.DefaultStateDir {
		t.Errorf("frontend has %s, %s, %s; the store has %s, %s, %s",
			envStoreDir, envStateDir, defaultStateDir, store.EnvStoreDir, store.EnvStateDir, store.DefaultStateDir)
	}
}

func TestPlanAt(t *testing.T) {
	dir := t.TempDir()
	loc := Location{StoreDir: filepath.Join(dir, "store"), StateDir: filepath.Join(dir, "state")}
	_, g := lowerProgram(t, derivation.StoreDir(loc.StoreDir), chain)
	looked := false
	look := func(paths []string) (Validity, string, error) {
		looked = true
		return nil, "could not check the store: it is in use", nil
	}
	p, err := PlanAt(g, loc, false, look)
	if err != nil || p.Checked || looked || !strings.Contains(p.StoreNote, "no store at "+loc.StateDir) {
		t.Errorf("no store: checked %v, looked %v, note %q, %v", p.Checked, looked, p.StoreNote, err)
	}
	if p, _ = PlanAt(g, loc, true, look); !p.Checked || p.Count(StatusBuild) != 3 || looked {
		t.Errorf("no store, --dry-run: checked %v, %d to build, looked %v", p.Checked, p.Count(StatusBuild), looked)
	}
	os.MkdirAll(filepath.Join(loc.StateDir, "db"), 0o755)
	if p, _ = PlanAt(g, loc, false, look); p.Checked || !looked || p.StoreNote != "could not check the store: it is in use" {
		t.Errorf("store in use: checked %v, looked %v, note %q", p.Checked, looked, p.StoreNote)
	}
	c := byName(t, p, "c")
	if p, _ = PlanAt(g, loc, false, func(paths []string) (Validity, string, error) {
		if len(paths) != 4 {
			t.Errorf("asked about %d paths, want the 4 outputs", len(paths))
		}
		return KnownValid([]string{c.Drv.Outputs["out"].Path, c.Drv.Outputs["doc"].Path}), "", nil
	}); !p.Checked || byName(t, p, "c").Status != StatusValid || byName(t, p, "a").Status != StatusUnneeded {
		t.Errorf("c valid: %s", p.Summary())
	}
	other := Location{StoreDir: filepath.Join(dir, "other"), StateDir: loc.StateDir}
	if p, _ = PlanAt(g, other, false, look); p.Checked || !strings.Contains(p.StoreNote, "the paths are for the store "+loc.StoreDir) {
		t.Errorf("another store directory: %q", p.StoreNote)
	}
}

func TestWireRoundTrip(t *testing.T) {
	_, g := lowerProgram(t, "", `(use-modules (fruix gexp))
(define motd (plain-file "motd" "hi\n"))
(values (computed-file "c" (with-imported-modules '((fruix build utils)) #~(begin (use-modules (fruix build utils)) (copy-file #$motd #$output))))
        motd)`)
	var buf bytes.Buffer
	if err := EncodeGraph(&buf, g); err != nil {
		t.Fatal(err)
	}
	back, err := DecodeGraph(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var before, after bytes.Buffer
	p1, _ := NewPlan(g, nil, "")
	p2, _ := NewPlan(back, nil, "")
	WriteJSON(&before, p1)
	WriteJSON(&after, p2)
	if before.String() != after.String() {
		t.Errorf("the graph changed on the wire:\n%s\nbecame:\n%s", before.String(), after.String())
	}
	for p, s := range g.Sources {
		b := back.Sources[p]
		if b == nil || !bytes.Equal(b.Text, s.Text) || len(b.Files) != len(s.Files) {
			t.Errorf("source %s changed on the wire", p)
		}
	}
	// A derivation whose text does not give its path is refused.
	buf.Reset()
	EncodeGraph(&buf, g)
	tampered := strings.Replace(buf.String(), `builtin:scheme`, `builtin:schemf`, 1)
	if _, err := DecodeGraph(strings.NewReader(tampered)); err == nil || !strings.Contains(err.Error(), "is at") {
		t.Errorf("a tampered derivation: %v", err)
	}
	// So is a source whose content does not give its path, or whose
	// tree would write outside itself.
	for _, c := range []struct{ from, to, want string }{
		{`"aGkK"`, `"aG8K"`, "its content is at"}, // "hi\n" -> "ho\n"
		{`"fruix/build/utils.scm"`, `"../build/utils.scm"`, ".."},
	} {
		if !strings.Contains(buf.String(), c.from) {
			t.Fatalf("the encoded graph has no %s", c.from)
		}
		tampered := strings.Replace(buf.String(), c.from, c.to, 1)
		if _, err := DecodeGraph(strings.NewReader(tampered)); err == nil || !strings.Contains(err.Error(), "reading the graph: source ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s -> %s: %v", c.from, c.to, err)
		}
	}
	if _, err := DecodeGraph(strings.NewReader("{")); err == nil || !strings.Contains(err.Error(), "reading the graph") {
		t.Errorf("truncated input: %v", err)
	}
}
