package derivation

import (
	"encoding/json"
	"strings"
	"testing"

	"fruix.dev/fruix/tests/dotcheck"
)

// diamond builds top -> {left, right} -> bottom under /frx/store, adding
// each .drv to a map the way evaluation would.
func diamond(t *testing.T) (*Graph, map[string]string) {
	t.Helper()
	byPath := map[string]*Derivation{}
	h := NewModuloHasher(func(p string) (*Derivation, error) { return byPath[p], nil })
	paths := map[string]string{}
	mk := func(name string, inputs ...string) {
		d := New(name, "x86_64-freebsd", "/bin/sh")
		d.Outputs["out"] = Output{}
		d.Env["out"] = ""
		for _, in := range inputs {
			d.InputDrvs[paths[in]] = []string{"out"}
		}
		if err := d.FillOutputPaths(DefaultStoreDir, h); err != nil {
			t.Fatal(err)
		}
		p, err := d.Path(DefaultStoreDir)
		if err != nil {
			t.Fatal(err)
		}
		byPath[p] = d
		paths[name] = p
	}
	mk("bottom")
	mk("left", "bottom")
	mk("right", "bottom")
	mk("top", "left", "right")
	g, err := LoadGraph([]string{paths["top"]}, func(p string) (*Derivation, error) { return byPath[p], nil })
	if err != nil {
		t.Fatal(err)
	}
	return g, paths
}

func TestGraphWalks(t *testing.T) {
	g, paths := diamond(t)
	order, err := g.TopoOrder()
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, p := range order {
		pos[p] = i
	}
	for p, d := range g.Nodes {
		for in := range d.InputDrvs {
			if pos[in] > pos[p] {
				t.Errorf("%s comes before its input %s", p, in)
			}
		}
	}
	if len(order) != 4 {
		t.Errorf("order %v", order)
	}
	if c := g.Closure(paths["left"]); len(c) != 2 {
		t.Errorf("closure of left: %v", c)
	}
	if r := g.Referrers(paths["bottom"]); len(r) != 2 || r[0] == r[1] {
		t.Errorf("referrers of bottom: %v", r)
	}
	if r := g.ReverseClosure(paths["bottom"]); len(r) != 4 {
		t.Errorf("reverse closure of bottom: %v", r)
	}
	dot := g.DOT()
	if strings.Count(dot, "->") != 4 || !strings.Contains(dot, `[label="top.drv"]`) {
		t.Errorf("DOT:\n%s", dot)
	}
	if err := dotcheck.Check(dot); err != nil {
		t.Errorf("DOT does not check: %v\n%s", err, dot)
	}
	js, err := g.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]*Derivation
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	for p, d := range back {
		if string(d.ATerm()) != string(g.Nodes[p].ATerm()) {
			t.Errorf("JSON round trip of %s changed it", p)
		}
	}
}

func TestGraphCycle(t *testing.T) {
	a, b := New("a", "x86_64-freebsd", "/bin/sh"), New("b", "x86_64-freebsd", "/bin/sh")
	pa, pb := "/frx/store/00000000000000000000000000000000-a.drv", "/frx/store/11111111111111111111111111111111-b.drv"
	a.InputDrvs[pb] = []string{"out"}
	b.InputDrvs[pa] = []string{"out"}
	g := &Graph{Nodes: map[string]*Derivation{pa: a, pb: b}}
	if _, err := g.TopoOrder(); err == nil || !strings.Contains(err.Error(), "dependency cycle") {
		t.Errorf("cycle not reported: %v", err)
	}
}

func TestSystems(t *testing.T) {
	if cpu, kernel, err := ParseSystem("aarch64-freebsd"); err != nil || cpu != "aarch64" || kernel != "freebsd" {
		t.Errorf("ParseSystem: %s %s %v", cpu, kernel, err)
	}
	if _, _, err := ParseSystem("x86_64-windows"); err == nil || !strings.Contains(err.Error(), "unknown system") {
		t.Errorf("unknown system accepted: %v", err)
	}
	if s, err := HostSystem("amd64", "freebsd"); err != nil || s != "x86_64-freebsd" {
		t.Errorf("HostSystem: %s %v", s, err)
	}
}
