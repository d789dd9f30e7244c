package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/store/realize"
)

func TestBuildFileAndExpr(t *testing.T) {
	canBuild(t)
	env, storeDir, _ := tempStoreEnv(t)
	file := writeFile(t, t.TempDir(), "chain.scm", shChain(realize.HostSystem()))
	out := strings.SplitN(run(t, "", env, "fruix-eval", file).stdout, "\n", 2)[0]

	r := run(t, "", env, "fruix", "build", "--dry-run", "-f", file)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "3 derivations would be built:\n  "+storeDir+"/") {
		t.Errorf("build --dry-run: status %d, stdout:\n%s%s", r.code, r.stdout, r.stderr)
	}
	result := filepath.Join(t.TempDir(), "result")
	r = run(t, "", env, "fruix", "build", "-f", file, "--root", result)
	if r.code != 0 || r.stdout != out+"\n" {
		t.Fatalf("build -f: status %d, stdout %q (want %q), stderr:\n%s", r.code, r.stdout, out, r.stderr)
	}
	if b, err := os.ReadFile(result); err != nil || string(b) != "a\nb\nc\n" {
		t.Errorf("--root %s: %q %v", result, b, err)
	}
	r = run(t, "", env, "fruix", "build", "--dry-run", "-f", file)
	if r.code != 0 || r.stdout != "0 derivations will be built, 3 are valid; 0 source files will be added\n" {
		t.Errorf("build --dry-run after the build: %q", r.stdout)
	}

	// -e sees (fruix derivations) without importing it; several -f and -e
	// build in the order given.
	expr := `(derivation "e" "/bin/sh" '("-c" "echo e > $out") #:system "` + realize.HostSystem() +
		`" #:env-vars '(("PATH" . "/bin:/usr/bin") ("__hostPaths" . "/bin /lib /lib64 /usr")))`
	r = run(t, "", env, "fruix", "build", "-e", expr, "-f", file)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if r.code != 0 || len(lines) != 2 || !strings.HasSuffix(lines[0], "-e") || lines[1] != out {
		t.Fatalf("build -e -f: status %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if b, _ := os.ReadFile(lines[0]); string(b) != "e\n" {
		t.Errorf("%s holds %q", lines[0], b)
	}
}

func TestBuildFileErrors(t *testing.T) {
	env, _, stateDir := tempStoreEnv(t)
	dir := t.TempDir()
	number := writeFile(t, dir, "number.scm", "(define x 1)\n(+ x\n   2)\n")
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-e", "42"}, 1, "fruix build: -e 42: the value 42 is not a derivation or file-like object"},
		{[]string{"-e", "(car 1)"}, 1, "fruix build: <command line>:1:1: car: argument 1: want pair, got integer"},
		{[]string{"-f", number}, 1, "fruix build: " + number + ":2:1: the value 3 is not a derivation or file-like object"},
		{[]string{"-f", filepath.Join(dir, "none.scm")}, 1, "none.scm: cannot read it: no such file or directory"},
		{[]string{"-f", dir}, 1, "cannot read it: it is a directory"},
		{[]string{}, 2, "nothing to build: give -f FILE, -e EXPR or a .drv file"},
		{[]string{"--dry-run", filepath.Join(dir, "none.drv")}, 1, "none.drv: cannot read it: no such file or directory"},
		{[]string{"--dry-run", writeFile(t, dir, "bad.drv", "(")}, 1, "fruix build: " + filepath.Join(dir, "bad.drv") + ":1:1: expected \"Derive(\""},
		{[]string{"--system", "vax-vms", "-e", "1"}, 1, `--system: unknown system "vax-vms"`},
	} {
		r := run(t, "", env, "fruix", append([]string{"build"}, tt.args...)...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("fruix build %q: status %d, stderr %q; want %d and %q", tt.args, r.code, r.stderr, tt.code, tt.want)
		}
		noCrash(t, r)
	}
	if _, err := os.Stat(stateDir); err == nil {
		t.Errorf("failed evaluations created the state directory")
	}
}

// gexpConfig declares files and a build step with (fruix gexp): a
// file-union of a plain file, a text assembled from parts and a local
// file, and a computed file whose build step uses (fruix build utils).
const gexpConfig = `(use-modules (fruix gexp))
(define motd (local-file "motd"))
(define etc
  (file-union "etc"
    ` + "`" + `(("hosts" ,(plain-file "hosts" "127.0.0.1 localhost\n"))
      ("rc.conf" ,(mixed-text-file "rc.conf" "hostname=\"vm\"\n" "sshd_enable=\"YES\"\n"))
      ("motd" ,motd))))
(computed-file "site"
  (with-imported-modules '((fruix build utils))
    #~(begin
        (use-modules (fruix build utils))
        (mkdir-p (string-append #$output "/etc"))
        (copy-recursively #$etc (string-append #$output "/etc"))
        (call-with-output-file (string-append #$output "/motd-path")
          (lambda (port) (display #$motd port))))))
`

