package tests

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"fruix.dev/fruix/store/realize"
	"fruix.dev/fruix/tests/dotcheck"
)

// shChain is a program whose last value is c, built from b, built from
// a: derivations running /bin/sh from the host, for system (the host's
// system, so that they can be built here).
func shChain(system string) string {
	return `(use-modules (fruix derivations))
(define env '(("PATH" . "/bin:/usr/bin") ("__hostPaths" . "/bin /lib /lib64 /usr")))
(define a (derivation "a" "/bin/sh" '("-c" "echo a > $out") #:system "` + system + `" #:env-vars env))
(define b (derivation "b" "/bin/sh"
            (list "-c" (string-append "cat " (derivation->output-path a) " > $out; echo b >> $out"))
            #:inputs (list a) #:system "` + system + `" #:env-vars env))
(derivation "c" "/bin/sh"
  (list "-c" (string-append "cat " (derivation->output-path b) " > $out; echo c >> $out"))
  #:inputs (list b) #:system "` + system + `" #:env-vars env)
`
}

// tempStoreEnv points the commands at a store under a temporary
// directory, which does not exist yet.
func tempStoreEnv(t *testing.T) (env []string, storeDir, stateDir string) {
	tmp := t.TempDir()
	storeDir, stateDir = filepath.Join(tmp, "store"), filepath.Join(tmp, "state")
	return []string{"FRUIX_STORE_DIR=" + storeDir, "FRUIX_STATE_DIR=" + stateDir}, storeDir, stateDir
}

