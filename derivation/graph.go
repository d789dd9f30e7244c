package derivation

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Graph is a set of derivations keyed by their .drv paths, closed or not
// under input derivations. Walks are deterministic: ties are broken by
// path.
type Graph struct {
	Nodes map[string]*Derivation
}

// NewGraph returns an empty graph.
func NewGraph() *Graph { return &Graph{Nodes: map[string]*Derivation{}} }

// LoadGraph builds the graph of roots and everything they depend on,
// reading each .drv once with load.
func LoadGraph(roots []string, load func(drvPath string) (*Derivation, error)) (*Graph, error) {
	g := NewGraph()
	stack := append([]string(nil), roots...)
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if _, seen := g.Nodes[p]; seen {
			continue
		}
		d, err := load(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		g.Nodes[p] = d
		for _, in := range sortedKeys(d.InputDrvs) {
			if _, seen := g.Nodes[in]; !seen {
				stack = append(stack, in)
			}
		}
	}
	return g, nil
}

// inputs returns the input derivations of p that are in the graph.
func (g *Graph) inputs(p string) []string {
	d := g.Nodes[p]
	if d == nil {
		return nil
	}
	var out []string
	for _, in := range sortedKeys(d.InputDrvs) {
		if _, ok := g.Nodes[in]; ok {
			out = append(out, in)
		}
	}
	return out
}

// TopoOrder lists the graph's derivations with every derivation after
// all of its inputs: a depth-first walk from each derivation in path
// order, inputs in path order. A cycle (impossible for content-addressed
// .drv files, possible for a hand-made graph) is an error naming it.
//
// The walk keeps its own stack, so that a chain of thousands of
// derivations does not make the goroutine's stack as deep.
func (g *Graph) TopoOrder() ([]string, error) {
	const (
		unvisited = iota
		visiting
		done
	)
	paths := sortedKeys(g.Nodes)
	index := make(map[string]int, len(paths))
	for i, p := range paths {
		index[p] = i
	}
	state := make([]uint8, len(paths))
	order := make([]string, 0, len(paths))
	// A frame is a derivation being visited; its inputs are
	// inputs[start:end], those from next on not visited yet.
	type frame struct{ node, start, next, end int }
	var stack []frame
	var inputs []int
	push := func(i int) {
		state[i] = visiting
		start := len(inputs)
		for in := range g.Nodes[paths[i]].InputDrvs {
			if j, ok := index[in]; ok {
				inputs = append(inputs, j)
			}
		}
		slices.Sort(inputs[start:]) // paths are sorted: so are their indices
		stack = append(stack, frame{node: i, start: start, next: start, end: len(inputs)})
	}
	for root := range paths {
		if state[root] != unvisited {
			continue
		}
		push(root)
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next == f.end {
				state[f.node] = done
				order = append(order, paths[f.node])
				inputs = inputs[:f.start]
				stack = stack[:len(stack)-1]
				continue
			}
			j := inputs[f.next]
			f.next++
			switch state[j] {
			case unvisited:
				push(j)
			case visiting:
				i := len(stack) - 1
				for stack[i].node != j {
					i--
				}
				cycle := make([]string, 0, len(stack)-i+1)
				for _, f := range stack[i:] {
					cycle = append(cycle, paths[f.node])
				}
				return nil, fmt.Errorf("dependency cycle: %s -> %s", strings.Join(cycle, " -> "), paths[j])
			}
		}
	}
	return order, nil
}

// Closure returns roots and every derivation of the graph they depend on,
// sorted.
func (g *Graph) Closure(roots ...string) []string {
	seen := map[string]bool{}
	stack := append([]string(nil), roots...)
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[p] {
			continue
		}
		seen[p] = true
		stack = append(stack, g.inputs(p)...)
	}
	return sortedKeys(seen)
}

// Referrers returns the derivations of the graph that have p as a direct
// input, sorted.
func (g *Graph) Referrers(p string) []string {
	var out []string
	for q, d := range g.Nodes {
		if _, ok := d.InputDrvs[p]; ok {
			out = append(out, q)
		}
	}
	sort.Strings(out)
	return out
}

// ReverseClosure returns p and every derivation of the graph that depends
// on it, directly or not, sorted: what must be rebuilt when p changes.
func (g *Graph) ReverseClosure(p string) []string {
	rev := map[string][]string{}
	for q, d := range g.Nodes {
		for in := range d.InputDrvs {
			rev[in] = append(rev[in], q)
		}
	}
	seen := map[string]bool{}
	stack := []string{p}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[x] {
			continue
		}
		seen[x] = true
		stack = append(stack, rev[x]...)
	}
	return sortedKeys(seen)
}

// DOT renders the graph in Graphviz's language, an edge from each
// derivation to each of its inputs, labelled with the outputs used.
func (g *Graph) DOT() string {
	var b strings.Builder
	b.WriteString("digraph derivations {\n  rankdir=LR;\n  node [shape=box];\n")
	for _, p := range sortedKeys(g.Nodes) {
		fmt.Fprintf(&b, "  %q [label=%q];\n", p, Name(p))
	}
	for _, p := range sortedKeys(g.Nodes) {
		d := g.Nodes[p]
		for _, in := range sortedKeys(d.InputDrvs) {
			outs := append([]string(nil), d.InputDrvs[in]...)
			sort.Strings(outs)
			fmt.Fprintf(&b, "  %q -> %q [label=%q];\n", p, in, strings.Join(outs, ","))
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// JSON renders the graph as {"<drv>": <derivation>, ...}, each in the
// display form of MarshalJSON.
func (g *Graph) JSON() ([]byte, error) { return json.MarshalIndent(g.Nodes, "", "  ") }
