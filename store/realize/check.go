package realize

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"fruix.dev/fruix/store"
	"fruix.dev/fruix/store/sandbox"
)

// checkPrefix names the temporary homes of --check rebuilds in the store
// directory; the store's Open removes such leftovers after a crash.
const checkPrefix = ".tmp-check-"

// checkAll rebuilds each requested derivation whose outputs are valid into
// temporary locations and compares the NAR hashes with the registered ones.
func (r *Realizer) checkAll(ctx context.Context, p *plan, drvPaths []string) ([]CheckResult, Failures) {
	built := map[string]bool{}
	for _, n := range p.nodes {
		built[n.path] = true
	}
	var results []CheckResult
	var failures Failures
	seen := map[string]bool{}
	for i, path := range drvPaths {
		if seen[path] || built[path] {
			continue // just built: nothing to compare with
		}
		seen[path] = true
		fmt.Fprintf(r.opts.Progress, "[%d/%d] checking %s\n", i+1, len(drvPaths), path)
		res, err := r.check(ctx, &node{path: path, drv: r.drvs[path]})
		if err != nil {
			be, ok := err.(*BuildError)
			if !ok {
				be = &BuildError{Drv: path, Reason: err.Error()}
			}
			fmt.Fprint(r.opts.Progress, be.Report())
			failures = append(failures, be)
			if !r.opts.KeepGoing {
				break
			}
			continue
		}
		if res.Identical {
			fmt.Fprintf(r.opts.Progress, "%s: rebuilt, bit-identical\n", path)
		} else {
			fmt.Fprintf(r.opts.Progress, "%s: rebuilt, NOT bit-identical: %v differ\n", path, res.Differing)
		}
		results = append(results, *res)
	}
	return results, failures
}

func (r *Realizer) check(ctx context.Context, n *node) (*CheckResult, error) {
	d := n.drv
	outputs := map[string]string{}
	dest := map[string]string{}
	var paths []string
	stamp := strconv.FormatInt(time.Now().UnixNano(), 36)
	for _, name := range d.OutputNames() {
		p := d.Outputs[name].Path
		outputs[name] = p
		paths = append(paths, p)
		dest[p] = filepath.Join(string(r.st.Dir()), checkPrefix+stamp+"-"+filepath.Base(p))
	}
	unlock, err := r.st.LockOutputs(paths)
	if err != nil {
		return nil, err
	}
	defer unlock()
	defer func() {
		for _, t := range dest {
			sandbox.RemoveAll(t)
		}
	}()
	inputs, err := r.inputPaths(n)
	if err != nil {
		return nil, err
	}
	closure, err := r.inputClosure(inputs)
	if err != nil {
		return nil, err
	}
	if err := r.runBuilder(ctx, n, outputs, dest, closure); err != nil {
		return nil, err
	}
	res := &CheckResult{Drv: n.path, Identical: true}
	for _, name := range d.OutputNames() {
		p := outputs[name]
		t := dest[p]
		if _, err := os.Lstat(t); err != nil {
			return nil, &BuildError{Drv: n.path, Reason: fmt.Sprintf("the rebuild did not produce output %q", name)}
		}
		if err := r.st.Canonicalize(t); err != nil {
			return nil, err
		}
		info, err := r.st.QueryPathInfo(p)
		if err != nil {
			return nil, err
		}
		got, _, err := store.NarHash(t)
		if err != nil {
			return nil, err
		}
		if !got.Equal(info.NarHash) {
			res.Identical = false
			res.Differing = append(res.Differing, name)
		}
	}
	return res, nil
}
