package frontend

import (
	"fmt"
	"io"
	"slices"
)

// WriteText writes the plan for people: the roots' output paths first,
// one per line, then each derivation (inputs first) with its outputs,
// then the sources, each marked with its status when the store was
// checked, and the summary line last.
func WriteText(w io.Writer, p *Plan) error {
	ew := &errWriter{w: w}
	for _, out := range p.RootOutputs() {
		ew.printf("%s\n", out)
	}
	if len(p.Derivations) > 0 {
		ew.printf("\n%s, inputs first:\n", plural(len(p.Derivations), "derivation", "derivations"))
		indent := "    " + pad(p)
		for _, d := range p.Derivations {
			ew.write("  ", mark(p, d.Status), d.Path, "\n")
			names := d.Drv.OutputNames()
			if _, ok := d.Drv.Outputs["out"]; ok && len(names) > 1 {
				names = append([]string{"out"}, slices.DeleteFunc(names, func(n string) bool { return n == "out" })...)
			}
			for _, name := range names {
				ew.write(indent, name, " ", d.Drv.Outputs[name].Path, "\n")
			}
		}
	}
	if len(p.Sources) > 0 {
		ew.printf("\n%s:\n", plural(len(p.Sources), "source file", "source files"))
		for _, s := range p.Sources {
			ew.write("  ", mark(p, s.Status), s.Source.Path, sourceOrigin(s), "\n")
		}
	}
	ew.printf("\n%s\n", p.Summary())
	return ew.err
}

// WriteDryRun writes what building the plan would do, and nothing else:
// the derivations that would be built and the sources that would be
// added, then the summary line.
func WriteDryRun(w io.Writer, p *Plan) error {
	ew := &errWriter{w: w}
	if !p.Checked {
		ew.printf("%s\n", p.Summary())
		return ew.err
	}
	if n := p.Count(StatusBuild); n > 0 {
		ew.printf("%s would be built:\n", plural(n, "derivation", "derivations"))
		for _, d := range p.Derivations {
			if d.Status == StatusBuild {
				ew.printf("  %s\n", d.Path)
			}
		}
	}
	if n := p.CountSources(StatusAdd); n > 0 {
		ew.printf("%s would be added:\n", plural(n, "source file", "source files"))
		for _, s := range p.Sources {
			if s.Status == StatusAdd {
				ew.printf("  %s%s\n", s.Source.Path, sourceOrigin(s))
			}
		}
	}
	ew.printf("%s\n", p.Summary())
	return ew.err
}

// WriteDerivationPaths writes the .drv paths of the plan, inputs first,
// one per line.
func WriteDerivationPaths(w io.Writer, p *Plan) error {
	ew := &errWriter{w: w}
	for _, d := range p.Derivations {
		ew.printf("%s\n", d.Path)
	}
	return ew.err
}

// sourceOrigin says where a local file's content comes from.
func sourceOrigin(s SourceItem) string {
	if s.Source.LocalFile != "" {
		return "  (from " + s.Source.LocalFile + ")"
	}
	return ""
}

// markWidth is the width of the status column: "build  ".
const markWidth = 7

// mark is the status column of a line, empty when the store was not
// checked.
func mark(p *Plan, s Status) string {
	if !p.Checked {
		return ""
	}
	m := string(s)
	for len(m) < markWidth {
		m += " "
	}
	return m
}

func pad(p *Plan) string {
	if !p.Checked {
		return ""
	}
	return fmt.Sprintf("%*s", markWidth, "")
}

// errWriter remembers the first write error, so that a long listing is
// written without checking each line.
type errWriter struct {
	w   io.Writer
	err error
}

// write writes strings one after the other, for the long listings.
func (e *errWriter) write(parts ...string) {
	for _, s := range parts {
		if e.err != nil {
			return
		}
		_, e.err = io.WriteString(e.w, s)
	}
}

func (e *errWriter) printf(format string, a ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, a...)
	}
}