func TestBuildGexpFile(t *testing.T) {
	env, storeDir, _ := tempStoreEnv(t)
	dir := t.TempDir()
	writeFile(t, dir, "motd", "Welcome to Fruix.\n")
	file := writeFile(t, dir, "site.scm", gexpConfig)

	r := run(t, "", env, "fruix-eval", file)
	if r.code != 0 {
		t.Fatalf("fruix-eval: status %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"2 derivations, inputs first:\n", "-motd  (from " + filepath.Join(dir, "motd") + ")\n", "-site-builder\n", "-module-import\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("graph lacks %q:\n%s", want, r.stdout)
		}
	}
	out := strings.SplitN(r.stdout, "\n", 2)[0]
	if !strings.HasPrefix(out, storeDir+"/") || !strings.HasSuffix(out, "-site") {
		t.Fatalf("first line %q is not the site's output path", out)
	}

	if os.Geteuid() != 0 {
		t.Skip("builds need root here (CI runs as root)")
	}
	canBuild(t)
	r = run(t, "", env, "fruix", "build", "-f", file)
	if r.code != 0 || r.stdout != out+"\n" {
		t.Fatalf("fruix build -f: status %d, stdout %q (want %q), stderr:\n%s", r.code, r.stdout, out, r.stderr)
	}
	for name, want := range map[string]string{
		"etc/hosts":   "127.0.0.1 localhost\n",
		"etc/rc.conf": "hostname=\"vm\"\nsshd_enable=\"YES\"\n",
		"etc/motd":    "Welcome to Fruix.\n",
	} {
		if b, err := os.ReadFile(filepath.Join(out, name)); err != nil || string(b) != want {
			t.Errorf("%s: %q (%v), want %q", name, b, err, want)
		}
	}
	motdPath, _ := os.ReadFile(filepath.Join(out, "motd-path"))
	if !strings.HasPrefix(string(motdPath), storeDir+"/") || !strings.HasSuffix(string(motdPath), "-motd") {
		t.Errorf("motd-path holds %q, want the local file's store path", motdPath)
	}
	// fruix-eval --build of the same file builds nothing more.
	r = run(t, "", env, "fruix-eval", "--build", file)
	if r.code != 0 || r.stdout != out+"\n" || strings.Contains(r.stderr, "building") {
		t.Errorf("fruix-eval --build after fruix build: status %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", env, "fruix-eval", file)
	if !strings.HasSuffix(r.stdout, "\n0 derivations will be built, 2 are valid; 0 source files will be added, 6 are valid\n") {
		t.Errorf("graph after the build:\n%s", r.stdout)
	}
	// The local file changed since: evaluation gives a new path; the old
	// one stays as built.
	writeFile(t, dir, "motd", "Changed.\n")
	if again := run(t, "", env, "fruix-eval", file); strings.SplitN(again.stdout, "\n", 2)[0] == out {
		t.Errorf("changing the local file did not change the output path")
	}
}

func TestReplLowerCommands(t *testing.T) {
	env, storeDir, _ := tempStoreEnv(t)
	session := strings.Join([]string{
		"(use-modules (fruix derivations) (fruix gexp))",
		`(%store-directory "` + storeDir + `")`,
		`(define f (plain-file "greeting" "hello\n"))`,
		`(define d (derivation "d" "/bin/sh" '("-c" "echo d > $out") #:system "` + realize.HostSystem() +
			`" #:env-vars '(("PATH" . "/bin:/usr/bin") ("__hostPaths" . "/bin /lib /lib64 /usr"))))`,
		",lower d",
		",path d",
		",path f",
		",graph d",
		",lower 42",
		",graph (car",
		"  1)",
		",help",
	}, "\n") + "\n"
	r := run(t, session, env, "fruix", "repl")
	if r.code != 0 {
		t.Fatalf("status %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{
		"$1 = #<derivation " + storeDir + "/",
		"$2 = \"" + storeDir + "/",
		"-greeting\"\n",
		"d  " + storeDir + "/",
		"1 derivation, 0 source files; no store at ",
		",lower EXPR ", ",build EXPR ", ",graph EXPR ", ",path EXPR ",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("REPL output lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, want := range []string{
		"<repl>:9:8: ,lower: want a derivation or file-like object, got 42",
		"<repl>:10:8: car: argument 1: want pair, got integer",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("REPL errors lack %q:\n%s", want, r.stderr)
		}
	}
	noCrash(t, r)

	if os.Geteuid() != 0 {
		t.Skip("builds need root here (CI runs as root)")
	}
	canBuild(t)
	r = run(t, session+",build d\n,build f\n,graph d\n", env, "fruix", "repl")
	if r.code != 0 || !strings.Contains(r.stdout, "-d\"\n") || !strings.Contains(r.stdout, "-greeting\"\n") ||
		!strings.Contains(r.stdout, "[valid]\n0 derivations will be built, 1 is valid") {
		t.Errorf(",build: status %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestBuildDryRunDrv: --dry-run also takes .drv files, in the store or
// not, and writes nothing.
func TestBuildDryRunDrv(t *testing.T) {
	env, storeDir, stateDir := tempStoreEnv(t)
	file, _ := writeDrv(t, derivation.StoreDir(storeDir), "hello", "echo hello > $out")
	r := run(t, "", env, "fruix", "build", "--dry-run", file)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "1 derivation would be built:\n  "+storeDir+"/") ||
		!strings.HasSuffix(r.stdout, "-hello.drv\n1 derivation will be built, 0 are valid; 0 source files will be added\n") {
		t.Errorf("--dry-run of a .drv: status %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// With -f as well: the derivations of both, once each.
	chain := writeFile(t, t.TempDir(), "chain.scm", shChain(realize.HostSystem()))
	r = run(t, "", env, "fruix", "build", "--dry-run", "-f", chain, file)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "4 derivations would be built:\n") {
		t.Errorf("--dry-run -f and a .drv: status %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(stateDir); err == nil {
		t.Errorf("--dry-run created the state directory")
	}
	if os.Geteuid() != 0 {
		t.Skip("builds need root here (CI runs as root)")
	}
	canBuild(t)
	if r = run(t, "", env, "fruix", "build", file); r.code != 0 {
		t.Fatalf("build: %d %s", r.code, r.stderr)
	}
	r = run(t, "", env, "fruix", "build", "--dry-run", file)
	if r.code != 0 || r.stdout != "0 derivations will be built, 1 is valid; 0 source files will be added\n" {
		t.Errorf("--dry-run after the build: status %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// TestReplBuildInPrivateStore: with FRUIX_STORE_DIR set, the REPL computes
// and builds paths of that store without the program saying so.
func TestReplBuildInPrivateStore(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("builds run in the Linux sandbox, which needs root")
	}
	env, storeDir, _ := tempStoreEnv(t)
	session := "(use-modules (fruix gexp))\n" +
		`,build (computed-file "note" #~(call-with-output-file #$output (lambda (p) (display "built" p))))` + "\n"
	r := run(t, session, env, "fruix", "repl")
	noCrash(t, r)
	if r.code != 0 {
		t.Fatalf("status %d\n%s", r.code, r.stderr)
	}
	prefix := "$1 = \"" + storeDir + "/"
	i := strings.Index(r.stdout, prefix)
	if i < 0 {
		t.Fatalf("REPL output lacks %q:\n%s\n%s", prefix, r.stdout, r.stderr)
	}
	out := strings.SplitN(r.stdout[i+len("$1 = \""):], "\"", 2)[0]
	if b, err := os.ReadFile(out); err != nil || string(b) != "built" {
		t.Errorf("%s: %q, %v; want \"built\"", out, b, err)
	}
}

// TestBuildOutputOrder: fruix build prints a derivation's "out" first,
// then its other outputs by name, as fruix-eval's graph lists them.
func TestBuildOutputOrder(t *testing.T) {
	canBuild(t)
	env, _, _ := tempStoreEnv(t)
	expr := `(derivation "multi" "/bin/sh" '("-c" "echo > $out; echo > $doc; echo > $bin") #:outputs '("out" "doc" "bin")
  #:system "` + realize.HostSystem() + `" #:env-vars '(("PATH" . "/bin:/usr/bin") ("__hostPaths" . "/bin /lib /lib64 /usr")))`
	r := run(t, "", env, "fruix", "build", "-e", expr)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if r.code != 0 || len(lines) != 3 || !strings.HasSuffix(lines[0], "-multi") ||
		!strings.HasSuffix(lines[1], "-multi-bin") || !strings.HasSuffix(lines[2], "-multi-doc") {
		t.Errorf("want out, bin, doc: status %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestReplSeesGexpModules: the REPL's expressions see (fruix gexp) and
// (fruix derivations) without importing them, as fruix build -e's do, so
// that ,graph and ,path work at once.
func TestReplSeesGexpModules(t *testing.T) {
	env, storeDir, _ := tempStoreEnv(t)
	r := run(t, `,path (plain-file "a" "b")`+"\n"+`(derivation? (derivation "d" "/bin/sh" '()))`+"\n", env, "fruix", "repl")
	if r.code != 0 || !strings.Contains(r.stdout, `$1 = "`+storeDir+"/") || !strings.Contains(r.stdout, "$2 = #t\n") || r.stderr != "" {
		t.Errorf("status %d, stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
}
