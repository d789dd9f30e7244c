package realize

import (
	"context"
	"errors"
	"fmt"
	"fruix.dev/fruix/derivation"
	"sort"
	"strings"
)

// run builds the plan's derivations, inputs first, at most Jobs at a time.
// Without KeepGoing the first failure interrupts the other builds; with it,
// everything that does not depend on a failure is built.
func (r *Realizer) run(ctx context.Context, p *plan) Failures {
	total := len(p.nodes)
	if total == 0 {
		return nil
	}
	parent := ctx
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var ready []*node
	for _, n := range p.nodes {
		if n.pending == 0 {
			ready = append(ready, n)
		}
	}
	type done struct {
		n   *node
		err error
	}
	results := make(chan done)
	running := map[*node]bool{}
	started := 0
	stopping := false
	var failures Failures
	failed := map[*node]bool{}
	var markDependents func(n *node, cause string)
	markDependents = func(n *node, cause string) {
		for _, d := range n.dependents {
			if failed[d] {
				continue
			}
			failed[d] = true
			failures = append(failures, &BuildError{Drv: d.path, Because: cause})
			markDependents(d, cause)
		}
	}
	for {
		if parent.Err() != nil {
			stopping = true // interrupted: start nothing more
		}
		for len(running) < r.opts.Jobs && len(ready) > 0 && !stopping {
			n := ready[0]
			ready = ready[1:]
			started++
			fmt.Fprintf(r.opts.Progress, "[%d/%d] building %s%s\n", started, total, n.path, alsoRunning(running))
			running[n] = true
			go func() { results <- done{n, r.build(ctx, n)} }()
		}
		if len(running) == 0 {
			break
		}
		res := <-results
		delete(running, res.n)
		if res.err != nil {
			var be *BuildError
			if !errors.As(res.err, &be) {
				be = &BuildError{Drv: res.n.path, Reason: res.err.Error()}
			}
			if be.Reason == interrupted && parent.Err() == nil {
				continue // stopped because another build failed
			}
			failures = append(failures, be)
			failed[res.n] = true
			fmt.Fprint(r.opts.Progress, be.Report())
			markDependents(res.n, res.n.path)
			if !r.opts.KeepGoing {
				stopping = true
				stop()
			}
			continue
		}
		for _, d := range res.n.dependents {
			d.pending--
			if d.pending == 0 && !failed[d] {
				ready = append(ready, d)
			}
		}
	}
	if parent.Err() != nil && len(failures) == 0 && started < total {
		failures = append(failures, &BuildError{Drv: p.nodes[len(p.nodes)-1].path, Reason: interrupted})
	}
	return failures
}

// alsoRunning names the builds in progress, for the progress line.
func alsoRunning(running map[*node]bool) string {
	if len(running) == 0 {
		return ""
	}
	var names []string
	for n := range running {
		names = append(names, strings.TrimSuffix(derivation.Name(n.path), ".drv"))
	}
	sort.Strings(names)
	return " (also building: " + strings.Join(names, ", ") + ")"
}
