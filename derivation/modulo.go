package derivation

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
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
	m = moduloHash{sum: sum, hex: hex.EncodeToString(sum[:])}
	h.mu.Lock()
	if h.cache == nil {
		h.cache = map[string]moduloHash{}
	}
	h.cache[drvPath] = m
	h.mu.Unlock()
	return m, nil
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
		o := d.Outputs["out"]
		return sha256.Sum256([]byte("fixed:out:" + o.HashAlgo + ":" + o.Hash + ":" + o.Path)), nil
	}
	inputs := make(map[string][]string, len(d.InputDrvs))
	for p, outs := range d.InputDrvs {
		m, err := h.hashPath(p)
		if err != nil {
			return [32]byte{}, err
		}
		// Two input derivations may share a modulo hash (two fixed-output
		// derivations of the same content); their output lists merge.
		if prev, dup := inputs[m.hex]; dup {
			outs = append(append([]string(nil), prev...), outs...)
		}
		inputs[m.hex] = outs
	}
	return d.atermHash(maskOutputs, inputs), nil
}

// FillOutputPaths computes d's output paths and sets them in Outputs and
// in the environment variables named after the outputs, as Nix does when
// it instantiates a derivation. Fixed-output paths follow from their
// declared hash; input-addressed ones from the modulo hash of d with its
// output paths (and the output variables present in Env) blanked. Like
// Nix's derivation primitive, callers normally set Env[output] = "" for
// each output beforehand; a missing variable is hashed as missing.
func (d *Derivation) FillOutputPaths(dir StoreDir, h *ModuloHasher) error {
	if d.Name == "" {
		return fmt.Errorf("derivation has no name")
	}
	if d.Env == nil {
		d.Env = map[string]string{}
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
	for name, o := range d.Outputs {
		if o.IsFixed() {
			return fmt.Errorf("derivation %q: output %q is fixed-output, but only a single output \"out\" may be", d.Name, name)
		}
	}
	sum, err := h.Hash(d, true)
	if err != nil {
		return err
	}
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
