package realize

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/store"
	"fruix.dev/fruix/store/builtins"
	"fruix.dev/fruix/store/sandbox"
)

// HostPathsVar is the derivation environment variable that lists, space
// separated, the host files and directories its builder may see (such as
// /bin/sh). Being in the environment, the list is part of the derivation's
// hash.
const HostPathsVar = "__hostPaths"

// interrupted is the reason of builds stopped by cancellation.
const interrupted = "interrupted"

// build runs one derivation's builder and registers its outputs.
func (r *Realizer) build(ctx context.Context, n *node) error {
	d := n.drv
	names := d.OutputNames()
	outputs := make(map[string]string, len(names))
	paths := make([]string, 0, len(names))
	for _, name := range names {
		outputs[name] = d.Outputs[name].Path
		paths = append(paths, d.Outputs[name].Path)
	}
	unlock, err := r.st.LockOutputs(paths)
	if err != nil {
		return err
	}
	defer unlock()
	if ok, err := r.valid(d, names); err != nil || ok {
		return err // built meanwhile
	}
	inputs, err := r.inputPaths(n)
	if err != nil {
		return err
	}
	for _, p := range append(append([]string(nil), inputs...), paths...) {
		if err := r.st.AddTempRoot(p); err != nil {
			return err
		}
	}
	closure, err := r.inputClosure(inputs)
	if err != nil {
		return err
	}
	if err := removeStale(r.st, paths); err != nil {
		return err
	}
	return r.runBuilder(ctx, n, outputs, nil, closure)
}

// runBuilder runs the builder of n in the sandbox. With dest nil the
// outputs are checked, canonicalized and registered; otherwise they are
// moved to dest (output path -> host path) and left unregistered, for
// --check.
func (r *Realizer) runBuilder(ctx context.Context, n *node, outputs map[string]string, dest map[string]string, closure []string) error {
	d := n.drv
	spec, err := r.spec(n, outputs, closure)
	if err != nil {
		return &BuildError{Drv: n.path, Reason: err.Error()}
	}
	spec.OutputDest = dest
	log, err := openBuildLog(r.st.StateDir(), n.path)
	if err != nil {
		return fmt.Errorf("cannot create the build log: %w", err)
	}
	spec.Log = log
	if r.opts.BuildLogs != nil {
		spec.Log = io.MultiWriter(log, &prefixWriter{out: r.opts.BuildLogs, mu: &r.logMu, prefix: d.Name + "> "})
	}
	buildDir, err := os.MkdirTemp(r.opts.TempDir, "fruix-build-"+d.Name+"-")
	if err != nil {
		log.Close()
		return fmt.Errorf("cannot create the build directory: %w", err)
	}
	spec.BuildDir = buildDir

	failLogged := func(reason string, inLog bool) error {
		if !inLog {
			log.Note(reason)
		}
		log.Close()
		for _, p := range outputs {
			target := p
			if t, ok := dest[p]; ok {
				target = t
			}
			sandbox.RemoveAll(target)
		}
		be := &BuildError{Drv: n.path, Reason: reason, Log: log.path, Tail: log.Tail()}
		if r.opts.KeepFailed && reason != interrupted {
			be.Kept = buildDir
		} else {
			sandbox.RemoveAll(buildDir)
		}
		return be
	}
	fail := func(reason string) error { return failLogged(reason, false) }

	res, err := r.opts.Sandbox.Run(ctx, spec)
	if err != nil {
		return fail(err.Error())
	}
	if !res.OK() {
		if res.Killed == sandbox.Canceled {
			return fail(interrupted)
		}
		return failLogged(failureReason(d, res.Describe(spec), log.Tail()))
	}
	if dest != nil {
		log.Close()
		sandbox.RemoveAll(buildDir)
		return nil
	}
	infos := make([]store.PathInfo, 0, len(outputs))
	candidates := append(append([]string(nil), closure...), mapValues(outputs)...)
	for _, name := range d.OutputNames() {
		p := outputs[name]
		if _, err := os.Lstat(p); err != nil {
			return fail(fmt.Sprintf("builder did not produce output %q (%s)", name, p))
		}
		o := d.Outputs[name]
		ca := ""
		if o.IsFixed() {
			if err := builtins.VerifyFixedOutput(n.path, o, p); err != nil {
				return fail(err.Error())
			}
			method, h, _ := o.FixedHash()
			ca = "fixed:" + map[derivation.Method]string{derivation.Recursive: "r:"}[method] + h.String()
		}
		if err := r.st.Canonicalize(p); err != nil {
			return fail(fmt.Sprintf("cannot canonicalize output %s: %v", p, err))
		}
		narHash, narSize, refs, err := store.HashAndScan(p, candidates)
		if err != nil {
			return fail(fmt.Sprintf("cannot hash output %s: %v", p, err))
		}
		infos = append(infos, store.PathInfo{Path: p, NarHash: narHash, NarSize: narSize, References: refs, Deriver: n.path, CA: ca})
	}
	if err := r.st.Register(infos...); err != nil {
		return fail(fmt.Sprintf("cannot register the outputs: %v", err))
	}
	log.Close()
	sandbox.RemoveAll(buildDir)
	return nil
}

