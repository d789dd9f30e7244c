package main

import (
	"fmt"
	"os"
	"strings"

	"fruix.dev/fruix/derivation"
)

func init() {
	register("derivation", "show derivations (.drv files) as JSON or as a graph", runDerivation)
}

const derivationUsage = `usage: fruix derivation show [-r] DRV...
       fruix derivation graph [--dot|--json] DRV...

show   prints each .drv file as JSON, keyed by its path; -r adds every
       derivation it depends on
graph  prints the dependency graph of the .drv files, in Graphviz's DOT
       language (default) or as JSON

DRV is a .drv file: in the store or anywhere else.
`

func runDerivation(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, derivationUsage)
		return 2
	}
	switch args[0] {
	case "show":
		return runDerivationShow(args[1:])
	case "graph":
		return runDerivationGraph(args[1:])
	case "--help", "-h", "help":
		fmt.Print(derivationUsage)
		return 0
	}
	fmt.Fprintf(os.Stderr, "fruix derivation: unknown subcommand %q\n%s", args[0], derivationUsage)
	return 2
}

// loadDerivations reads the .drv files named by args and, with
// recursive, every input derivation they name.
func loadDerivations(args []string, recursive bool) (*derivation.Graph, error) {
	if recursive {
		return derivation.LoadGraph(args, derivation.ReadFile)
	}
	g := derivation.NewGraph()
	for _, p := range args {
		d, err := derivation.ReadFile(p)
		if err != nil {
			return nil, err
		}
		g.Nodes[p] = d
	}
	return g, nil
}

func runDerivationShow(args []string) int {
	fs := newStoreFlagSet("derivation show", "usage: fruix derivation show [-r] DRV...\n\nPrints the .drv files as JSON, keyed by path.\n")
	recursive := fs.Bool("r", false, "include every input derivation, recursively")
	if code, ok := parseStoreFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "fruix derivation show: no DRV given")
		return 2
	}
	g, err := loadDerivations(fs.Args(), *recursive)
	if err != nil {
		return storeCmdFail("derivation show", err)
	}
	out, err := derivation.ShowJSON(g.Nodes)
	if err != nil {
		return storeCmdFail("derivation show", err)
	}
	fmt.Println(string(out))
	return 0
}

func runDerivationGraph(args []string) int {
	fs := newStoreFlagSet("derivation graph", "usage: fruix derivation graph [--dot|--json] DRV...\n\nPrints the dependency graph of the .drv files and all their inputs.\n")
	dot := fs.Bool("dot", false, "Graphviz DOT (the default)")
	asJSON := fs.Bool("json", false, "JSON, keyed by .drv path")
	if code, ok := parseStoreFlags(fs, args); !ok {
		return code
	}
	if *dot && *asJSON {
		fmt.Fprintln(os.Stderr, "fruix derivation graph: --dot and --json exclude each other")
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "fruix derivation graph: no DRV given")
		return 2
	}
	g, err := loadDerivations(fs.Args(), true)
	if err != nil {
		return storeCmdFail("derivation graph", err)
	}
	if _, err := g.TopoOrder(); err != nil {
		return storeCmdFail("derivation graph", err)
	}
	if *asJSON {
		out, err := g.JSON()
		if err != nil {
			return storeCmdFail("derivation graph", err)
		}
		fmt.Println(string(out))
		return 0
	}
	fmt.Print(strings.TrimRight(g.DOT(), "\n") + "\n")
	return 0
}
