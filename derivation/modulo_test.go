package derivation

import (
	"os"
	"strings"
	"testing"
)

// TestInstantiate: Instantiate fills Nix's output paths, returns the .drv
// path Path computes, and remembers the modulo hash a fresh hasher
// computes from the loaded derivation, fixed-output or not.
func TestInstantiate(t *testing.T) {
	load := loadVectors(t)
	for _, stem := range []string{"source-first", "intermediate-first", "intermediate-second"} {
		d, err := ParseNamed(stem, readVector(t, "hash-modulo-"+stem+".drv"), strings.SplitN(stem, "-", 2)[0])
		if err != nil {
			t.Fatal(err)
		}
		blank := d.Clone()
		for name, o := range blank.Outputs {
			blank.Outputs[name] = Output{HashAlgo: o.HashAlgo, Hash: o.Hash}
			delete(blank.Env, name)
		}
		h := NewModuloHasher(load)
		file, err := h.Instantiate(blank, nixStore)
		if err != nil {
			t.Fatalf("%s: %v", stem, err)
		}
		if string(blank.ATerm()) != string(d.ATerm()) {
			t.Errorf("%s: Instantiate filled\n%s\nwant\n%s", stem, blank.ATerm(), d.ATerm())
		}
		if want, _ := d.Path(nixStore); file != want {
			t.Errorf("%s: .drv path %s, want %s", stem, file, want)
		}
		remembered, err := h.HashPath(file)
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := NewModuloHasher(load).Hash(d, false); remembered != want {
			t.Errorf("%s: remembered modulo hash %x, want %x", stem, remembered, want)
		}
	}
}

// TestInstantiateAsSteps: on derivations with several outputs, inputs
// and variables that need escapes, Instantiate fills the same paths and
// returns the same .drv path as FillOutputPaths, Validate and Path, and
// fails where they fail.
func TestInstantiateAsSteps(t *testing.T) {
	byPath := map[string]*Derivation{}
	load := func(p string) (*Derivation, error) {
		if d := byPath[p]; d != nil {
			return d, nil
		}
		return nil, os.ErrNotExist
	}
	steps, at := NewModuloHasher(load), NewModuloHasher(load)
	var prev []string
	for i, name := range []string{"a", "b", "c", "d"} {
		mk := func() *Derivation {
			d := New(name, "x86_64-freebsd", "builtin:scheme")
			d.Args = []string{"-c", "echo \"hi\"\n\tdone\\"}
			d.InputSrcs = []string{"/frx/store/00000000000000000000000000000000-z", "/frx/store/11111111111111111111111111111111-y"}
			for _, o := range []string{"out", "doc", "lib"}[:1+i%3] {
				d.Outputs[o] = Output{}
				d.Env[o] = ""
			}
			d.Env["note"] = "a \"quoted\" value"
			for j, p := range prev {
				d.InputDrvs[p] = []string{"out", "out", "doc"}[:1+j%2]
			}
			return d
		}
		d1, d2 := mk(), mk()
		if err := d1.FillOutputPaths(DefaultStoreDir, steps); err != nil {
			t.Fatal(err)
		}
		if err := d1.Validate(DefaultStoreDir); err != nil {
			t.Fatal(err)
		}
		want, err := d1.Path(DefaultStoreDir)
		if err != nil {
			t.Fatal(err)
		}
		got, err := at.Instantiate(d2, DefaultStoreDir)
		if err != nil || got != want || string(d1.ATerm()) != string(d2.ATerm()) {
			t.Fatalf("%s: Instantiate: %s, %v\n%s\nwant %s\n%s", name, got, err, d2.ATerm(), want, d1.ATerm())
		}
		byPath[want] = d1
		prev = append(prev, want)
	}
	bad := New("x", "x86_64-freebsd", "")
	bad.Outputs["out"] = Output{}
	if _, err := NewModuloHasher(nil).Instantiate(bad, DefaultStoreDir); err == nil || !strings.Contains(err.Error(), "no builder") {
		t.Errorf("a derivation without builder: %v, want Validate's error", err)
	}
	missing := New("m", "x86_64-freebsd", "/bin/sh")
	missing.Outputs["out"] = Output{}
	missing.InputDrvs["/frx/store/22222222222222222222222222222222-gone.drv"] = []string{"out"}
	if _, err := NewModuloHasher(load).Instantiate(missing, DefaultStoreDir); err == nil {
		t.Error("an input that cannot be loaded: no error")
	}
}
