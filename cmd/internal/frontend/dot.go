package frontend

import (
	"io"
	"sort"
	"strings"
)

// WriteDOT writes the plan in Graphviz's language (`dot -Tsvg` draws
// it): a box per derivation and a note per source, labelled with their
// names, an edge from each derivation to each input, labelled with the
// outputs it uses, and the status as the fill colour when the store was
// checked (red: build, green: valid, grey: not needed, yellow: add).
func WriteDOT(w io.Writer, p *Plan) error {
	ew := &errWriter{w: w}
	ew.printf("digraph fruix {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n  edge [fontname=\"monospace\"];\n")
	for _, d := range p.Derivations {
		ew.printf("  %s [label=%s%s];\n", dotQuote(d.Path), dotQuote(d.Drv.Name), dotFill(d.Status))
	}
	for _, s := range p.Sources {
		ew.printf("  %s [shape=note, label=%s%s];\n", dotQuote(s.Source.Path), dotQuote(s.Source.Name), dotFill(s.Status))
	}
	for _, d := range p.Derivations {
		inputs := make([]string, 0, len(d.Drv.InputDrvs))
		for in := range d.Drv.InputDrvs {
			inputs = append(inputs, in)
		}
		sort.Strings(inputs)
		for _, in := range inputs {
			outs := append([]string(nil), d.Drv.InputDrvs[in]...)
			sort.Strings(outs)
			ew.printf("  %s -> %s [label=%s];\n", dotQuote(d.Path), dotQuote(in), dotQuote(strings.Join(outs, ",")))
		}
		srcs := append([]string(nil), d.Drv.InputSrcs...)
		sort.Strings(srcs)
		for _, src := range srcs {
			if _, ok := p.Graph.Sources[src]; ok {
				ew.printf("  %s -> %s;\n", dotQuote(d.Path), dotQuote(src))
			}
		}
	}
	for _, s := range p.Sources {
		for _, ref := range s.Source.Refs {
			if _, ok := p.Graph.Sources[ref]; ok && ref != s.Source.Path {
				ew.printf("  %s -> %s;\n", dotQuote(s.Source.Path), dotQuote(ref))
			}
		}
	}
	ew.printf("}\n")
	return ew.err
}

// dotQuote makes s a DOT string: double quotes and backslashes escaped, a
// newline written as \n (a centred line break in a label).
func dotQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// dotFill colours a node by its status.
func dotFill(s Status) string {
	colour := map[Status]string{StatusBuild: "#f4cccc", StatusValid: "#d9ead3", StatusUnneeded: "#eeeeee", StatusAdd: "#fff2cc"}[s]
	if colour == "" {
		return ""
	}
	return `, style=filled, fillcolor="` + colour + `"`
}
