package realize

import (
	"fmt"
	"sort"

	"fruix.dev/fruix/derivation"
)

// node is one derivation to build.
type node struct {
	path       string
	drv        *derivation.Derivation
	deps       []*node // inputs to build first
	dependents []*node
	pending    int // deps not built yet
}

// plan is the set of derivations a realization must build.
type plan struct {
	nodes []*node // in a topological order: inputs first
}

// load returns the derivation stored at drvPath, from memory if Add or an
// earlier load put it there.
func (r *Realizer) load(drvPath string) (*derivation.Derivation, error) {
	r.mu.Lock()
	d, ok := r.drvs[drvPath]
	r.mu.Unlock()
	if ok {
		return d, nil
	}
	if !r.st.Dir().IsStorePath(drvPath) {
		return nil, fmt.Errorf("%s: not a derivation of the store %s", drvPath, r.st.Dir())
	}
	d, err := r.st.ReadDerivation(drvPath)
	if err != nil {
		return nil, fmt.Errorf("cannot read derivation %s: %w", drvPath, err)
	}
	for name, o := range d.Outputs {
		if o.Path == "" {
			return nil, fmt.Errorf("derivation %s: output %q has no path", drvPath, name)
		}
	}
	r.mu.Lock()
	r.drvs[drvPath] = d
	r.mu.Unlock()
	return d, nil
}

// valid reports whether all the given outputs of d are valid.
func (r *Realizer) valid(d *derivation.Derivation, outputs []string) (bool, error) {
	for _, name := range outputs {
		o, ok := d.Outputs[name]
		if !ok {
			return false, fmt.Errorf("derivation %s has no output %q", d.Name, name)
		}
		ok, err := r.st.IsValid(o.Path)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// plan walks the graph from the requested derivations down to the inputs
// whose outputs are missing. A derivation whose outputs are all valid is
// not even opened further: a no-op realization reads only the top.
func (r *Realizer) plan(drvPaths []string) (*plan, error) {
	p := &plan{}
	seen := map[string]*node{}
	visiting := map[string]bool{}
	var visit func(path string, outputs []string) (*node, error)
	visit = func(path string, outputs []string) (*node, error) {
		if n, ok := seen[path]; ok {
			return n, nil // already planned: all its outputs will be built
		}
		if visiting[path] {
			return nil, fmt.Errorf("derivation %s depends on itself", path)
		}
		d, err := r.load(path)
		if err != nil {
			return nil, err
		}
		if outputs == nil {
			outputs = d.OutputNames()
		}
		if ok, err := r.valid(d, outputs); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		} else if ok {
			return nil, nil
		}
		visiting[path] = true
		n := &node{path: path, drv: d}
		inputs := make([]string, 0, len(d.InputDrvs))
		for in := range d.InputDrvs {
			inputs = append(inputs, in)
		}
		sort.Strings(inputs)
		for _, in := range inputs {
			dep, err := visit(in, d.InputDrvs[in])
			if err != nil {
				return nil, err
			}
			if dep != nil {
				n.deps = append(n.deps, dep)
				dep.dependents = append(dep.dependents, n)
			}
		}
		n.pending = len(n.deps)
		delete(visiting, path)
		seen[path] = n
		p.nodes = append(p.nodes, n)
		return n, nil
	}
	for _, path := range drvPaths {
		if _, err := visit(path, nil); err != nil {
			return nil, err
		}
	}
	return p, nil
}
