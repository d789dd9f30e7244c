package derivation

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Output is one output of a derivation. For an input-addressed output only
// Path is set (and it is empty while the derivation's hash is computed). A
// fixed-output derivation's output also carries the expected hash: HashAlgo
// as written in the .drv file ("sha256" flat, "r:sha256" recursive,
// "text:sha256" text) and Hash in base 16.
type Output struct {
	Path     string
	HashAlgo string
	Hash     string
}

// IsFixed reports whether the output's content hash is declared in advance.
func (o Output) IsFixed() bool { return o.HashAlgo != "" }

// FixedHash decodes the method and hash of a fixed-output output.
func (o Output) FixedHash() (Method, Hash, error) {
	method, algoName := Flat, o.HashAlgo
	switch {
	case strings.HasPrefix(algoName, "r:"):
		method, algoName = Recursive, algoName[2:]
	case strings.HasPrefix(algoName, "text:"):
		method, algoName = Text, algoName[5:]
	}
	algo, err := ParseHashAlgo(algoName)
	if err != nil {
		return 0, Hash{}, fmt.Errorf("output hash algorithm %q: %v", o.HashAlgo, err)
	}
	h, err := ParseHash(o.Hash, algo)
	if err != nil {
		return 0, Hash{}, err
	}
	return method, h, nil
}

// Derivation is a build recipe: run Builder with Args in an environment
// made of Env, with the outputs of InputDrvs and the paths InputSrcs
// available, to produce Outputs.
type Derivation struct {
	// Name is not part of the ATerm text: it is the name of the .drv path
	// without ".drv" (by convention also Env["name"]). It names the outputs.
	Name string

	Outputs   map[string]Output   // output name -> output
	InputDrvs map[string][]string // .drv path -> names of the outputs used
	InputSrcs []string            // store paths used as sources
	System    string              // such as "x86_64-freebsd"
	Builder   string              // a program path or "builtin:NAME"
	Args      []string
	Env       map[string]string
}

// New returns an empty derivation with its maps allocated.
func New(name, system, builder string) *Derivation {
	return &Derivation{
		Name:      name,
		Outputs:   map[string]Output{},
		InputDrvs: map[string][]string{},
		System:    system,
		Builder:   builder,
		Env:       map[string]string{},
	}
}

// OutputsValid reports whether the outputs of d named names (all of
// them when names is nil) are all valid, as isValid says of their paths:
// what decides whether realizing d builds it. A name d has no output for
// is an error.
func (d *Derivation) OutputsValid(names []string, isValid func(path string) (bool, error)) (bool, error) {
	if names == nil {
		for _, o := range d.Outputs {
			if ok, err := isValid(o.Path); err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	}
	for _, name := range names {
		o, ok := d.Outputs[name]
		if !ok {
			return false, fmt.Errorf("derivation %s has no output %q", d.Name, name)
		}
		ok, err := isValid(o.Path)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// OutputNames returns the names of the outputs, sorted.
func (d *Derivation) OutputNames() []string { return sortedKeys(d.Outputs) }

// IsFixedOutput reports whether d is a fixed-output derivation: a single
// output "out" whose content hash is declared.
func (d *Derivation) IsFixedOutput() bool {
	o, ok := d.Outputs["out"]
	return len(d.Outputs) == 1 && ok && o.IsFixed()
}

// IsBuiltin reports whether the builder is implemented inside Fruix
// ("builtin:NAME").
func (d *Derivation) IsBuiltin() bool { return strings.HasPrefix(d.Builder, "builtin:") }

// References are the store paths a .drv file refers to: its input sources
// and input derivations, sorted.
func (d *Derivation) References() []string {
	refs := make([]string, 0, len(d.InputSrcs)+len(d.InputDrvs))
	refs = append(refs, d.InputSrcs...)
	for p := range d.InputDrvs {
		refs = append(refs, p)
	}
	sort.Strings(refs)
	return dedupSorted(refs)
}

// Path computes the store path of the .drv file: a text path named
// "<Name>.drv" with the derivation's references.
func (d *Derivation) Path(dir StoreDir) (string, error) {
	if d.Name == "" {
		return "", fmt.Errorf("derivation has no name")
	}
	return dir.MakeTextPath(d.Name+".drv", d.atermHash(false, nil), d.References())
}

// Validate checks the derivation's structure against the store dir: a
// valid name, at least one output, valid output names and paths, store
// paths for inputs, a known fixed-output hash algorithm.
func (d *Derivation) Validate(dir StoreDir) error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("derivation %q: "+format, append([]any{d.Name}, args...)...)
	}
	if err := ValidateName(d.Name); err != nil {
		return fail("%v", err)
	}
	if len(d.Outputs) == 0 {
		return fail("no outputs")
	}
	for name, o := range d.Outputs {
		if err := ValidateName(name); err != nil || name == "drv" {
			return fail("invalid output name %q", name)
		}
		if o.Path != "" {
			if err := dir.ValidatePath(o.Path); err != nil {
				return fail("output %q: %v", name, err)
			}
		}
		if o.IsFixed() {
			if len(d.Outputs) != 1 || name != "out" {
				return fail("only a single output named \"out\" may be fixed-output, found %q", name)
			}
			if _, _, err := o.FixedHash(); err != nil {
				return fail("output %q: %v", name, err)
			}
		}
	}
	for p, outs := range d.InputDrvs {
		if err := dir.ValidatePath(p); err != nil {
			return fail("input derivation: %v", err)
		}
		if !strings.HasSuffix(p, ".drv") {
			return fail("input derivation %q does not end in .drv", p)
		}
		if len(outs) == 0 {
			return fail("input derivation %q: no outputs used", p)
		}
	}
	for _, p := range d.InputSrcs {
		if err := dir.ValidatePath(p); err != nil {
			return fail("input source: %v", err)
		}
	}
	if d.Builder == "" {
		return fail("no builder")
	}
	if d.System == "" {
		return fail("no system")
	}
	return nil
}

// Clone returns a deep copy of d.
func (d *Derivation) Clone() *Derivation {
	c := *d
	c.Outputs = make(map[string]Output, len(d.Outputs))
	for k, v := range d.Outputs {
		c.Outputs[k] = v
	}
	c.InputDrvs = make(map[string][]string, len(d.InputDrvs))
	for k, v := range d.InputDrvs {
		c.InputDrvs[k] = append([]string(nil), v...)
	}
	c.InputSrcs = append([]string(nil), d.InputSrcs...)
	c.Args = append([]string(nil), d.Args...)
	c.Env = make(map[string]string, len(d.Env))
	for k, v := range d.Env {
		c.Env[k] = v
	}
	return &c
}

func sortedKeys[V any](m map[string]V) []string {
	return appendSortedKeys(make([]string, 0, len(m)), m)
}

// appendSortedKeys appends m's keys, sorted, to keys.
func appendSortedKeys[V any](keys []string, m map[string]V) []string {
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
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