// spec translates a derivation into the sandbox's terms.
func (r *Realizer) spec(n *node, outputs map[string]string, closure []string) (*sandbox.Spec, error) {
	d := n.drv
	spec := &sandbox.Spec{
		Builder:   d.Builder,
		Args:      d.Args,
		Env:       d.Env,
		StoreDir:  string(r.st.Dir()),
		StateDir:  r.st.StateDir(),
		Inputs:    closure,
		Outputs:   outputs,
		Network:   d.IsFixedOutput(),
		Timeout:   r.opts.Timeout,
		MaxSilent: r.opts.MaxSilent,
	}
	if hp := strings.Fields(d.Env[HostPathsVar]); len(hp) > 0 {
		sort.Strings(hp)
		spec.HostPaths = hp
	}
	if !d.IsBuiltin() && d.System != HostSystem() {
		return nil, fmt.Errorf("the derivation is for %s; this machine builds for %s", d.System, HostSystem())
	}
	if d.IsBuiltin() {
		args, err := builtins.Args(n.path, d)
		if err != nil {
			return nil, err
		}
		spec.Builder, spec.Args, spec.BuilderFromHost = r.opts.Self, args, true
	} else if !strings.HasPrefix(d.Builder, "/") {
		return nil, fmt.Errorf("builder %q is neither an absolute path nor builtin:NAME", d.Builder)
	}
	return spec, nil
}

// removeStale deletes output paths left on disk, invalid, by a build that
// was killed after moving them into place and before registering them.
func removeStale(st *store.Store, paths []string) error {
	for _, p := range paths {
		if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err := sandbox.RemoveAll(p); err != nil {
			return fmt.Errorf("cannot remove the stale output %s: %w", p, err)
		}
	}
	return nil
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// failureReason is why a build failed: for a builtin builder, the error it
// printed (such as a hash mismatch), which is in the log already (inLog),
// else how the builder ended.
func failureReason(d *derivation.Derivation, ended string, tail []string) (reason string, inLog bool) {
	if d.IsBuiltin() {
		prefix := d.Builder + ": "
		for i := len(tail) - 1; i >= 0; i-- {
			if strings.HasPrefix(tail[i], prefix) {
				return tail[i], true
			}
		}
	}
	return ended, false
}

// HostSystem is the system this machine builds for, in derivations' terms
// ("x86_64-linux", "aarch64-freebsd"...). Builtin builders run anywhere.
func HostSystem() string {
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64", "386": "i686", "riscv64": "riscv64"}[runtime.GOARCH]
	if arch == "" {
		arch = runtime.GOARCH
	}
	return arch + "-" + runtime.GOOS
}
