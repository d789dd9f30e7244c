package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"fruix.dev/fruix/cmd/internal/frontend"
	"fruix.dev/fruix/cmd/internal/storeside"
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
	"fruix.dev/fruix/store"
	"fruix.dev/fruix/store/realize"
)

// What fruix build evaluates: -f FILE builds the value of the file's last
// expression, -e EXPR the value of EXPR, as in Guix.

// buildProgram is one -f FILE or -e EXPR, in command-line order.
type buildProgram struct {
	file string // -f
	expr string // -e
}

// where names p in an error about its value: -e EXPR, or the position
// of the file's last expression, which computed it.
func (p buildProgram) where() string {
	if p.file == "" {
		return "-e " + p.expr
	}
	if text, err := os.ReadFile(p.file); err == nil {
		if pos := frontend.LastFormPos(p.file, text); pos != "" {
			return pos
		}
	}
	return p.file
}

// buildPrograms collects -f and -e in the order given.
type buildPrograms struct {
	list *[]buildProgram
	expr bool
}

func (b buildPrograms) String() string { return "" }

func (b buildPrograms) Set(v string) error {
	if b.expr {
		*b.list = append(*b.list, buildProgram{expr: v})
	} else {
		*b.list = append(*b.list, buildProgram{file: v})
	}
	return nil
}

// evalOptions are the options of fruix build that say how to evaluate.
type evalOptions struct {
	loadPath []string
	system   string
	loc      frontend.Location
}

// lowerPrograms evaluates each program in one evaluator and lowers its
// value, and returns their graph. -e expressions see (fruix gexp) and
// (fruix derivations) without importing them.
func lowerPrograms(progs []buildProgram, opts evalOptions) (*stdlib.Graph, error) {
	th := stdlib.New(eval.Options{
		LoadPath: append(opts.loadPath, replLoadPathFromEnv(os.Getenv("FRUIX_LOAD_PATH"))...),
		Args:     []string{"fruix"},
		Stdin:    os.Stdin,
		Stdout:   os.Stderr, // standard output is for the output paths
		Stderr:   os.Stderr,
	})
	if err := frontend.Configure(th, opts.system, opts.loc); err != nil {
		return nil, err
	}
	var lowered []*stdlib.Lowered
	imported := false
	for _, p := range progs {
		var v lang.Value
		var err error
		if p.file != "" {
			if st, statErr := os.Stat(p.file); statErr != nil {
				return nil, fmt.Errorf("-f %s: cannot read it: %w", p.file, underlyingErr(statErr))
			} else if st.IsDir() {
				return nil, fmt.Errorf("-f %s: cannot read it: it is a directory", p.file)
			}
			v, err = th.LoadFile(p.file)
		} else {
			if !imported {
				importBuildModules(th)
				imported = true
			}
			v, err = th.EvalString(&lang.Source{Name: "<command line>"}, p.expr)
		}
		if err != nil {
			return nil, err
		}
		vs := eval.ValuesOf(v)
		if len(vs) == 0 {
			return nil, fmt.Errorf("%s: no value, so there is nothing to build", p.where())
		}
		for _, x := range vs {
			if !stdlib.Lowerable(th, x) {
				return nil, fmt.Errorf("%s: the value %s is not a derivation or file-like object, so there is nothing to build", p.where(), frontend.Describe(x))
			}
			l, err := stdlib.Lower(th, x)
			if err != nil {
				return nil, err
			}
			lowered = append(lowered, l)
		}
	}
	return stdlib.GraphOf(th, lowered...)
}

// importBuildModules makes the modules a build expression needs visible
// in the current module, those that this Fruix has.
func importBuildModules(th *eval.Thread) {
	for _, name := range [][]string{{"fruix", "gexp"}, {"fruix", "derivations"}} {
		if _, err := th.FindModule(name); err == nil {
			th.UseModules(name)
		}
	}
}

// underlyingErr strips the operation and path from a file system error.
func underlyingErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// formatEvalError renders an evaluation error with its position and
// backtrace, without a trailing newline.
func formatEvalError(err error) string {
	return strings.TrimRight(eval.FormatError(err), "\n")
}

// realizeGraph materializes g in st and realizes its roots with opts. It
// returns the output paths of the roots that were built or were valid,
// in the roots' order ("out" first), and the error of a failed build (a
// realize.Failures) or of the materialization.
func realizeGraph(ctx context.Context, st *store.Store, g *stdlib.Graph, opts realize.Options) ([]string, error) {
	r, err := realizerFor(st, g, opts)
	if err != nil {
		return nil, err
	}
	outs, _, err := r.Realize(ctx, frontend.RootDerivations(g)...)
	var paths []string
	for _, root := range g.Roots {
		switch {
		case root.Source != nil:
			paths = append(paths, root.Source.Path)
		case root.Drv != nil:
			built, ok := outs[root.Drv.File]
			if !ok {
				continue
			}
			for _, name := range frontend.OutputOrder(built) {
				paths = append(paths, built[name])
			}
		}
	}
	return paths, err
}

// realizerFor adds g's sources and .drv files to st (when g is not nil)
// and returns a realizer that knows g's derivations without reading them
// back.
func realizerFor(st *store.Store, g *stdlib.Graph, opts realize.Options) (*realize.Realizer, error) {
	if g != nil {
		if err := storeside.Materialize(st, g); err != nil {
			return nil, err
		}
	}
	r, err := realize.New(st, opts)
	if err != nil {
		return nil, err
	}
	if g != nil {
		for path, d := range g.Derivations.Nodes {
			r.Add(path, d)
		}
	}
	return r, nil
}
