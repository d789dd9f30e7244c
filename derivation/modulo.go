package derivation

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"
)

// ModuloHasher computes hashDerivationModulo over a graph of derivations,
// remembering the hash of every .drv path it has seen. Load fetches an
// input derivation by its .drv path (from memory during evaluation, from
// the store when building). It is safe for concurrent use.
type ModuloHasher struct {
	Load func(drvPath string) (*Derivation, error)

	mu    sync.Mutex
	cache map[string]moduloHash
}

// moduloHash is a derivation's modulo hash, with its hex form as
// derivations using it write it.
type moduloHash struct {
	sum [32]byte
	hex string
}

// NewModuloHasher returns a hasher that loads input derivations with load.
func NewModuloHasher(load func(drvPath string) (*Derivation, error)) *ModuloHasher {
	return &ModuloHasher{Load: load, cache: map[string]moduloHash{}}
}

// HashPath returns the modulo hash of the derivation stored at drvPath.
func (h *ModuloHasher) HashPath(drvPath string) ([32]byte, error) {
	m, err := h.hashPath(drvPath)
	return m.sum, err
}

func (h *ModuloHasher) hashPath(drvPath string) (moduloHash, error) {
	h.mu.Lock()
	m, ok := h.cache[drvPath]
	h.mu.Unlock()
	if ok {
		return m, nil
	}
	if h.Load == nil {
		return moduloHash{}, fmt.Errorf("input derivation %s: no loader to read it", drvPath)
	}
	d, err := h.Load(drvPath)
	if err != nil {
		return moduloHash{}, fmt.Errorf("input derivation %s: %w", drvPath, err)
	}
	sum, err := h.Hash(d, false)
	if err != nil {
		return moduloHash{}, err
	}
	return h.remember(drvPath, sum), nil
}

// remember records sum as the modulo hash of the derivation at drvPath,
// unless one is recorded already (the same, computed meanwhile).
func (h *ModuloHasher) remember(drvPath string, sum [32]byte) moduloHash {
	h.mu.Lock()
	defer h.mu.Unlock()
	if m, ok := h.cache[drvPath]; ok {
		return m
	}
	if h.cache == nil {
		h.cache = map[string]moduloHash{}
	}
	m := moduloHash{sum: sum, hex: hex.EncodeToString(sum[:])}
	h.cache[drvPath] = m
	return m
}

// Hash computes hashDerivationModulo(d): for a fixed-output derivation,
// the SHA-256 of "fixed:out:<algo>:<hex hash>:<path>", so that changing how
// a fixed output is fetched does not change anything depending on it;
// otherwise the SHA-256 of d's ATerm text with each input derivation
// replaced by the hex of its own modulo hash (and, with maskOutputs, the
// output paths and the environment variables named after outputs left
// empty, which is how a derivation's own output paths are computed).
func (h *ModuloHasher) Hash(d *Derivation, maskOutputs bool) ([32]byte, error) {
	if d.IsFixedOutput() {
		return fixedModuloHash(d), nil
	}
	var buf [16]inputRef
	inputs, err := h.moduloInputs(buf[:0], d)
	if err != nil {
		return [32]byte{}, err
	}
	return d.atermHash(maskOutputs, inputs), nil
}

func fixedModuloHash(d *Derivation) [32]byte {
	o := d.Outputs["out"]
	return sha256.Sum256([]byte("fixed:out:" + o.HashAlgo + ":" + o.Hash + ":" + o.Path))
}

// moduloInputs appends d's input derivations to refs as its modulo hash
// writes them: by the hex of their own modulo hashes, sorted.
func (h *ModuloHasher) moduloInputs(refs []inputRef, d *Derivation) ([]inputRef, error) {
	for p, outs := range d.InputDrvs {
		m, err := h.hashPath(p)
		if err != nil {
			return nil, err
		}
		refs = append(refs, inputRef{key: m.hex, outputs: outs})
	}
	slices.SortFunc(refs, compareInputs)
	// Two input derivations may share a modulo hash (two fixed-output
	// derivations of the same content); their output lists merge.
	merged := refs[:0]
	for _, in := range refs {
		if n := len(merged); n > 0 && merged[n-1].key == in.key {
			merged[n-1].outputs = append(append([]string(nil), merged[n-1].outputs...), in.outputs...)
			continue
		}
		merged = append(merged, in)
	}
	return merged, nil
}

// FillOutputPaths computes d's output paths and sets them in Outputs and
// in the environment variables named after the outputs, as Nix does when
// it instantiates a derivation. Fixed-output paths follow from their
// declared hash; input-addressed ones from the modulo hash of d with its
// output paths (and the output variables present in Env) blanked. Like
// Nix's derivation primitive, callers normally set Env[output] = "" for
// each output beforehand; a missing variable is hashed as missing.
func (d *Derivation) FillOutputPaths(dir StoreDir, h *ModuloHasher) error {
	if err := d.prepareOutputs(); err != nil {
		return err
	}
	if d.IsFixedOutput() {
		o := d.Outputs["out"]
		method, hash, err := o.FixedHash()
		if err != nil {
			return fmt.Errorf("derivation %q: %v", d.Name, err)
		}
		p, err := dir.MakeFixedOutputPath(d.Name, method, hash, nil, false)
		if err != nil {
			return err
		}
		o.Path = p
		d.Outputs["out"] = o
		d.Env["out"] = p
		return nil
	}
	if err := d.checkInputAddressed(); err != nil {
		return err
	}
	sum, err := h.Hash(d, true)
	if err != nil {
		return err
	}
	return d.setOutputPaths(dir, sum)
}

