package derivation

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"
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
// all of its inputs. A cycle (impossible for content-addressed .drv
// files, possible for a hand-made graph) is an error naming it.
func (g *Graph) TopoOrder() ([]string, error) {
	const (
		unvisited = iota
		visiting
		done
	)
	state := make(map[string]int, len(g.Nodes))
	order := make([]string, 0, len(g.Nodes))
	var path []string
	var visit func(p string) error
	visit = func(p string) error {
		switch state[p] {
		case done:
			return nil
		case visiting:
			i := len(path) - 1
			for path[i] != p {
				i--
			}
			return fmt.Errorf("dependency cycle: %s -> %s", strings.Join(path[i:], " -> "), p)
		}
		state[p] = visiting
		path = append(path, p)
		for _, in := range g.inputs(p) {
			if err := visit(in); err != nil {
				return err
			}
		}
		path = path[:len(path)-1]
		state[p] = done
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

// CheckDOT checks that text is a DOT digraph of the shape DOT and the
// commands' --format dot write, with the grammar Graphviz accepts: `digraph ID { stmt; ... }`
// where each statement is an attribute statement (graph, node, edge), an
// ID=ID assignment, a node (ID [attrs]) or an edge (ID -> ID [attrs]),
// and IDs are identifiers or double-quoted strings. It exists so that
// tests can check the DOT output where Graphviz is not installed.
func CheckDOT(text string) error {
	toks, err := dotTokens(text)
	if err != nil {
		return err
	}
	i := 0
	next := func() string {
		if i >= len(toks) {
			return ""
		}
		i++
		return toks[i-1]
	}
	isID := func(t string) bool {
		if strings.HasPrefix(t, `"`) {
			return true
		}
		if t == "" {
			return false
		}
		for _, r := range t {
			if !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.') {
				return false
			}
		}
		return true
	}
	if t := next(); t != "digraph" {
		return fmt.Errorf("want digraph, got %q", t)
	}
	if t := next(); t != "{" {
		if !isID(t) {
			return fmt.Errorf("want the graph's name, got %q", t)
		}
		if t := next(); t != "{" {
			return fmt.Errorf("want {, got %q", t)
		}
	}
	attrs := func() error {
		for {
			t := next()
			if t == "]" {
				return nil
			}
			if !isID(t) {
				return fmt.Errorf("want an attribute name, got %q", t)
			}
			if u := next(); u != "=" {
				return fmt.Errorf("want = after attribute %s, got %q", t, u)
			}
			if t := next(); !isID(t) {
				return fmt.Errorf("want an attribute value, got %q", t)
			}
			if i < len(toks) && toks[i] == "," {
				i++
			}
		}
	}
	for {
		t := next()
		switch {
		case t == "}":
			if i != len(toks) {
				return fmt.Errorf("text after the closing }")
			}
			return nil
		case t == "":
			return fmt.Errorf("unterminated graph: no closing }")
		case !isID(t):
			return fmt.Errorf("want a statement, got %q", t)
		}
		switch u := next(); u {
		case "=":
			if v := next(); !isID(v) {
				return fmt.Errorf("want a value after %s =, got %q", t, v)
			}
			u = next()
			if u != ";" {
				return fmt.Errorf("want ; after an assignment, got %q", u)
			}
			continue
		case "->":
			if v := next(); !isID(v) {
				return fmt.Errorf("want a node after ->, got %q", v)
			}
			u = next()
			if u == "[" {
				if err := attrs(); err != nil {
					return err
				}
				u = next()
			}
			if u != ";" {
				return fmt.Errorf("want ; after an edge, got %q", u)
			}
		case "[":
			if err := attrs(); err != nil {
				return err
			}
			if v := next(); v != ";" {
				return fmt.Errorf("want ; after a node, got %q", v)
			}
		case ";":
		default:
			return fmt.Errorf("after %s: want =, ->, [ or ;, got %q", t, u)
		}
	}
}

// dotTokens splits DOT text into identifiers, quoted strings (kept with
// their quotes) and punctuation.
func dotTokens(text string) ([]string, error) {
	var toks []string
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"':
			j := i + 1
			for ; j < len(text) && text[j] != '"'; j++ {
				if text[j] == '\\' {
					j++
				}
			}
			if j >= len(text) {
				return nil, fmt.Errorf("unterminated string at byte %d", i)
			}
			toks = append(toks, text[i:j+1])
			i = j + 1
		case strings.HasPrefix(text[i:], "->"):
			toks = append(toks, "->")
			i += 2
		case strings.ContainsRune("{}[];,=", rune(c)):
			toks = append(toks, string(c))
			i++
		default:
			j := i
			for j < len(text) && !strings.ContainsRune(" \t\r\n\"{}[];,=", rune(text[j])) && !strings.HasPrefix(text[j:], "->") {
				j++
			}
			toks = append(toks, text[i:j])
			i = j
		}
	}
	return toks, nil
}
