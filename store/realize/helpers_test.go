//go:build linux

package realize

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/store"
	"fruix.dev/fruix/store/builtins"
	"fruix.dev/fruix/store/sandbox"
)

// TestMain lets this test binary serve as the fruix binary when the
// realizer re-executes it to run a builtin builder in a sandbox.
func TestMain(m *testing.M) {
	if builtins.IsInvocation(os.Args) {
		os.Exit(builtins.Main(os.Args[2:]))
	}
	if len(os.Args) > 1 && os.Args[1] == crashChildArg {
		os.Exit(crashChild(os.Args[2:]))
	}
	os.Exit(m.Run())
}

// hostShell is what /bin/sh and coreutils need; the tests' derivations
// list it explicitly, as real derivations must.
const hostShell = "/bin /lib /lib64 /usr"

type env struct {
	t        *testing.T
	dir      derivation.StoreDir
	storeDir string
	stateDir string
	st       *store.Store
	hasher   *derivation.ModuloHasher
	progress bytes.Buffer
}

func newEnv(t *testing.T) *env {
	t.Helper()
	requireSandbox(t)
	tmp := t.TempDir()
	e := &env{t: t, storeDir: filepath.Join(tmp, "store"), stateDir: filepath.Join(tmp, "state")}
	e.dir = derivation.StoreDir(e.storeDir)
	e.open()
	t.Cleanup(func() { e.st.Close() })
	return e
}

func (e *env) open() {
	// Right after a realizer was killed, a child it was forking may still
	// hold the store's lock (inherited until its exec) for a moment.
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := store.Open(store.Options{StoreDir: e.dir, StateDir: e.stateDir, NoSync: true})
		if errors.Is(err, store.ErrInUse) && time.Now().Before(deadline) {
			if testing.Verbose() {
				e.t.Logf("store in use: %v", err)
			}
			time.Sleep(20 * time.Millisecond)
			continue
		}
		if err != nil {
			e.t.Fatal(err)
		}
		e.st = st
		e.hasher = derivation.NewModuloHasher(st.ReadDerivation)
		return
	}
}

func requireSandbox(t *testing.T) {
	t.Helper()
	if _, err := os.Stat("/proc/self/ns/pid"); err != nil {
		t.Skip("Linux namespaces are not available: skipping the realizer tests")
	}
	if os.Geteuid() != 0 {
		t.Skip("the realizer tests build in a root-owned sandbox; run them as root (CI does)")
	}
}

// drv describes a test derivation.
type drv struct {
	name   string
	system string // default: the host's
	script string
	deps   []string // .drv paths whose "out" becomes $in0, $in1...
	fixed  *derivation.Output
	env    map[string]string
	srcs   []string
}

// add writes the derivation to the store and returns its .drv path.
func (e *env) add(spec drv) string {
	e.t.Helper()
	system := spec.system
	if system == "" {
		system = HostSystem()
	}
	d := derivation.New(spec.name, system, "/bin/sh")
	d.Args = []string{"-c", spec.script}
	d.Env["name"] = spec.name
	d.Env["PATH"] = "/bin:/usr/bin"
	d.Env[HostPathsVar] = hostShell
	for k, v := range spec.env {
		d.Env[k] = v
	}
	d.InputSrcs = spec.srcs
	if spec.fixed != nil {
		d.Outputs["out"] = *spec.fixed
	} else {
		d.Outputs["out"] = derivation.Output{}
	}
	for i, dep := range spec.deps {
		dd, err := e.st.ReadDerivation(dep)
		if err != nil {
			e.t.Fatal(err)
		}
		d.InputDrvs[dep] = []string{"out"}
		d.Env[fmt.Sprint("in", i)] = dd.Outputs["out"].Path
	}
	if strings.HasPrefix(spec.script, "builtin:") {
		d.Builder, d.Args = spec.script, nil
	}
	if err := d.FillOutputPaths(e.dir, e.hasher); err != nil {
		e.t.Fatal(err)
	}
	p, err := e.st.AddDerivation(d)
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *env) realizer(opts Options) *Realizer {
	e.t.Helper()
	if opts.Sandbox == nil {
		opts.Sandbox = sandbox.Linux{}
	}
	e.progress.Reset()
	opts.Progress = &e.progress
	if opts.TempDir == "" {
		opts.TempDir = e.t.TempDir()
	}
	r, err := New(e.st, opts)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func (e *env) out(drvPath string) string {
	d, err := e.st.ReadDerivation(drvPath)
	if err != nil {
		e.t.Fatal(err)
	}
	return d.Outputs["out"].Path
}

func (e *env) valid(p string) bool {
	ok, err := e.st.IsValid(p)
	if err != nil {
		e.t.Fatal(err)
	}
	return ok
}

func (e *env) realize(opts Options, drvs ...string) (map[string]Outputs, error) {
	r := e.realizer(opts)
	outs, _, err := r.Realize(context.Background(), drvs...)
	return outs, err
}

func (e *env) builds() int { return strings.Count(e.progress.String(), "] building ") }

func storeAddFlat() store.AddOptions { return store.AddOptions{Flat: true} }