func TestEvalGraphText(t *testing.T) {
	env, storeDir, stateDir := tempStoreEnv(t)
	file := writeFile(t, t.TempDir(), "chain.scm", shChain("x86_64-freebsd"))
	r := run(t, "", env, "fruix-eval", file)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("status %d, stderr:\n%s", r.code, r.stderr)
	}
	lines := strings.Split(r.stdout, "\n")
	if !strings.HasPrefix(lines[0], storeDir+"/") || !strings.HasSuffix(lines[0], "-c") {
		t.Errorf("the first line is not c's output path in %s:\n%s", storeDir, r.stdout)
	}
	for _, want := range []string{"\n3 derivations, inputs first:\n  " + storeDir + "/",
		"-a.drv\n    out " + storeDir + "/",
		"\n3 derivations, 0 source files; no store at " + stateDir + ", so nothing was checked\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Index(r.stdout, "-a.drv") > strings.Index(r.stdout, "-b.drv") || strings.Index(r.stdout, "-b.drv") > strings.Index(r.stdout, "-c.drv") {
		t.Errorf("derivations not listed inputs first:\n%s", r.stdout)
	}
	if _, err := os.Stat(stateDir); err == nil {
		t.Errorf("showing the graph created the state directory %s", stateDir)
	}
	// Several values (values a b) are several roots, in order.
	two := writeFile(t, t.TempDir(), "two.scm", "(use-modules (fruix gexp))\n(values (plain-file \"a\" \"1\") (plain-file \"b\" \"2\"))\n")
	if r := run(t, "", env, "fruix-eval", two); r.code != 0 || !regexp.MustCompile(`^\S+-a\n\S+-b\n\n2 source files:\n`).MatchString(r.stdout) {
		t.Errorf("two values: status %d, output:\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The same file in another process gives the same graph, byte for byte.
	if again := run(t, "", env, "fruix-eval", file); again.stdout != r.stdout {
		t.Errorf("a second evaluation printed another graph:\n%s\nthen:\n%s", r.stdout, again.stdout)
	}
}

func TestEvalGraphJSON(t *testing.T) {
	env, storeDir, _ := tempStoreEnv(t)
	file := writeFile(t, t.TempDir(), "chain.scm", shChain("x86_64-freebsd"))
	r := run(t, "", env, "fruix-eval", "--format", "json", file)
	if r.code != 0 {
		t.Fatalf("status %d, stderr:\n%s", r.code, r.stderr)
	}
	var doc struct {
		Schema       string `json:"schema"`
		StoreDir     string `json:"storeDir"`
		StoreChecked bool   `json:"storeChecked"`
		Roots        []struct {
			Derivation string            `json:"derivation"`
			Outputs    map[string]string `json:"outputs"`
		} `json:"roots"`
		Derivations []struct {
			Path    string              `json:"path"`
			Name    string              `json:"name"`
			System  string              `json:"system"`
			Builder string              `json:"builder"`
			Outputs map[string]string   `json:"outputs"`
			Inputs  map[string][]string `json:"inputs"`
			Status  string              `json:"status"`
		} `json:"derivations"`
		Sources []any `json:"sources"`
		Summary struct {
			Derivations int `json:"derivations"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("the output is not JSON: %v\n%s", err, r.stdout)
	}
	if doc.Schema != "fruix-graph/1" || doc.StoreDir != storeDir || doc.StoreChecked || len(doc.Roots) != 1 ||
		len(doc.Derivations) != 3 || doc.Summary.Derivations != 3 || doc.Sources == nil {
		t.Fatalf("unexpected JSON:\n%s", r.stdout)
	}
	c := doc.Derivations[2]
	if c.Name != "c" || c.Path != doc.Roots[0].Derivation || c.Outputs["out"] != doc.Roots[0].Outputs["out"] ||
		c.System != "x86_64-freebsd" || c.Builder != "/bin/sh" || c.Status != "unknown" {
		t.Errorf("derivation c: %+v", c)
	}
	if outs := c.Inputs[doc.Derivations[1].Path]; len(outs) != 1 || outs[0] != "out" {
		t.Errorf("c's inputs %v, want b's out", c.Inputs)
	}
}

func TestEvalGraphDOT(t *testing.T) {
	env, _, _ := tempStoreEnv(t)
	file := writeFile(t, t.TempDir(), "chain.scm", shChain("x86_64-freebsd"))
	r := run(t, "", env, "fruix-eval", "--format", "dot", file)
	if r.code != 0 {
		t.Fatalf("status %d, stderr:\n%s", r.code, r.stderr)
	}
	if err := dotcheck.Check(r.stdout); err != nil {
		t.Errorf("not DOT: %v\n%s", err, r.stdout)
	}
	if strings.Count(r.stdout, " -> ") != 2 {
		t.Errorf("want 2 edges:\n%s", r.stdout)
	}
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Log("Graphviz's dot is not installed: the syntax was checked by dotcheck.Check only")
		return
	}
	cmd := exec.Command(dot, "-Tsvg")
	cmd.Stdin = strings.NewReader(r.stdout)
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "<svg") {
		t.Errorf("dot -Tsvg refused the graph: %v\n%s", err, out)
	}
}

func TestEvalGraphOptions(t *testing.T) {
	env, _, stateDir := tempStoreEnv(t)
	file := writeFile(t, t.TempDir(), "chain.scm", shChain("x86_64-freebsd"))

	r := run(t, "", env, "fruix-eval", "--derivations-only", file)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if r.code != 0 || len(lines) != 3 || !strings.HasSuffix(lines[0], "-a.drv") || !strings.HasSuffix(lines[2], "-c.drv") {
		t.Errorf("--derivations-only: status %d, output:\n%s", r.code, r.stdout)
	}

	r = run(t, "", env, "fruix-eval", "--dry-run", file)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "3 derivations would be built:\n") ||
		!strings.HasSuffix(r.stdout, "3 derivations will be built, 0 are valid; 0 source files will be added\n") {
		t.Errorf("--dry-run: status %d, output:\n%s", r.code, r.stdout)
	}
	if _, err := os.Stat(stateDir); err == nil {
		t.Errorf("--dry-run created the state directory %s", stateDir)
	}

	r = run(t, "", env, "fruix-eval", "--format", "tree", file)
	if r.code != 0 || !strings.Contains(r.stdout, "└── b  ") || !strings.Contains(r.stdout, "    └── a  ") {
		t.Errorf("--format tree: status %d, output:\n%s", r.code, r.stdout)
	}

	// --system is the default system of derivations that do not name one.
	sys := writeFile(t, t.TempDir(), "sys.scm", `(use-modules (fruix derivations)) (derivation "x" "/bin/sh" '())`)
	a := run(t, "", env, "fruix-eval", "--derivations-only", sys)
	b := run(t, "", env, "fruix-eval", "--derivations-only", "--system", "aarch64-freebsd", sys)
	if a.code != 0 || b.code != 0 || a.stdout == b.stdout {
		t.Errorf("--system aarch64-freebsd did not change the derivation: %q and %q (%s%s)", a.stdout, b.stdout, a.stderr, b.stderr)
	}
	j := run(t, "", env, "fruix-eval", "--format", "json", "--system", "aarch64-freebsd", sys)
	if !strings.Contains(j.stdout, `"system": "aarch64-freebsd"`) {
		t.Errorf("--system not in the JSON:\n%s", j.stdout)
	}
	// --store-dir beats FRUIX_STORE_DIR.
	other := filepath.Join(t.TempDir(), "other-store")
	s := run(t, "", env, "fruix-eval", "--store-dir", other, "--derivations-only", sys)
	if s.code != 0 || !strings.HasPrefix(s.stdout, other+"/") {
		t.Errorf("--store-dir %s: %q %s", other, s.stdout, s.stderr)
	}
}

func TestEvalGraphErrors(t *testing.T) {
	env, _, _ := tempStoreEnv(t)
	dir := t.TempDir()
	chain := writeFile(t, dir, "chain.scm", shChain("x86_64-freebsd"))
	number := writeFile(t, dir, "number.scm", "(define x 41)\n\n  (+ x 1)\n")

	r := run(t, "", env, "fruix-eval", number)
	if r.code != 0 || r.stdout != "42\n" {
		t.Errorf("a value that does not lower is printed as before: status %d, %q", r.code, r.stdout)
	}
	r = run(t, "", env, "fruix-eval", "--build", number)
	if r.code != 1 || !strings.Contains(r.stderr, number+":3:3: the last value, 42, is not a derivation or file-like object") {
		t.Errorf("--build of 42: status %d, stderr %q", r.code, r.stderr)
	}
	noCrash(t, r)
	r = run(t, "", env, "fruix-eval", "--format", "json", "-e", "'(1 2)")
	if r.code != 1 || !strings.Contains(r.stderr, "<command line>:1:1: the last value, (1 2), is not") {
		t.Errorf("--format json of a list: status %d, stderr %q", r.code, r.stderr)
	}
	r = run(t, "", env, "fruix-eval", "--format", "svg", chain)
	if r.code != 2 || !strings.Contains(r.stderr, `--format "svg": want text, json, dot or tree`) {
		t.Errorf("--format svg: status %d, stderr %q", r.code, r.stderr)
	}
	r = run(t, "", env, "fruix-eval", "--system", "vax-vms", chain)
	if r.code != 2 || !strings.Contains(r.stderr, `unknown system "vax-vms"`) {
		t.Errorf("--system vax-vms: status %d, stderr %q", r.code, r.stderr)
	}
	r = run(t, "", env, "fruix-eval", "--build", filepath.Join(dir, "missing.scm"))
	if r.code != 1 || !strings.Contains(r.stderr, "missing.scm: no such file or directory") {
		t.Errorf("missing file: status %d, stderr %q", r.code, r.stderr)
	}
	// An error while lowering keeps its position in the user's file.
	missing := writeFile(t, dir, "missing-local.scm", "(use-modules (fruix gexp))\n\n(local-file \"none.conf\")\n")
	r = run(t, "", env, "fruix-eval", missing)
	if r.code != 1 || !strings.Contains(r.stderr, missing+`:3:1: local-file: "none.conf": no such file`) {
		t.Errorf("a missing local file: status %d, stderr %q", r.code, r.stderr)
	}
	bad := writeFile(t, dir, "bad.scm", "(use-modules (fruix derivations))\n(derivation \"x\" \"/bin/sh\" '() #:outputs 42)\n")
	r = run(t, "", env, "fruix-eval", bad)
	if r.code != 1 || !strings.Contains(r.stderr, bad+":2:1:") {
		t.Errorf("a wrong derivation: status %d, stderr %q", r.code, r.stderr)
	}
	noCrash(t, r)
}

// canBuild skips a test that needs the Linux sandbox.
func canBuild(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("builds need root here (CI runs as root)")
	}
	if _, err := os.Stat("/proc/self/ns/pid"); err != nil {
		t.Skip("no Linux namespaces")
	}
}

func TestEvalBuild(t *testing.T) {
	canBuild(t)
	env, storeDir, _ := tempStoreEnv(t)
	file := writeFile(t, t.TempDir(), "chain.scm", shChain(realize.HostSystem()))
	before := run(t, "", env, "fruix-eval", file)
	out := strings.SplitN(before.stdout, "\n", 2)[0]

	r := run(t, "", env, "fruix-eval", "--build", "-j", "2", file)
	if r.code != 0 || r.stdout != out+"\n" {
		t.Fatalf("--build: status %d, stdout %q (want %q), stderr:\n%s", r.code, r.stdout, out, r.stderr)
	}
	if !strings.Contains(r.stderr, "[3/3] building "+storeDir) {
		t.Errorf("no progress on stderr:\n%s", r.stderr)
	}
	if b, err := os.ReadFile(out); err != nil || string(b) != "a\nb\nc\n" {
		t.Errorf("%s holds %q (%v)", out, b, err)
	}

	// Now the store exists: everything is marked valid.
	r = run(t, "", env, "fruix-eval", file)
	if r.code != 0 || !strings.Contains(r.stdout, "  valid  "+storeDir) ||
		!strings.HasSuffix(r.stdout, "\n0 derivations will be built, 3 are valid; 0 source files will be added\n") {
		t.Errorf("graph after the build:\n%s\n%s", r.stdout, r.stderr)
	}
	// --dry-run of a built graph changes no store path.
	entries := func() string {
		es, _ := os.ReadDir(storeDir)
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		return strings.Join(names, "\n")
	}
	listed := entries()
	r = run(t, "", env, "fruix-eval", "--dry-run", file)
	if r.code != 0 || r.stdout != "0 derivations will be built, 3 are valid; 0 source files will be added\n" {
		t.Errorf("--dry-run after the build: %q %s", r.stdout, r.stderr)
	}
	if entries() != listed {
		t.Errorf("--dry-run changed the store directory")
	}
	// While another process owns the store (a build that sleeps), the
	// graph is shown unmarked and says why.
	builder := startOwningBuild(t, env)
	r = run(t, "", env, "fruix-eval", file)
	if r.code != 0 || !strings.Contains(r.stdout, "; could not check the store: it is in use by pid "+strconv.Itoa(builder.Process.Pid)) ||
		strings.Contains(r.stdout, "valid ") {
		t.Errorf("graph while the store is in use: status %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestEvalWithoutFruix: a fruix-eval installed without the fruix command
// still shows graphs, says it could not check the store, and refuses to
// build.
func TestEvalWithoutFruix(t *testing.T) {
	env, _, _ := tempStoreEnv(t)
	if r := run(t, "", env, "fruix", "store", "add", writeFile(t, t.TempDir(), "x", "x")); r.code != 0 {
		t.Fatalf("making a store: %s", r.stderr)
	}
	alone := filepath.Join(t.TempDir(), "fruix-eval")
	data, err := os.ReadFile(command(t, "fruix-eval"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(alone, data, 0o755); err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, t.TempDir(), "chain.scm", shChain("x86_64-freebsd"))
	env = append(env, "PATH=/usr/bin:/bin")
	for _, args := range [][]string{{file}, {"--build", file}} {
		cmd := exec.Command(alone, args...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		want, wantCode := "; could not check the store: the fruix command, which works with the store, is neither beside fruix-eval", 0
		if args[0] == "--build" {
			want, wantCode = "fruix-eval: --build: the fruix command, which works with the store, is neither beside fruix-eval", 1
		}
		if code != wantCode || !strings.Contains(string(out), want) {
			t.Errorf("fruix-eval %q without fruix: status %d, output:\n%s", args, code, out)
		}
	}
}

// TestEvalGraphRecord: a record whose type has a gexp compiler is shown
// as what it lowers to.
func TestEvalGraphRecord(t *testing.T) {
	env, storeDir, _ := tempStoreEnv(t)
	file := writeFile(t, t.TempDir(), "motd.scm", `(use-modules (fruix records) (fruix gexp))
(define-record-type* <motd> motd make-motd motd? (text motd-text))
(define-gexp-compiler (motd-compiler (m <motd>) system target)
  (plain-file "motd" (motd-text m)))
(motd (text "Welcome.\n"))
`)
	r := run(t, "", env, "fruix-eval", file)
	if r.code != 0 || !regexp.MustCompile(`^`+regexp.QuoteMeta(storeDir)+`/\w{32}-motd\n\n1 source file:\n`).MatchString(r.stdout) {
		t.Errorf("a record that lowers: status %d, output:\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// startOwningBuild starts fruix build on a derivation that sleeps 30 s,
// in the store env names, and returns once it is building: until it is
// killed, that process owns the store.
func startOwningBuild(t *testing.T, env []string) *exec.Cmd {
	t.Helper()
	slow := writeFile(t, t.TempDir(), "slow.scm", `(use-modules (fruix derivations))
(derivation "slow" "/bin/sh" '("-c" "sleep 30; echo > $out") #:system "`+realize.HostSystem()+`"
  #:env-vars '(("PATH" . "/bin:/usr/bin") ("__hostPaths" . "/bin /lib /lib64 /usr")))`)
	builder := exec.Command(command(t, "fruix"), "build", "-f", slow)
	builder.Env = append(os.Environ(), env...)
	progress, err := builder.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := builder.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { builder.Process.Kill(); builder.Wait() })
	line := make([]byte, 256)
	if n, _ := progress.Read(line); !strings.Contains(string(line[:n]), "building") {
		t.Fatalf("fruix build -f did not start building: %q", line[:n])
	}
	return builder
}