// prepareOutputs checks that d has a name and gives it an environment,
// where its output paths go.
func (d *Derivation) prepareOutputs() error {
	if d.Name == "" {
		return fmt.Errorf("derivation has no name")
	}
	if d.Env == nil {
		d.Env = map[string]string{}
	}
	return nil
}

// checkInputAddressed checks that no output of d, which is not a
// fixed-output derivation, is fixed.
func (d *Derivation) checkInputAddressed() error {
	for name, o := range d.Outputs {
		if o.IsFixed() {
			return fmt.Errorf("derivation %q: output %q is fixed-output, but only a single output \"out\" may be", d.Name, name)
		}
	}
	return nil
}

// setOutputPaths sets d's input-addressed output paths, in Outputs and
// Env, from sum, the modulo hash of d with its outputs blanked.
func (d *Derivation) setOutputPaths(dir StoreDir, sum [32]byte) error {
	for name, o := range d.Outputs {
		p, err := dir.MakeOutputPath(name, sum, d.Name)
		if err != nil {
			return fmt.Errorf("derivation %q: %v", d.Name, err)
		}
		o.Path = p
		d.Outputs[name] = o
		d.Env[name] = p
	}
	return nil
}

// Instantiate does what instantiating a derivation a program wrote
// takes: it fills d's output paths (as FillOutputPaths does), checks d
// (Validate) and returns the path of its .drv file, and it remembers d's
// modulo hash under that path for the derivations that use d. The three
// texts hashed on the way (with the output paths blanked, as written, and
// with the inputs' modulo hashes) share most of their sections, which
// are written once.
func (h *ModuloHasher) Instantiate(d *Derivation, dir StoreDir) (string, error) {
	if d.IsFixedOutput() {
		if err := d.FillOutputPaths(dir, h); err != nil {
			return "", err
		}
		return h.instantiated(d, dir, func() ([32]byte, [32]byte) {
			return d.atermHash(false, nil), fixedModuloHash(d)
		})
	}
	if err := d.prepareOutputs(); err != nil {
		return "", err
	}
	if err := d.checkInputAddressed(); err != nil {
		return "", err
	}
	var buf [16]inputRef
	inputs, err := h.moduloInputs(buf[:0], d)
	if err != nil {
		return "", err
	}
	b := getBuffer()
	defer putBuffer(b)
	writeInputs(b, inputs)
	inputsEnd := b.Len()
	d.writeMiddle(b)
	middleEnd := b.Len()
	d.writeEnv(b, true)
	maskedEnvEnd := b.Len()
	d.writeOutputs(b, true)
	t := b.Bytes()
	sum := hashATermSections(t[maskedEnvEnd:], t[:inputsEnd], t[inputsEnd:middleEnd], t[middleEnd:maskedEnvEnd])
	if err := d.setOutputPaths(dir, sum); err != nil {
		return "", err
	}
	return h.instantiated(d, dir, func() (plain, modulo [32]byte) {
		outputsStart := b.Len()
		d.writeOutputs(b, false)
		envStart := b.Len()
		d.writeEnv(b, false)
		drvsStart := b.Len()
		var buf [16]inputRef
		writeInputs(b, sortedInputs(buf[:0], d.InputDrvs))
		t := b.Bytes()
		outputs, env, drvs := t[outputsStart:envStart], t[envStart:drvsStart], t[drvsStart:]
		middle := t[inputsEnd:middleEnd]
		return hashATermSections(outputs, drvs, middle, env), hashATermSections(outputs, t[:inputsEnd], middle, env)
	})
}

// instantiated checks d, whose output paths are filled, and remembers
// its modulo hash under its .drv path; hashes gives the hash of d's text
// and its modulo hash.
func (h *ModuloHasher) instantiated(d *Derivation, dir StoreDir, hashes func() (plain, modulo [32]byte)) (string, error) {
	if err := d.Validate(dir); err != nil {
		return "", err
	}
	plain, modulo := hashes()
	file, err := dir.MakeTextPath(d.Name+".drv", plain, d.References())
	if err != nil {
		return "", err
	}
	h.remember(file, modulo)
	return file, nil
}

// hashATermSections is the SHA-256 of the ATerm text made of the
// sections given, joined as writeATerm joins them.
func hashATermSections(outputs, inputs, middle, env []byte) [32]byte {
	b := getBuffer()
	defer putBuffer(b)
	b.WriteString("Derive([")
	b.Write(outputs)
	b.WriteString("],[")
	b.Write(inputs)
	b.WriteString("],")
	b.Write(middle)
	b.WriteString(",[")
	b.Write(env)
	b.WriteString("])")
	return sha256.Sum256(b.Bytes())
}
