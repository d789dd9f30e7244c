package frontend

import (
	"fmt"
	"slices"
	"sort"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
)

// Status says what building a graph would do with one of its items.
type Status string

const (
	// StatusUnknown: there is no store to look in, or it could not be read.
	StatusUnknown Status = "unknown"
	// StatusValid: the derivation's outputs, or the source, are in the store.
	StatusValid Status = "valid"
	// StatusBuild: the derivation's outputs are missing and will be built.
	StatusBuild Status = "build"
	// StatusUnneeded: the derivation's outputs are missing, but everything that
	// needs them is valid, so building the roots does not build it.
	StatusUnneeded Status = "unneeded"
	// StatusAdd: the source is missing and will be added to the store.
	StatusAdd Status = "add"
)

// DrvItem is one derivation of a plan.
type DrvItem struct {
	Path   string // the .drv store path
	Drv    *derivation.Derivation
	Status Status
}

// SourceItem is one source of a plan.
type SourceItem struct {
	Source *stdlib.Source
	Status Status
}

// Plan is a lowered graph with what building it would do: its
// derivations in topological order (inputs first), its sources in the
// order they are added, each with its status.
type Plan struct {
	Graph       *stdlib.Graph
	Derivations []DrvItem
	Sources     []SourceItem
	// Checked is true when the statuses come from a store; otherwise
	// every status is StatusUnknown and StoreNote says why.
	Checked   bool
	StoreNote string
}

// Validity answers whether a store path is valid; *store.Store has it.
type Validity interface {
	IsValid(p string) (bool, error)
}

// LowerValue lowers vs, the values a program computed, and returns their
// graph, whose roots are in the same order. A value that cannot be
// lowered is an error saying what was expected.
func LowerValue(th *eval.Thread, vs ...lang.Value) (*stdlib.Graph, error) {
	roots := make([]*stdlib.Lowered, 0, len(vs))
	for _, v := range vs {
		if !stdlib.Lowerable(th, v) {
			return nil, fmt.Errorf("want a derivation or file-like object, got %s", Describe(v))
		}
		l, err := stdlib.Lower(th, v)
		if err != nil {
			return nil, err
		}
		roots = append(roots, l)
	}
	return stdlib.GraphOf(th, roots...)
}

