package frontend

import (
	"io"
	"sort"

	"fruix.dev/fruix/derivation"
)

// WriteTree writes the plan as a tree for people, as the REPL's ,graph
// shows it: each root, then its inputs (derivations and sources) indented
// below it, by name. A derivation met again is shown once more without
// its inputs, marked "(above)", so that a shared input does not repeat
// its whole subtree.
func WriteTree(w io.Writer, p *Plan) error {
	t := &treeWriter{ew: &errWriter{w: w}, p: p, shown: map[string]bool{},
		drvStatus: map[string]Status{}, srcStatus: map[string]Status{}}
	for _, d := range p.Derivations {
		t.drvStatus[d.Path] = d.Status
	}
	for _, s := range p.Sources {
		t.srcStatus[s.Source.Path] = s.Status
	}
	for _, r := range p.Graph.Roots {
		switch {
		case r.Drv != nil:
			t.node(r.Drv.File, "", "")
		case r.Source != nil:
			t.node(r.Source.Path, "", "")
		}
	}
	if p.Checked || p.StoreNote != "" {
		t.ew.printf("%s\n", p.Summary())
	}
	return t.ew.err
}

type treeWriter struct {
	ew        *errWriter
	p         *Plan
	shown     map[string]bool
	drvStatus map[string]Status
	srcStatus map[string]Status
}

// node writes the line of path (a .drv or a source) after prefix, then
// its children with childPrefix.
func (t *treeWriter) node(path, prefix, childPrefix string) {
	g := t.p.Graph
	line := derivation.Name(path) + "  " + path
	var status Status
	var children []string
	if d := g.Derivations.Nodes[path]; d != nil {
		line = d.Name + "  " + path
		status = t.drvStatus[path]
		for in := range d.InputDrvs {
			if _, ok := g.Derivations.Nodes[in]; ok {
				children = append(children, in)
			}
		}
		for _, src := range d.InputSrcs {
			if _, ok := g.Sources[src]; ok {
				children = append(children, src)
			}
		}
	} else if s := g.Sources[path]; s != nil {
		status = t.srcStatus[path]
		for _, ref := range s.Refs {
			if ref != path {
				if _, ok := g.Sources[ref]; ok {
					children = append(children, ref)
				}
			}
		}
	}
	if t.p.Checked && status != "" {
		line += "  [" + string(status) + "]"
	}
	if t.shown[path] && len(children) > 0 {
		t.ew.printf("%s%s  (above)\n", prefix, line)
		return
	}
	t.shown[path] = true
	t.ew.printf("%s%s\n", prefix, line)
	sort.Slice(children, func(i, j int) bool {
		ni, nj := derivation.Name(children[i]), derivation.Name(children[j])
		if ni != nj {
			return ni < nj
		}
		return children[i] < children[j]
	})
	for i, c := range children {
		if i == len(children)-1 {
			t.node(c, childPrefix+"└── ", childPrefix+"    ")
		} else {
			t.node(c, childPrefix+"├── ", childPrefix+"│   ")
		}
	}
}
