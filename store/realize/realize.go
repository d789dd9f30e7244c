// Package realize builds derivations: it finds which outputs are missing,
// builds them in dependency order with several builds in parallel, each in
// a sandbox, and registers the results in the store. A failed or
// interrupted build registers nothing and leaves no output behind.
package realize

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/store"
	"fruix.dev/fruix/store/sandbox"
)

// Options control a realization.
type Options struct {
	// Jobs is how many builds run at once; 0 means the number of CPUs.
	Jobs int
	// Sandbox runs the builders; nil means sandbox.New("auto").
	Sandbox sandbox.Sandbox
	// KeepFailed keeps the build directory of failed builds.
	KeepFailed bool
	// KeepGoing builds everything that does not depend on a failed build
	// instead of stopping at the first failure.
	KeepGoing bool
	// Timeout and MaxSilent bound each build (0: no limit).
	Timeout, MaxSilent time.Duration
	// Check rebuilds the requested derivations even when their outputs
	// are valid, and reports whether the results are bit-identical.
	Check bool
	// Progress receives the progress lines and failure reports; nil
	// discards them.
	Progress io.Writer
	// BuildLogs, if set, also receives every build's output as it comes,
	// each line prefixed with the derivation's name.
	BuildLogs io.Writer
	// Self is the host program that runs builtin builders (re-executed
	// with builtins.Args); empty means the running executable.
	Self string
	// TempDir is where build directories are created; empty means the
	// system's temporary directory.
	TempDir string
}

// Realizer builds derivations into one open store.
type Realizer struct {
	st   *store.Store
	opts Options

	logMu    sync.Mutex // serializes BuildLogs
	mu       sync.Mutex
	drvs     map[string]*derivation.Derivation // .drv path -> derivation
	closures map[string][]string               // valid path -> its closure, sorted
}

// New returns a realizer for st.
func New(st *store.Store, opts Options) (*Realizer, error) {
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.NumCPU()
	}
	if opts.Jobs > sandbox.BuildPoolSize {
		opts.Jobs = sandbox.BuildPoolSize // one build user per build
	}
	if opts.Sandbox == nil {
		sb, err := sandbox.New("auto")
		if err != nil {
			return nil, err
		}
		opts.Sandbox = sb
	}
	if opts.Progress == nil {
		opts.Progress = io.Discard
	}
	if opts.Self == "" {
		self, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("realize: cannot find the fruix binary for builtin builders: %w", err)
		}
		opts.Self = self
	}
	// This process owns the store: no other build of it runs.
	sandbox.RemoveStaleRoots(st.StateDir())
	return &Realizer{st: st, opts: opts, drvs: map[string]*derivation.Derivation{}, closures: map[string][]string{}}, nil
}

// Add makes an in-memory derivation known under its .drv path, so that it
// can be realized (or used as an input) without its .drv file being read
// from the store.
func (r *Realizer) Add(drvPath string, d *derivation.Derivation) {
	r.mu.Lock()
	r.drvs[drvPath] = d
	r.mu.Unlock()
}

// Outputs maps output names to store paths.
type Outputs map[string]string

// BuildError says why one derivation was not built.
type BuildError struct {
	Drv     string
	Reason  string   // "builder exited with status 1", "hash mismatch ...", ...
	Log     string   // the build log's path, if the builder ran
	Tail    []string // the last lines of the log
	Kept    string   // the build directory kept by KeepFailed
	Because string   // the failed dependency, when the derivation was not attempted
}

func (e *BuildError) Error() string {
	if e.Because != "" {
		return fmt.Sprintf("%s: not built: its input %s failed", e.Drv, e.Because)
	}
	return fmt.Sprintf("build of %s failed: %s", e.Drv, e.Reason)
}

// Report describes the failure for a terminal: the reason, the last lines
// of the log and where the whole log is.
func (e *BuildError) Report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "error: %s\n", e.Error())
	if len(e.Tail) > 0 {
		fmt.Fprintf(&b, "last %d lines of the log:\n", len(e.Tail))
		for _, l := range e.Tail {
			fmt.Fprintf(&b, "  | %s\n", l)
		}
	}
	if e.Log != "" {
		fmt.Fprintf(&b, "full log: %s\n", e.Log)
	}
	if e.Kept != "" {
		fmt.Fprintf(&b, "build directory kept in %s\n", e.Kept)
	}
	return b.String()
}

// Failures is the error Realize returns when builds failed.
type Failures []*BuildError

func (f Failures) Error() string {
	var failed []*BuildError
	for _, e := range f {
		if e.Because == "" {
			failed = append(failed, e)
		}
	}
	var msg string
	switch len(failed) {
	case 0:
		return f[0].Error()
	case 1:
		msg = failed[0].Error()
	default:
		drvs := make([]string, len(failed))
		for i, e := range failed {
			drvs[i] = e.Drv
		}
		msg = fmt.Sprintf("%d builds failed: %s", len(failed), strings.Join(drvs, ", "))
	}
	if n := len(f) - len(failed); n > 0 {
		msg += fmt.Sprintf(" (%d dependent derivations not built)", n)
	}
	return msg
}

// CheckResult is the outcome of a --check rebuild of one derivation.
type CheckResult struct {
	Drv       string
	Identical bool
	Differing []string // the outputs whose NAR hash changed
}

// Realize makes every output of the given derivations valid, building
// what is missing, and returns their outputs, by .drv path. With Check,
// it also returns one CheckResult per requested derivation. The error is
// a Failures when builds failed; the outputs of the derivations that were
// built are returned even then.
func (r *Realizer) Realize(ctx context.Context, drvPaths ...string) (map[string]Outputs, []CheckResult, error) {
	plan, err := r.plan(drvPaths)
	if err != nil {
		return nil, nil, err
	}
	failures := r.run(ctx, plan)
	var checks []CheckResult
	if r.opts.Check && len(failures) == 0 {
		checks, failures = r.checkAll(ctx, plan, drvPaths)
	}
	result := map[string]Outputs{}
	for _, p := range drvPaths {
		d := r.drvs[p]
		outs := Outputs{}
		complete := true
		for name, o := range d.Outputs {
			outs[name] = o.Path
			if plan.validTop[p] {
				continue
			}
			if ok, _ := r.st.IsValid(o.Path); !ok {
				complete = false
			}
		}
		if complete {
			result[p] = outs
		}
	}
	if len(failures) > 0 {
		return result, checks, failures
	}
	return result, checks, nil
}
