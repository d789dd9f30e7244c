package realize

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

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
	// validTop holds the requested derivations found complete.
	validTop map[string]bool
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
	d, err := readDerivation(drvPath)
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

// valid reports whether all the given outputs of d (all of them when
// outputs is nil) are valid.
func (r *Realizer) valid(d *derivation.Derivation, outputs []string) (bool, error) {
	return d.OutputsValid(outputs, r.st.IsValid)
}

// plan walks the graph from the requested derivations down to the inputs
// whose outputs are missing. A derivation whose outputs are all valid is
// not even opened further: a no-op realization reads only the top.
func (r *Realizer) plan(drvPaths []string) (*plan, error) {
	validTop := r.preload(drvPaths)
	p := &plan{validTop: validTop}
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
		if outputs == nil && validTop[path] {
			return nil, nil
		}
		if ok, err := r.valid(d, outputs); err != nil { // nil outputs: all
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

// preload reads the requested derivations and checks their outputs with
// several goroutines, which matters when thousands are requested at once
// (most of the time goes to system calls). It returns those whose outputs
// are all valid; errors are left for the sequential walk to report.
func (r *Realizer) preload(drvPaths []string) map[string]bool {
	valid := make(map[string]bool, len(drvPaths))
	if len(drvPaths) < 16 {
		return valid
	}
	var mu sync.Mutex
	work := make(chan string)
	var wg sync.WaitGroup
	for w := 0; w < 2*runtime.NumCPU()+2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				d, err := r.load(p)
				if err != nil {
					continue
				}
				if ok, err := r.valid(d, nil); err == nil && ok {
					mu.Lock()
					valid[p] = true
					mu.Unlock()
				}
			}
		}()
	}
	for _, p := range drvPaths {
		work <- p
	}
	close(work)
	wg.Wait()
	return valid
}

// readDerivation reads and parses a .drv file with plain system calls:
// os.ReadFile's poller registration doubles the cost of reading thousands
// of small files.
func readDerivation(path string) (*derivation.Derivation, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	data := make([]byte, 0, 4096)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := unix.Read(fd, data[len(data):cap(data)])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			break
		}
		data = data[:len(data)+n]
	}
	return derivation.ParseNamed(path, data, strings.TrimSuffix(derivation.Name(path), ".drv"))
}
