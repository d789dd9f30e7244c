package derivation

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
)

const nixStore StoreDir = "/nix/store"

func readVector(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/nix/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Parsing then writing gives back Nix's bytes exactly.
func TestATermRoundTripNixVectors(t *testing.T) {
	for _, name := range []string{
		"simple-derivation.drv",
		"hash-modulo-source-first.drv", "hash-modulo-source-second.drv",
		"hash-modulo-intermediate-first.drv", "hash-modulo-intermediate-second.drv",
		"hash-modulo-parent-split.drv", "hash-modulo-parent-joined.drv",
		"ia-advanced-attributes.drv", "ia-advanced-attributes-defaults.drv",
		"ia-advanced-attributes-structured-attrs.drv", "ia-advanced-attributes-structured-attrs-defaults.drv",
	} {
		data := readVector(t, name)
		d, err := ParseNamed(name, data, "x")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := d.ATerm(); string(got) != string(data) {
			t.Errorf("%s: written back differently:\n got %s\nwant %s", name, got, data)
		}
	}
}

func TestParseSimpleDerivation(t *testing.T) {
	d, err := ParseNamed("simple-derivation.drv", readVector(t, "simple-derivation.drv"), "simple-derivation")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Outputs) != 0 || d.System != "wasm-sel4" || d.Builder != "foo" ||
		strings.Join(d.Args, " ") != "bar baz" || d.Env["BIG_BAD"] != "WOLF" ||
		strings.Join(d.InputDrvs["/nix/store/c015dhfh5l0lp6wxyvdn7bmwhbbr6hr9-dep2.drv"], ",") != "cat,dog" ||
		strings.Join(d.InputSrcs, ",") != "/nix/store/c015dhfh5l0lp6wxyvdn7bmwhbbr6hr9-dep1" {
		t.Errorf("parsed %+v", d)
	}
}

// hello.drv and firefox.drv are not in canonical order (their input
// derivations share a placeholder hash part), so they only have to parse.
func TestParseHello(t *testing.T) {
	if _, err := ParseNamed("firefox.drv", readVector(t, "firefox.drv"), "firefox-140.0.4"); err != nil {
		t.Fatal(err)
	}
	d, err := ParseNamed("hello.drv", readVector(t, "hello.drv"), "hello-2.12.2")
	if err != nil {
		t.Fatal(err)
	}
	if d.Outputs["out"].Path != "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-hello-2.12.2" || len(d.InputDrvs) != 4 {
		t.Errorf("parsed %+v", d)
	}
}

func TestParseRejectsVersionedDerivations(t *testing.T) {
	for _, name := range []string{"bad-version.drv", "dyn-dep-derivation.drv"} {
		_, err := ParseNamed(name, readVector(t, name), "x")
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != 1 || pe.Col != 1 || !strings.Contains(err.Error(), "Derive(") {
			t.Errorf("%s: error %v", name, err)
		}
	}
}

func TestParseErrorsNamePosition(t *testing.T) {
	cases := []struct{ text, want string }{
		{`Derive([("out","/a","","")],[],[],"s","b",[],[]`, `drv:1:48: expected ")", found end of input (byte offset 47)`},
		{"Derive([],[],[],\"line\none\",\"b\",[],[]) x", `drv:2:16: expected end of input after the derivation, found ' ' (byte offset 37)`},
		{"Derive([],[],[],\"s\",\"b\",[],[])\n", `drv:1:31: expected end of input after the derivation, found '\n'`},
		{`Derive([("out","rel","","")],[],[],"s","b",[],[])`, `drv:1:16: expected an absolute output path or "", found "rel" (byte offset 15)`},
		{`Derive([],[("x.drv",["out"])],[],"s","b",[],[])`, `drv:1:13: expected an absolute store path, found "x.drv"`},
		{`Derive([],[],[],"s","b",[],[("a","1"),("a","2")])`, `drv:1:39: duplicate environment variable "a"`},
		{`Derive([],[],[],"s,"b",[],[])`, `drv:1:21: expected ",", found 'b'`},
		{`Derive([],[],[],"s`, `unterminated string`},
		{`Derive([("a","","",""),("a","","","")],[],[],"s","b",[],[])`, `duplicate output "a"`},
	}
	for _, c := range cases {
		_, err := ParseNamed("drv", []byte(c.text), "x")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", c.text, err, c.want)
		}
	}
}

func TestStringEscapes(t *testing.T) {
	d := New("esc", "x86_64-freebsd", "/bin/sh")
	d.Outputs["out"] = Output{}
	d.Env["v"] = "a\"b\\c\nd\re\tf$g"
	text := d.ATerm()
	if !strings.Contains(string(text), `("v","a\"b\\c\nd\re\tf$g")`) {
		t.Errorf("escaped as %s", text)
	}
	back, err := Parse(text)
	if err != nil || back.Env["v"] != d.Env["v"] {
		t.Errorf("round trip: %q, %v", back.Env["v"], err)
	}
}

