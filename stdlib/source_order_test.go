package stdlib

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// sourceOrderReference is the recursive walk SourceOrder makes: from
// each source in path order, references in the order Refs lists them.
func sourceOrderReference(g *Graph) []string {
	paths := make([]string, 0, len(g.Sources))
	for p := range g.Sources {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	done := map[string]bool{}
	var order []string
	var visit func(p string)
	visit = func(p string) {
		if done[p] {
			return
		}
		done[p] = true
		if s := g.Sources[p]; s != nil {
			for _, ref := range s.Refs {
				visit(ref)
			}
			order = append(order, p)
		}
	}
	for _, p := range paths {
		visit(p)
	}
	return order
}

// TestSourceOrderAsReference compares SourceOrder with the recursive
// walk on random sources that refer to each other, to themselves and to
// paths that are not sources of the graph.
func TestSourceOrderAsReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 300 {
		n := 1 + rng.IntN(40)
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("/frx/store/%032d-s%d", rng.IntN(1000), i)
		}
		g := &Graph{Sources: map[string]*Source{}}
		for i, p := range names {
			var refs []string
			for k := rng.IntN(4); k > 0; k-- {
				switch j := rng.IntN(n); {
				case rng.IntN(8) == 0:
					refs = append(refs, p) // itself
				case rng.IntN(8) == 0:
					refs = append(refs, fmt.Sprintf("/frx/store/%032d-elsewhere", j))
				case j < i:
					refs = append(refs, names[j])
				}
			}
			sort.Strings(refs)
			g.Sources[p] = &Source{Path: p, Refs: slices.Compact(refs)}
		}
		if got, want := g.SourceOrder(), sourceOrderReference(g); !slices.Equal(got, want) {
			t.Fatalf("trial %d: SourceOrder = %v\nwant %v", trial, got, want)
		}
	}
}
