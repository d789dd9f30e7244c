package stdlib

import (
	"fmt"
	"sort"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/derivation/nar"
	"fruix.dev/fruix/eval"
)

// A lowered graph is what the commands need to show or build what a
// program declared: the derivations, closed under their inputs, and the
// source items (files whose store path evaluation computed from their
// content, such as plain-file texts, local files and shipped modules)
// that must be added to the store before anything is built. Computing it
// writes nothing.

// SourceKind says how a source item's content is known.
type SourceKind int

const (
	// SourceText is a text file given in full: a text path (as .drv
	// files and builder scripts are), which may refer to other sources.
	SourceText SourceKind = iota
	// SourceTree is a directory of files given in full, addressed by the
	// SHA-256 of its NAR (a source path), such as shipped modules.
	SourceTree
	// SourceLocal is a file or directory read from the host at
	// evaluation time (local-file): flat (a regular file addressed by the
	// hash of its bytes) unless Recursive (addressed by its NAR).
	SourceLocal
)

// Source is a store item whose path evaluation computed from its
// content, and how to put that content in the store.
type Source struct {
	Path string // its store path
	Name string // the name part of the path
	Kind SourceKind

	Text []byte   // SourceText: the file's bytes
	Refs []string // SourceText: the sources it refers to, sorted

	Files []TreeFile // SourceTree: the files, sorted by name

	LocalFile string // SourceLocal: the absolute host path read
	Recursive bool   // SourceLocal: added as a tree (by NAR)
}

// TreeFile is one regular file, symbolic link or directory of a
// SourceTree (nar.MemFile, which the tree's NAR is computed from): the
// directories leading to an entry are implied by its slash-separated
// name; an empty directory, which a local-file's #:select? can keep, is
// an entry of its own.
type TreeFile = nar.MemFile

// Lowered is a value lowered to the store: a derivation and its output
// paths, or a source item.
type Lowered struct {
	Drv     *Derivation       // nil when the value lowers to a source
	Source  *Source           // nil when the value lowers to a derivation
	Outputs map[string]string // output name -> store path ("out" for a source)
}

// Path is the main store path of l: the source's, or the output "out"
// (the first output by name when there is no "out").
func (l *Lowered) Path() string {
	if l.Source != nil {
		return l.Source.Path
	}
	if p, ok := l.Outputs["out"]; ok {
		return p
	}
	names := make([]string, 0, len(l.Outputs))
	for n := range l.Outputs {
		names = append(names, n)
	}
	sort.Strings(names)
	return l.Outputs[names[0]]
}

// Graph is the closure of some lowered roots: every derivation they need,
// by .drv path, and every source item, by store path.
type Graph struct {
	StoreDir    derivation.StoreDir
	Roots       []*Lowered
	Derivations *derivation.Graph
	Sources     map[string]*Source // store path -> source
}

// registerSource makes a source item known to th, so that GraphOf can
// find it from the paths that refer to it.
func registerSource(th *eval.Thread, s *Source) {
	r := registry(th)
	if r.sources == nil {
		r.sources = map[string]*Source{}
	}
	r.sources[s.Path] = s
}

// LookupSource returns the source item computed on th whose store path is
// p, if any.
func LookupSource(th *eval.Thread, p string) *Source { return registry(th).sources[p] }

// GraphOf returns the graph of roots: the derivations and sources they
// need, found through the .drv inputs and sources and the sources'
// references. Every path must have been computed on th.
//
// The graph of a single root is computed once per Thread and store
// directory and shared: callers must not modify it.
func GraphOf(th *eval.Thread, roots ...*Lowered) (*Graph, error) {
	dir, err := currentStoreDir(th)
	if err != nil {
		return nil, err
	}
	st := lowerStateOf(th)
	if len(roots) == 1 {
		if g := st.graphs[roots[0]]; g != nil && g.StoreDir == dir {
			return g, nil
		}
	}
	g, err := graphOf(th, dir, roots)
	if err == nil && len(roots) == 1 {
		st.graphs[roots[0]] = g
	}
	return g, err
}

func graphOf(th *eval.Thread, dir derivation.StoreDir, roots []*Lowered) (*Graph, error) {
	r := registry(th)
	// Sized for everything computed on th, which a configuration's graph
	// usually is: growing maps of thousands of entries costs more.
	g := &Graph{StoreDir: dir, Roots: roots,
		Derivations: &derivation.Graph{Nodes: make(map[string]*derivation.Derivation, len(r.byFile))},
		Sources:     make(map[string]*Source, len(r.sources))}
	var drvStack, srcStack []string
	for _, l := range roots {
		if l.Drv != nil {
			drvStack = append(drvStack, l.Drv.File)
		} else if l.Source != nil {
			srcStack = append(srcStack, l.Source.Path)
		}
	}
	for len(drvStack) > 0 || len(srcStack) > 0 {
		if n := len(drvStack); n > 0 {
			p := drvStack[n-1]
			drvStack = drvStack[:n-1]
			if _, seen := g.Derivations.Nodes[p]; seen {
				continue
			}
			d := r.byFile[p]
			if d == nil {
				return nil, fmt.Errorf("%s: not a derivation computed in this session", p)
			}
			g.Derivations.Nodes[p] = d.Drv
			for in := range d.Drv.InputDrvs {
				drvStack = append(drvStack, in)
			}
			srcStack = append(srcStack, d.Drv.InputSrcs...)
			continue
		}
		n := len(srcStack)
		p := srcStack[n-1]
		srcStack = srcStack[:n-1]
		if _, seen := g.Sources[p]; seen {
			continue
		}
		s := r.sources[p]
		if s == nil {
			// A source the program named by path (a store path it did
			// not compute); building needs it to be valid already.
			continue
		}
		g.Sources[p] = s
		srcStack = append(srcStack, s.Refs...)
	}
	return g, nil
}

// SourceOrder lists g's sources so that each comes after the sources it
// refers to, ties broken by path: the order in which to add them. It is
// a depth-first walk from each source in path order, references in the
// order Refs lists them (sorted), on a stack of its own.
func (g *Graph) SourceOrder() []string {
	paths := make([]string, 0, len(g.Sources))
	for p := range g.Sources {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	index := make(map[string]int, len(paths))
	for i, p := range paths {
		index[p] = i
	}
	done := make([]bool, len(paths))
	order := make([]string, 0, len(paths))
	type frame struct{ node, next int } // next: the index in Refs to visit next
	var stack []frame
	for root := range paths {
		if done[root] {
			continue
		}
		done[root] = true
		stack = append(stack[:0], frame{node: root})
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			refs := g.Sources[paths[f.node]].Refs
			if f.next == len(refs) {
				order = append(order, paths[f.node])
				stack = stack[:len(stack)-1]
				continue
			}
			j, ok := index[refs[f.next]]
			f.next++
			if ok && !done[j] {
				done[j] = true
				stack = append(stack, frame{node: j})
			}
		}
	}
	return order
}
