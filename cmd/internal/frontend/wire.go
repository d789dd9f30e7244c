package frontend

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/derivation/nar"
	"fruix.dev/fruix/stdlib"
)

// A lowered graph crosses from fruix-eval, which evaluated it, to the
// fruix command, which builds it, as one JSON document on a pipe: the
// derivations as their ATerm text, the sources with their content. The
// receiver checks that every derivation's .drv path is the one its text
// gives, and materialization checks the sources' paths, so what is built
// is what was evaluated.

type wireGraph struct {
	StoreDir    string           `json:"storeDir"`
	Roots       []wireRoot       `json:"roots"`
	Derivations []wireDerivation `json:"derivations"`
	Sources     []wireSource     `json:"sources"`
}

type wireRoot struct {
	Derivation string            `json:"derivation,omitempty"`
	Source     string            `json:"source,omitempty"`
	Outputs    map[string]string `json:"outputs"`
}

type wireDerivation struct {
	Path  string `json:"path"`
	Name  string `json:"name"`
	ATerm string `json:"aterm"`
}

type wireSource struct {
	Path      string         `json:"path"`
	Name      string         `json:"name"`
	Kind      string         `json:"kind"`
	Text      []byte         `json:"text,omitempty"`
	Refs      []string       `json:"refs,omitempty"`
	Files     []wireTreeFile `json:"files,omitempty"`
	LocalFile string         `json:"localFile,omitempty"`
	Recursive bool           `json:"recursive,omitempty"`
}

type wireTreeFile struct {
	Name       string `json:"name"`
	Data       []byte `json:"data,omitempty"`
	Executable bool   `json:"executable,omitempty"`
	Symlink    string `json:"symlink,omitempty"`
	Dir        bool   `json:"dir,omitempty"`
}

// EncodeGraph writes g for DecodeGraph.
func EncodeGraph(w io.Writer, g *stdlib.Graph) error {
	wg := wireGraph{StoreDir: string(g.StoreDir)}
	for _, r := range g.Roots {
		wr := wireRoot{Outputs: r.Outputs}
		if r.Drv != nil {
			wr.Derivation = r.Drv.File
		} else if r.Source != nil {
			wr.Source = r.Source.Path
		}
		wg.Roots = append(wg.Roots, wr)
	}
	order, err := g.Derivations.TopoOrder()
	if err != nil {
		return err
	}
	for _, p := range order {
		d := g.Derivations.Nodes[p]
		wg.Derivations = append(wg.Derivations, wireDerivation{Path: p, Name: d.Name, ATerm: string(d.ATerm())})
	}
	for _, p := range g.SourceOrder() {
		s := g.Sources[p]
		ws := wireSource{Path: s.Path, Name: s.Name, Kind: kindName(s.Kind), Text: s.Text, Refs: s.Refs, LocalFile: s.LocalFile, Recursive: s.Recursive}
		for _, f := range s.Files {
			ws.Files = append(ws.Files, wireTreeFile(f))
		}
		wg.Sources = append(wg.Sources, ws)
	}
	return json.NewEncoder(w).Encode(wg)
}

// DecodeGraph reads a graph EncodeGraph wrote.
func DecodeGraph(r io.Reader) (*stdlib.Graph, error) {
	var wg wireGraph
	if err := json.NewDecoder(r).Decode(&wg); err != nil {
		return nil, fmt.Errorf("reading the graph: %w", err)
	}
	dir := derivation.StoreDir(wg.StoreDir)
	if err := dir.Validate(); err != nil {
		return nil, fmt.Errorf("reading the graph: %w", err)
	}
	g := &stdlib.Graph{StoreDir: dir, Derivations: derivation.NewGraph(), Sources: map[string]*stdlib.Source{}}
	for _, wd := range wg.Derivations {
		d, err := derivation.ParseNamed(wd.Path, []byte(wd.ATerm), wd.Name)
		if err != nil {
			return nil, fmt.Errorf("reading the graph: %w", err)
		}
		if p, err := d.Path(dir); err != nil || p != wd.Path {
			return nil, fmt.Errorf("reading the graph: the derivation given as %s is at %s", wd.Path, p)
		}
		g.Derivations.Nodes[wd.Path] = d
	}
	for _, ws := range wg.Sources {
		s := &stdlib.Source{Path: ws.Path, Name: ws.Name, Text: ws.Text, Refs: ws.Refs, LocalFile: ws.LocalFile, Recursive: ws.Recursive}
		switch ws.Kind {
		case "text":
			s.Kind = stdlib.SourceText
		case "tree":
			s.Kind = stdlib.SourceTree
		case "local":
			s.Kind = stdlib.SourceLocal
		default:
			return nil, fmt.Errorf("reading the graph: source %s has the unknown kind %q", ws.Path, ws.Kind)
		}
		for _, f := range ws.Files {
			s.Files = append(s.Files, stdlib.TreeFile(f))
		}
		if err := checkSourcePath(dir, s); err != nil {
			return nil, fmt.Errorf("reading the graph: source %s: %w", ws.Path, err)
		}
		g.Sources[ws.Path] = s
	}
	for _, wr := range wg.Roots {
		l := &stdlib.Lowered{Outputs: wr.Outputs}
		switch {
		case wr.Derivation != "":
			d := g.Derivations.Nodes[wr.Derivation]
			if d == nil {
				return nil, fmt.Errorf("reading the graph: the root %s is not among its derivations", wr.Derivation)
			}
			l.Drv = &stdlib.Derivation{Drv: d, File: wr.Derivation, StoreDir: dir}
		case wr.Source != "":
			if l.Source = g.Sources[wr.Source]; l.Source == nil {
				return nil, fmt.Errorf("reading the graph: the root %s is not among its sources", wr.Source)
			}
		default:
			return nil, fmt.Errorf("reading the graph: a root with neither derivation nor source")
		}
		g.Roots = append(g.Roots, l)
	}
	return g, nil
}

// checkSourcePath checks that a source read from a graph is at the path
// its content gives it, as lowering computed it: a text or a tree given
// in full is hashed again (which also checks its name and the names of
// the tree's files); a local file, read only when it is added, must have
// a valid name and a path in the store.
func checkSourcePath(dir derivation.StoreDir, s *stdlib.Source) error {
	var p string
	var err error
	switch s.Kind {
	case stdlib.SourceText:
		p, err = dir.MakeTextPath(s.Name, sha256.Sum256(s.Text), s.Refs)
	case stdlib.SourceTree:
		var sum [32]byte
		if sum, err = nar.HashFiles(s.Files); err == nil {
			p, err = dir.MakeSourcePath(s.Name, sum, nil, false)
		}
	case stdlib.SourceLocal:
		var name string
		if _, name, err = dir.ParsePath(s.Path); err == nil && name != s.Name {
			err = fmt.Errorf("its name is %q, not %q", name, s.Name)
		}
		return err
	}
	if err != nil {
		return err
	}
	if p != s.Path {
		return fmt.Errorf("its content is at %s", p)
	}
	return nil
}