// Describe shows a value in an error message, shortened when long.
func Describe(v lang.Value) string {
	s := lang.WriteString(v)
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

// NewPlan orders g and, when store is not nil, finds the status of each
// item the way the realizer decides what to build: from each root down,
// a derivation whose needed outputs are valid is not looked into.
// note says why store is nil.
func NewPlan(g *stdlib.Graph, store Validity, note string) (*Plan, error) {
	order, err := g.Derivations.TopoOrder()
	if err != nil {
		return nil, err
	}
	sources := g.SourceOrder()
	p := &Plan{Graph: g, Checked: store != nil, StoreNote: note,
		Derivations: make([]DrvItem, 0, len(order)), Sources: make([]SourceItem, 0, len(sources))}
	var status map[string]Status
	if store != nil {
		status = make(map[string]Status, len(order))
		if err := markDerivations(g, store, status); err != nil {
			return nil, err
		}
	}
	for _, path := range order {
		s, ok := status[path]
		if !ok {
			s = StatusUnknown
		}
		p.Derivations = append(p.Derivations, DrvItem{Path: path, Drv: g.Derivations.Nodes[path], Status: s})
	}
	for _, path := range sources {
		s := StatusUnknown
		if store != nil {
			ok, err := store.IsValid(path)
			if err != nil {
				return nil, err
			}
			s = StatusAdd
			if ok {
				s = StatusValid
			}
		}
		p.Sources = append(p.Sources, SourceItem{Source: g.Sources[path], Status: s})
	}
	return p, nil
}

// markDerivations sets the status of every derivation of g in status.
// A derivation is built when an output that a root or a derivation to be
// built needs is missing. Inputs are visited in path order, so that of
// several inconsistencies (an output a derivation does not have) the
// same one is reported every time.
func markDerivations(g *stdlib.Graph, store Validity, status map[string]Status) error {
	var visit func(path string, outputs []string) error
	visit = func(path string, outputs []string) error {
		if status[path] == StatusBuild {
			return nil
		}
		d := g.Derivations.Nodes[path]
		if d == nil {
			return nil // outside the graph: a .drv the program named by path
		}
		ok, err := d.OutputsValid(outputs, store.IsValid) // nil outputs: all
		if err != nil || ok {
			return err
		}
		status[path] = StatusBuild
		var buf [8]string
		inputs := buf[:0]
		for in := range d.InputDrvs {
			inputs = append(inputs, in)
		}
		slices.Sort(inputs)
		for _, in := range inputs {
			if err := visit(in, d.InputDrvs[in]); err != nil {
				return err
			}
		}
		return nil
	}
	for _, r := range g.Roots {
		if r.Drv != nil {
			if err := visit(r.Drv.File, nil); err != nil {
				return err
			}
		}
	}
	for path, d := range g.Derivations.Nodes {
		if status[path] == StatusBuild {
			continue
		}
		ok, err := d.OutputsValid(nil, store.IsValid)
		if err != nil {
			return err
		}
		status[path] = StatusUnneeded
		if ok {
			status[path] = StatusValid
		}
	}
	return nil
}

// Count returns how many derivations have status s.
func (p *Plan) Count(s Status) int {
	n := 0
	for _, d := range p.Derivations {
		if d.Status == s {
			n++
		}
	}
	return n
}

// CountSources returns how many sources have status s.
func (p *Plan) CountSources(s Status) int {
	n := 0
	for _, src := range p.Sources {
		if src.Status == s {
			n++
		}
	}
	return n
}

// RootOutputs lists the output paths of the roots: for each root, "out"
// first and then its other outputs by name.
func (p *Plan) RootOutputs() []string {
	var paths []string
	for _, r := range p.Graph.Roots {
		for _, name := range OutputOrder(r.Outputs) {
			paths = append(paths, r.Outputs[name])
		}
	}
	return paths
}

// OutputOrder lists the names of outputs, "out" first, then by name.
func OutputOrder(outputs map[string]string) []string {
	names := make([]string, 0, len(outputs))
	for n := range outputs {
		if n != "out" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	if _, ok := outputs["out"]; ok {
		names = append([]string{"out"}, names...)
	}
	return names
}

// Summary is the plan's one-line account: "3 derivations will be built,
// 2 are valid; 4 source files will be added".
func (p *Plan) Summary() string {
	if !p.Checked {
		s := fmt.Sprintf("%s, %s", plural(len(p.Derivations), "derivation", "derivations"), plural(len(p.Sources), "source file", "source files"))
		if p.StoreNote != "" {
			s += "; " + p.StoreNote
		}
		return s
	}
	build, valid, unneeded := p.Count(StatusBuild), p.Count(StatusValid), p.Count(StatusUnneeded)
	s := fmt.Sprintf("%s will be built, %d %s valid", plural(build, "derivation", "derivations"), valid, isAre(valid))
	if unneeded > 0 {
		s += fmt.Sprintf(", %d %s not needed", unneeded, isAre(unneeded))
	}
	add := p.CountSources(StatusAdd)
	s += fmt.Sprintf("; %s will be added", plural(add, "source file", "source files"))
	if v := p.CountSources(StatusValid); v > 0 {
		s += fmt.Sprintf(", %d %s valid", v, isAre(v))
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// RootDerivations lists the .drv paths of g's roots that are derivations.
func RootDerivations(g *stdlib.Graph) []string {
	var drvs []string
	for _, r := range g.Roots {
		if r.Drv != nil {
			drvs = append(drvs, r.Drv.File)
		}
	}
	return drvs
}