// loadVectors makes a loader over the hash-modulo graph of Nix's tests.
func loadVectors(t *testing.T) func(string) (*Derivation, error) {
	byPath := map[string]*Derivation{}
	for _, stem := range []string{"source-first", "source-second", "intermediate-first", "intermediate-second"} {
		name := strings.SplitN(stem, "-", 2)[0]
		d, err := ParseNamed(stem, readVector(t, "hash-modulo-"+stem+".drv"), name)
		if err != nil {
			t.Fatal(err)
		}
		p, err := d.Path(nixStore)
		if err != nil {
			t.Fatal(err)
		}
		byPath[p] = d
	}
	return func(p string) (*Derivation, error) {
		if d, ok := byPath[p]; ok {
			return d, nil
		}
		return nil, os.ErrNotExist
	}
}

// Nix's hash-modulo graph: two fixed-output sources that differ only in
// their builder, intermediates depending on each, parents that pick
// outputs from both. The .drv paths, the output paths and the text that
// is hashed must all be Nix's.
func TestHashDerivationModuloNixVectors(t *testing.T) {
	load := loadVectors(t)
	h := NewModuloHasher(load)

	// The .drv paths, as the intermediates and parents name them.
	for p, stem := range map[string]string{
		"/nix/store/q4mzjdlh5px6977h7v5fdsk1p33yg583-source.drv":       "source-first",
		"/nix/store/jwmbpldsdgfjhkxk317jn55jilyfl63f-source.drv":       "source-second",
		"/nix/store/f8g8x4m83da3b2f79iv84q2r3qlc58lr-intermediate.drv": "intermediate-first",
		"/nix/store/kp6i4n4bb3hlniwqjakhlf046qpdc0gl-intermediate.drv": "intermediate-second",
	} {
		if _, err := load(p); err != nil {
			t.Errorf("%s: .drv path %s not computed", stem, p)
		}
	}

	// The fixed-output sources hash to the same thing: the modulo text of
	// the intermediates names it.
	for _, p := range []string{"/nix/store/q4mzjdlh5px6977h7v5fdsk1p33yg583-source.drv", "/nix/store/jwmbpldsdgfjhkxk317jn55jilyfl63f-source.drv"} {
		sum, err := h.HashPath(p)
		if err != nil || hex.EncodeToString(sum[:]) != "42cfa58bf5a281911b6c9471c67cf64f70a820b033415190db3da91710c5ff2c" {
			t.Errorf("modulo hash of %s = %x, %v", p, sum, err)
		}
	}

	for _, stem := range []string{"intermediate-first", "intermediate-second", "parent-split", "parent-joined"} {
		d, err := ParseNamed(stem, readVector(t, "hash-modulo-"+stem+".drv"), strings.SplitN(stem, "-", 2)[0])
		if err != nil {
			t.Fatal(err)
		}
		want := readVector(t, "hash-modulo-"+stem+"-modulo.drv")
		got, err := h.Hash(d, true)
		if err != nil {
			t.Fatal(err)
		}
		if got != sha256.Sum256(want) {
			t.Errorf("%s: modulo hash %x differs from the hash of Nix's modulo text %s", stem, got, want)
		}
	}

	// Computing the intermediates' outputs from scratch gives Nix's paths.
	// Nix's test builds them with no output variables in the environment
	// (its fill-in adds them), so the hashed text has none.
	for _, stem := range []string{"intermediate-first", "intermediate-second"} {
		d, _ := ParseNamed(stem, readVector(t, "hash-modulo-"+stem+".drv"), "intermediate")
		blank := d.Clone()
		for name := range blank.Outputs {
			blank.Outputs[name] = Output{}
			delete(blank.Env, name)
		}
		if err := blank.FillOutputPaths(nixStore, h); err != nil {
			t.Fatal(err)
		}
		if string(blank.ATerm()) != string(d.ATerm()) {
			t.Errorf("%s: FillOutputPaths gave\n%s\nwant\n%s", stem, blank.ATerm(), d.ATerm())
		}
	}
	// And the fixed-output source's path follows from its hash.
	src, _ := ParseNamed("source-first", readVector(t, "hash-modulo-source-first.drv"), "source")
	blank := src.Clone()
	blank.Outputs["out"] = Output{HashAlgo: "r:sha256", Hash: src.Outputs["out"].Hash}
	if err := blank.FillOutputPaths(nixStore, h); err != nil || blank.Outputs["out"].Path != "/nix/store/i00sflxqsj37lfmf95m8mn0grv615hpj-source" {
		t.Errorf("fixed output path %q, %v", blank.Outputs["out"].Path, err)
	}
}

