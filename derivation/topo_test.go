package derivation

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// topoReference is the recursive depth-first walk TopoOrder makes: from
// each derivation in path order, inputs in path order.
func topoReference(g *Graph) ([]string, error) {
	state := map[string]int{}
	var order, path []string
	var visit func(p string) error
	visit = func(p string) error {
		switch state[p] {
		case 2:
			return nil
		case 1:
			i := len(path) - 1
			for path[i] != p {
				i--
			}
			return fmt.Errorf("dependency cycle: %s -> %s", strings.Join(path[i:], " -> "), p)
		}
		state[p] = 1
		path = append(path, p)
		for _, in := range sortedKeys(g.Nodes[p].InputDrvs) {
			if _, ok := g.Nodes[in]; ok {
				if err := visit(in); err != nil {
					return err
				}
			}
		}
		path = path[:len(path)-1]
		state[p] = 2
		order = append(order, p)
		return nil
	}
	for _, p := range sortedKeys(g.Nodes) {
		if err := visit(p); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// TestTopoOrderAsReference compares TopoOrder with the recursive walk on
// random graphs, with inputs outside the graph, and with cycles.
func TestTopoOrderAsReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cycles := 0
	for trial := range 300 {
		n := 1 + rng.IntN(40)
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("/frx/store/%032d-d%d.drv", rng.IntN(1000), i)
		}
		g := NewGraph()
		for i, p := range names {
			d := New(fmt.Sprintf("d%d", i), "x86_64-freebsd", "/bin/sh")
			for k := rng.IntN(5); k > 0; k-- {
				// Mostly earlier derivations (a DAG); sometimes any
				// (a cycle, in a third of the trials), or one not in the graph.
				switch j := rng.IntN(n); {
				case trial%3 == 0 && rng.IntN(8) == 0:
					d.InputDrvs[names[j]] = []string{"out"}
				case rng.IntN(10) == 0:
					d.InputDrvs[fmt.Sprintf("/frx/store/%032d-elsewhere.drv", j)] = []string{"out"}
				case j < i:
					d.InputDrvs[names[j]] = []string{"out"}
				}
			}
			g.Nodes[p] = d
		}
		want, wantErr := topoReference(g)
		if wantErr != nil {
			cycles++
		}
		got, err := g.TopoOrder()
		if fmt.Sprint(err) != fmt.Sprint(wantErr) || !slices.Equal(got, want) {
			t.Fatalf("trial %d: TopoOrder = %v, %v\nwant %v, %v", trial, got, err, want, wantErr)
		}
	}
	if cycles == 0 || cycles == 300 {
		t.Errorf("%d graphs of 300 had a cycle: the comparison covers only one case", cycles)
	}
}

// TestTopoOrderLongChain orders a chain of 100,000 derivations, deeper
// than a recursive walk would go comfortably.
func TestTopoOrderLongChain(t *testing.T) {
	const n = 100000
	g := &Graph{Nodes: make(map[string]*Derivation, n)}
	prev := ""
	for i := range n {
		p := fmt.Sprintf("/frx/store/%032d-c.drv", n-i) // later links sort first
		d := &Derivation{Name: "c", InputDrvs: map[string][]string{}}
		if prev != "" {
			d.InputDrvs[prev] = []string{"out"}
		}
		g.Nodes[p] = d
		prev = p
	}
	order, err := g.TopoOrder()
	if err != nil {
		t.Fatal(err)
	}
	if len(order) != n || order[0] != fmt.Sprintf("/frx/store/%032d-c.drv", n) || order[n-1] != prev {
		t.Errorf("chain ordered %d items, from %s to %s", len(order), order[0], order[len(order)-1])
	}
}
