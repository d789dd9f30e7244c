package main

import (
	"fmt"
	"os"
	"path/filepath"

	"fruix.dev/fruix/cmd/internal/frontend"
	"fruix.dev/fruix/cmd/internal/storeside"
	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/stdlib"
)

// drvArgsGraph is the graph of .drv files given on fruix build's command
// line, for --dry-run: each file is read where it is, and its inputs from
// the store directory, without opening the store. lowered, if not nil, is
// what -f and -e lowered; the result holds both (lowered itself is shared
// by the evaluator's memo, so it is copied, not changed).
func drvArgsGraph(lowered *stdlib.Graph, dir derivation.StoreDir, args []string) (*stdlib.Graph, error) {
	graph := &stdlib.Graph{StoreDir: dir, Derivations: derivation.NewGraph(), Sources: map[string]*stdlib.Source{}}
	if lowered != nil {
		graph.Roots = append(graph.Roots, lowered.Roots...)
		for p, d := range lowered.Derivations.Nodes {
			graph.Derivations.Nodes[p] = d
		}
		for p, s := range lowered.Sources {
			graph.Sources[p] = s
		}
	}
	given := map[string]*derivation.Derivation{}
	var roots []string
	for _, arg := range args {
		abs, err := filepath.Abs(arg)
		if err != nil {
			return nil, err
		}
		d, err := readDrvArg(arg, abs)
		if err != nil {
			return nil, err
		}
		p, err := d.Path(dir)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", arg, err)
		}
		given[p] = d
		roots = append(roots, p)
		outs := map[string]string{}
		for name, o := range d.Outputs {
			outs[name] = o.Path
		}
		graph.Roots = append(graph.Roots, &stdlib.Lowered{Drv: &stdlib.Derivation{Drv: d, File: p, StoreDir: dir}, Outputs: outs})
	}
	inputs, err := derivation.LoadGraph(roots, func(p string) (*derivation.Derivation, error) {
		if d := graph.Derivations.Nodes[p]; d != nil {
			return d, nil
		}
		if d := given[p]; d != nil {
			return d, nil
		}
		return derivation.ReadFile(p)
	})
	if err != nil {
		return nil, err
	}
	for p, d := range inputs.Nodes {
		graph.Derivations.Nodes[p] = d
	}
	return graph, nil
}

// readDrvArg reads the .drv file arg (at abs) of fruix build's command
// line. A file that cannot be read is named as the user gave it; a parse
// error names its file, line and column already.
func readDrvArg(arg, abs string) (*derivation.Derivation, error) {
	d, err := derivation.ReadFile(abs)
	if err != nil {
		if _, ok := err.(*os.PathError); ok {
			return nil, fmt.Errorf("%s: cannot read it: %w", arg, underlyingErr(err))
		}
		return nil, err
	}
	return d, nil
}

// planDryRun plans what --dry-run shows: the lowered graph and the .drv
// arguments. The store is only read (storeside.Inspect): a dry run
// changes nothing on disk, not even the store's index files.
func planDryRun(graph *stdlib.Graph, loc frontend.Location, args []string) (*frontend.Plan, error) {
	if len(args) > 0 {
		var err error
		if graph, err = drvArgsGraph(graph, loc.Dir(), args); err != nil {
			return nil, err
		}
	}
	return storeside.PlanInStore(graph, loc, true)
}
