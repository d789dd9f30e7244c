package realize

import (
	"fmt"
	"sort"
)

// inputPaths are the store paths a derivation's builder uses directly: its
// input sources and the outputs it uses of its input derivations.
func (r *Realizer) inputPaths(n *node) ([]string, error) {
	d := n.drv
	paths := append([]string(nil), d.InputSrcs...)
	for in, outputs := range d.InputDrvs {
		dep, err := r.load(in)
		if err != nil {
			return nil, err
		}
		for _, name := range outputs {
			o, ok := dep.Outputs[name]
			if !ok {
				return nil, fmt.Errorf("%s uses output %q of %s, which has no such output", n.path, name, in)
			}
			paths = append(paths, o.Path)
		}
	}
	sort.Strings(paths)
	return paths, nil
}

// closure returns the valid paths reachable from roots by references,
// roots included, sorted. Closures of valid paths never change, so they
// are remembered across builds.
func (r *Realizer) closure(roots []string) ([]string, error) {
	set := map[string]bool{}
	var visit func(p string) error
	visit = func(p string) error {
		if set[p] {
			return nil
		}
		r.mu.Lock()
		cached, ok := r.closures[p]
		r.mu.Unlock()
		if ok {
			for _, q := range cached {
				set[q] = true
			}
			return nil
		}
		set[p] = true
		info, err := r.st.QueryPathInfo(p)
		if err != nil {
			return fmt.Errorf("input %s: %w", p, err)
		}
		for _, ref := range info.References {
			if err := visit(ref); err != nil {
				return err
			}
		}
		return nil
	}
	for _, p := range roots {
		if err := visit(p); err != nil {
			return nil, err
		}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	if len(roots) == 1 {
		r.mu.Lock()
		r.closures[roots[0]] = out
		r.mu.Unlock()
	}
	return out, nil
}

// inputClosure is the closure of a derivation's inputs: everything its
// builder may see of the store.
func (r *Realizer) inputClosure(inputs []string) ([]string, error) {
	set := map[string]bool{}
	for _, p := range inputs {
		c, err := r.closure([]string{p})
		if err != nil {
			return nil, err
		}
		for _, q := range c {
			set[q] = true
		}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, nil
}