// Derivations without inputs instantiated by Nix's functional tests, with
// their output paths.
func TestOutputPathsNixVectors(t *testing.T) {
	for _, name := range []string{"advanced-attributes-defaults", "advanced-attributes-structured-attrs-defaults"} {
		d, err := ParseNamed(name, readVector(t, "ia-"+name+".drv"), name)
		if err != nil {
			t.Fatal(err)
		}
		blank := d.Clone()
		if err := blank.FillOutputPaths(nixStore, NewModuloHasher(nil)); err != nil {
			t.Fatal(err)
		}
		for out, o := range d.Outputs {
			if blank.Outputs[out].Path != o.Path || blank.Env[out] != o.Path {
				t.Errorf("%s: output %s = %s, want %s", name, out, blank.Outputs[out].Path, o.Path)
			}
		}
	}
}

// The same graph under /frx/store gives other paths, all in /frx/store.
func TestFrxStoreDir(t *testing.T) {
	d, _ := ParseNamed("x", readVector(t, "ia-advanced-attributes-defaults.drv"), "advanced-attributes-defaults")
	if err := d.FillOutputPaths(DefaultStoreDir, NewModuloHasher(nil)); err != nil {
		t.Fatal(err)
	}
	out := d.Outputs["out"].Path
	if err := DefaultStoreDir.ValidatePath(out); err != nil || strings.Contains(out, "1qsc7svv43m4dw2prh6mvyf7cai5czji") {
		t.Errorf("output under /frx/store: %s, %v", out, err)
	}
	// Recomputing from the fingerprint by hand gives the same path.
	h, _ := NewModuloHasher(nil).Hash(func() *Derivation {
		c := d.Clone()
		c.Outputs["out"] = Output{}
		c.Env["out"] = ""
		return c
	}(), true)
	fp := "output:out:sha256:" + hex.EncodeToString(h[:]) + ":/frx/store:advanced-attributes-defaults"
	sum := sha256.Sum256([]byte(fp))
	if want := "/frx/store/" + Base32Encode(CompressHash(sum[:], 20)) + "-advanced-attributes-defaults"; want != out {
		t.Errorf("output %s, by hand %s", out, want)
	}
	p, err := d.Path(DefaultStoreDir)
	if err != nil || !strings.HasPrefix(p, "/frx/store/") || !strings.HasSuffix(p, "-advanced-attributes-defaults.drv") {
		t.Errorf("drv path %s, %v", p, err)
	}
}

func TestValidate(t *testing.T) {
	d := New("ok", "x86_64-freebsd", "/bin/sh")
	d.Outputs["out"] = Output{}
	if err := d.Validate(DefaultStoreDir); err != nil {
		t.Fatal(err)
	}
	d.InputSrcs = []string{"/nix/store/c015dhfh5l0lp6wxyvdn7bmwhbbr6hr9-dep1"}
	if err := d.Validate(DefaultStoreDir); err == nil || !strings.Contains(err.Error(), "not in the store /frx/store") {
		t.Errorf("foreign input accepted: %v", err)
	}
	d.InputSrcs = nil
	d.Outputs["dev"] = Output{HashAlgo: "sha256", Hash: strings.Repeat("0", 64)}
	if err := d.Validate(DefaultStoreDir); err == nil || !strings.Contains(err.Error(), "fixed-output") {
		t.Errorf("fixed-output dev accepted: %v", err)
	}
}

func TestOutputsValid(t *testing.T) {
	d := New("p", "x86_64-freebsd", "/bin/sh")
	d.Outputs["out"] = Output{Path: "/frx/store/00000000000000000000000000000000-p"}
	d.Outputs["doc"] = Output{Path: "/frx/store/11111111111111111111111111111111-p-doc"}
	valid := map[string]bool{d.Outputs["out"].Path: true}
	isValid := func(p string) (bool, error) { return valid[p], nil }
	for _, c := range []struct {
		names []string
		want  bool
	}{{nil, false}, {[]string{}, true}, {[]string{"out"}, true}, {[]string{"out", "doc"}, false}, {[]string{"doc"}, false}} {
		if got, err := d.OutputsValid(c.names, isValid); got != c.want || err != nil {
			t.Errorf("OutputsValid(%q) = %v, %v; want %v", c.names, got, err, c.want)
		}
	}
	valid[d.Outputs["doc"].Path] = true
	if ok, err := d.OutputsValid(nil, isValid); !ok || err != nil {
		t.Errorf("all outputs valid: %v, %v", ok, err)
	}
	if _, err := d.OutputsValid([]string{"lib"}, isValid); err == nil || !strings.Contains(err.Error(), `has no output "lib"`) {
		t.Errorf("an output d does not have: %v", err)
	}
	broken := errors.New("index unreadable")
	if _, err := d.OutputsValid([]string{"out"}, func(string) (bool, error) { return false, broken }); !errors.Is(err, broken) {
		t.Errorf("the store's error: %v", err)
	}
}
