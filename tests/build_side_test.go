package tests

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/stdlib"
	"fruix.dev/fruix/store"
	"fruix.dev/fruix/store/realize"
)

// schemeStore is a temporary store in which builtin:scheme derivations
// are written by hand, as (fruix gexp) would write them, and built with
// the fruix command.
type schemeStore struct {
	t                  *testing.T
	fruix              string
	storeDir, stateDir string
	st                 *store.Store
}

func newSchemeStore(t *testing.T) *schemeStore {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("fruix build's Linux sandbox needs root here (CI runs as root)")
	}
	if _, err := os.Stat("/proc/self/ns/pid"); err != nil {
		t.Skip("no Linux namespaces: skipping")
	}
	tmp := t.TempDir()
	s := &schemeStore{t: t, fruix: realizeFruix(t), storeDir: filepath.Join(tmp, "store"), stateDir: filepath.Join(tmp, "state")}
	s.open()
	return s
}

func (s *schemeStore) open() {
	st, err := store.Open(store.Options{StoreDir: derivation.StoreDir(s.storeDir), StateDir: s.stateDir})
	if err != nil {
		s.t.Fatal(err)
	}
	s.st = st
}

// modules adds the embedded build-side modules to the store as a module
// tree, the way with-imported-modules ships them, and returns its path.
func (s *schemeStore) modules() string {
	s.t.Helper()
	dir := s.t.TempDir()
	err := fs.WalkDir(stdlib.Sources(), "fruix/build", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(stdlib.Sources(), p)
		if err == nil {
			os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
			err = os.WriteFile(filepath.Join(dir, p), b, 0o644)
		}
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	p, err := s.st.AddPath(dir, store.AddOptions{Name: "module-import"})
	if err != nil {
		s.t.Fatal(err)
	}
	return p
}

// schemeDrv writes a builtin:scheme derivation running program, with
// the extra environment (FRUIX_MODULES, __hostPaths...) and input
// derivations given, and returns its .drv path and output.
func (s *schemeStore) schemeDrv(name, program string, env map[string]string, inputDrvs ...string) (string, string) {
	s.t.Helper()
	script, err := s.st.AddText(name+"-builder", []byte(program), nil)
	if err != nil {
		s.t.Fatal(err)
	}
	d := derivation.New(name, "x86_64-freebsd", "builtin:scheme")
	d.Args = []string{script}
	d.InputSrcs = []string{script}
	d.Env["FRUIX_BUILTIN_VERSION"] = "1"
	for k, v := range env {
		d.Env[k] = v
		if k == "FRUIX_MODULES" {
			d.InputSrcs = append(d.InputSrcs, v)
		}
	}
	for _, in := range inputDrvs {
		d.InputDrvs[in] = []string{"out"}
	}
	d.Outputs["out"] = derivation.Output{}
	for _, name := range strings.Fields(env["outputs"]) {
		d.Outputs[name] = derivation.Output{}
	}
	if err := d.FillOutputPaths(s.st.Dir(), derivation.NewModuloHasher(s.st.ReadDerivation)); err != nil {
		s.t.Fatal(err)
	}
	p, err := s.st.AddDerivation(d)
	if err != nil {
		s.t.Fatal(err)
	}
	return p, d.Outputs["out"].Path
}

// build runs fruix build on drvs, with the store closed meanwhile (one
// process owns a store at a time).
func (s *schemeStore) build(drvs ...string) (stdout, stderr string, code int) {
	s.t.Helper()
	s.st.Close()
	defer s.open()
	cmd := exec.Command(s.fruix, append([]string{"build", "--store-dir", s.storeDir, "--state-dir", s.stateDir}, drvs...)...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		s.t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

func TestSchemeBuildWritesOutput(t *testing.T) {
	s := newSchemeStore(t)
	defer func() { s.st.Close() }()
	drv, out := s.schemeDrv("hello", `(begin
  (display "building hello\n")
  (call-with-output-file ((@ (guile) getenv) "out")
    (lambda (port)
      (display (list "hello from scheme" (getcwd) (getenv "FRUIX_BUILTIN_VERSION")) port))))`, nil)
	stdout, stderr, code := s.build(drv)
	if code != 0 || stdout != out+"\n" {
		t.Fatalf("status %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != "(hello from scheme /build 1)" {
		t.Errorf("output %q", b)
	}
}

func TestSchemeBuildUsesShippedUtils(t *testing.T) {
	s := newSchemeStore(t)
	defer func() { s.st.Close() }()
	modules := s.modules()
	env := map[string]string{"FRUIX_MODULES": modules}
	docs, docsOut := s.schemeDrv("docs", `(begin
  (use-modules (fruix build utils))
  (define out (getenv "out"))
  (mkdir-p "src/doc")
  (call-with-output-file "src/doc/README" (lambda (p) (display "prefix=@PREFIX@\n" p)))
  (substitute* "src/doc/README" (("@PREFIX@") out))
  (copy-recursively "src" (string-append out "/share") #:log #f)
  (install-file "src/doc/README" (string-append out "/etc")))`, env)
	bins, binsOut := s.schemeDrv("bins", `(begin
  (use-modules (fruix build utils))
  (mkdir-p (string-append (getenv "out") "/share/doc"))
  (call-with-output-file (string-append (getenv "out") "/share/doc/BINS") (lambda (p) (display "bins" p))))`, env)
	union, unionOut := s.schemeDrv("profile", `(begin
  (use-modules (fruix build union))
  (union-build (getenv "out") (list "`+docsOut+`" "`+binsOut+`")))`, env, docs, bins)
	stdout, stderr, code := s.build(union)
	if code != 0 || stdout != unionOut+"\n" {
		t.Fatalf("status %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(docsOut, "share/doc/README")); string(b) != "prefix="+docsOut+"\n" {
		t.Errorf("substitute* in the build: %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(docsOut, "etc/README")); string(b) != "prefix="+docsOut+"\n" {
		t.Errorf("install-file in the build: %q", b)
	}
	if target, err := os.Readlink(filepath.Join(unionOut, "share/doc/BINS")); err != nil || target != binsOut+"/share/doc/BINS" {
		t.Errorf("union-build: share/doc/BINS -> %q (%v)", target, err)
	}
	if target, err := os.Readlink(filepath.Join(unionOut, "etc")); err != nil || target != docsOut+"/etc" {
		t.Errorf("union-build: etc -> %q (%v)", target, err)
	}
}

func TestSchemeBuildErrorIsPositioned(t *testing.T) {
	s := newSchemeStore(t)
	defer func() { s.st.Close() }()
	drv, out := s.schemeDrv("broken", "(begin\n  (display \"step one\\n\")\n  (car '()))", nil)
	script := s.scriptOf(drv)
	stdout, stderr, code := s.build(drv)
	if code != 1 || stdout != "" {
		t.Fatalf("status %d, stdout %q", code, stdout)
	}
	noCrash(t, result{stderr: stderr})
	for _, want := range []string{
		"builtin:scheme: " + script + ":3:3: car: argument 1: want pair, got empty list",
		"step one",
		"Backtrace (most recent call last):",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Lstat(out); err == nil {
		t.Errorf("the failed build left %s", out)
	}
}

// scriptOf returns the build program of a builtin:scheme derivation.
func (s *schemeStore) scriptOf(drv string) string {
	d, err := s.st.ReadDerivation(drv)
	if err != nil {
		s.t.Fatal(err)
	}
	return d.Args[0]
}

func TestSchemeBuildSeesOnlyShippedModules(t *testing.T) {
	s := newSchemeStore(t)
	defer func() { s.st.Close() }()
	for _, module := range []string{"(fruix build utils)", "(fruix gexp)", "(fruix derivations)"} {
		drv, _ := s.schemeDrv("no-modules", "(begin\n  (use-modules "+module+")\n  (mkdir (getenv \"out\")))", nil)
		_, stderr, code := s.build(drv)
		want := "builtin:scheme: " + s.scriptOf(drv) + ":2:3: no code for module " + module
		if code != 1 || !strings.Contains(stderr, want) || !strings.Contains(stderr, "a build sees only the modules its G-expression ships (with-imported-modules)") {
			t.Errorf("%s: status %d, want %q and the hint in:\n%s", module, code, want, stderr)
		}
	}
}

func TestSchemeBuildVersionMismatch(t *testing.T) {
	s := newSchemeStore(t)
	defer func() { s.st.Close() }()
	drv, _ := s.schemeDrv("future", `(mkdir (getenv "out"))`, map[string]string{"FRUIX_BUILTIN_VERSION": "2"})
	_, stderr, code := s.build(drv)
	want := "this derivation wants builtin:scheme version 2; this fruix has 1"
	if code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("status %d, want %q in:\n%s", code, want, stderr)
	}
}

func TestSchemeBuildInvokesHostProgram(t *testing.T) {
	s := newSchemeStore(t)
	defer func() { s.st.Close() }()
	modules := s.modules()
	env := map[string]string{"FRUIX_MODULES": modules, "__hostPaths": "/bin /lib /lib64 /usr", "PATH": "/bin:/usr/bin"}
	drv, out := s.schemeDrv("sh-step", `(begin
  (use-modules (fruix build utils))
  (invoke "sh" "-c" "echo made by sh > $out")
  (if (which "sh") #t (error "which: no sh")))`, env)
	stdout, stderr, code := s.build(drv)
	if code != 0 || stdout != out+"\n" {
		t.Fatalf("status %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != "made by sh\n" {
		t.Errorf("output %q", b)
	}

	failing, _ := s.schemeDrv("make-step", "(begin\n  (use-modules (fruix build utils))\n  (invoke \"sh\" \"-c\" \"exit 2\" \"make\"))", env)
	_, stderr, code = s.build(failing)
	want := "builtin:scheme: " + s.scriptOf(failing) + `:3:3: invoke: command "sh" "-c" "exit 2" "make" failed with status 2`
	if code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("failing invoke: status %d, want %q in:\n%s", code, want, stderr)
	}
}

// BenchmarkSchemeBuildVsShell compares the cost of a trivial
// builtin:scheme build (write a file) with a trivial /bin/sh build in the
// same Linux sandbox: 20 independent derivations of each, built with
// -j 1 by the fruix command, in milliseconds per derivation.
func BenchmarkSchemeBuildVsShell(b *testing.B) {
	if os.Geteuid() != 0 {
		b.Skip("needs root for the Linux sandbox")
	}
	fruix := realizeFruix(b)
	const n = 20
	for _, kind := range []string{"sh", "scheme"} {
		b.Run(kind, func(b *testing.B) {
			var total time.Duration
			for i := 0; i < b.N; i++ {
				tmp := b.TempDir()
				storeDir, stateDir := filepath.Join(tmp, "store"), filepath.Join(tmp, "state")
				st, err := store.Open(store.Options{StoreDir: derivation.StoreDir(storeDir), StateDir: stateDir})
				if err != nil {
					b.Fatal(err)
				}
				var drvs []string
				for k := 0; k < n; k++ {
					name := fmt.Sprintf("trivial-%d-%d", i, k)
					var d *derivation.Derivation
					if kind == "sh" {
						d = derivation.New(name, realize.HostSystem(), "/bin/sh")
						d.Args = []string{"-c", "echo > $out"}
						d.Env["__hostPaths"] = "/bin /lib /lib64 /usr"
					} else {
						script, err := st.AddText(name+"-builder", []byte(`(call-with-output-file ((@ (guile) getenv) "out") newline)`), nil)
						if err != nil {
							b.Fatal(err)
						}
						d = derivation.New(name, "x86_64-freebsd", "builtin:scheme")
						d.Args, d.InputSrcs = []string{script}, []string{script}
						d.Env["FRUIX_BUILTIN_VERSION"] = "1"
					}
					d.Outputs["out"] = derivation.Output{}
					if err := d.FillOutputPaths(st.Dir(), derivation.NewModuloHasher(nil)); err != nil {
						b.Fatal(err)
					}
					p, err := st.AddDerivation(d)
					if err != nil {
						b.Fatal(err)
					}
					drvs = append(drvs, p)
				}
				st.Close()
				start := time.Now()
				cmd := exec.Command(fruix, append([]string{"build", "--quiet", "-j", "1", "--sandbox", "linux", "--store-dir", storeDir, "--state-dir", stateDir}, drvs...)...)
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v\n%s", err, out)
				}
				total += time.Since(start)
			}
			b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N*n), "ms/derivation")
		})
	}
}

func TestSchemeBuildOutputsAndExit(t *testing.T) {
	s := newSchemeStore(t)
	defer func() { s.st.Close() }()
	drv, out := s.schemeDrv("split", `(begin
  (call-with-output-file ((@ (guile) getenv) "out") (lambda (p) (display "main" p)))
  (mkdir ((@ (guile) getenv) "doc"))
  (call-with-output-file (string-append ((@ (guile) getenv) "doc") "/README") (lambda (p) (display "doc" p))))`,
		map[string]string{"outputs": "out doc"})
	stdout, stderr, code := s.build(drv)
	d, err := s.st.ReadDerivation(drv)
	if err != nil {
		t.Fatal(err)
	}
	doc := d.Outputs["doc"].Path
	if code != 0 || stdout != out+"\n"+doc+"\n" { // out first, then the others by name
		t.Fatalf("status %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(doc, "README")); string(b) != "doc" {
		t.Errorf("the doc output: %q", b)
	}

	exits, _ := s.schemeDrv("exits", `(begin (display "giving up\n") (exit 3))`, nil)
	_, stderr, code = s.build(exits)
	if code != 1 || !strings.Contains(stderr, "builtin:scheme: the build program called (exit 3)") {
		t.Errorf("(exit 3): status %d, stderr:\n%s", code, stderr)
	}
}
