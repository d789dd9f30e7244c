package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fruix.dev/fruix/store"
)

// runStoreCmd runs a subcommand with its output captured, in a store
// under dir (through the environment, as a user would set it).
func runStoreCmd(t *testing.T, stdin string, run func([]string) int, args ...string) (int, string, string) {
	t.Helper()
	oldIn, oldOut, oldErr := os.Stdin, os.Stdout, os.Stderr
	rIn, wIn, _ := os.Pipe()
	rOut, wOut, _ := os.Pipe()
	rErr, wErr, _ := os.Pipe()
	os.Stdin, os.Stdout, os.Stderr = rIn, wOut, wErr
	go func() { io.WriteString(wIn, stdin); wIn.Close() }()
	outC, errC := make(chan string), make(chan string)
	go func() { b, _ := io.ReadAll(rOut); outC <- string(b) }()
	go func() { b, _ := io.ReadAll(rErr); errC <- string(b) }()
	code := run(args)
	wOut.Close()
	wErr.Close()
	os.Stdin, os.Stdout, os.Stderr = oldIn, oldOut, oldErr
	return code, <-outC, <-errC
}

func storeEnv(t *testing.T) (storeDir, stateDir string) {
	root := t.TempDir()
	storeDir, stateDir = root+"/store", root+"/state"
	t.Setenv(store.EnvStoreDir, storeDir)
	t.Setenv(store.EnvStateDir, stateDir)
	return
}

// The tree of Nix's tests/functional/fixed.sh, whose NAR hash Nix's
// fixed.nix declares.
func nixFixedTree(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "fixed")
	os.MkdirAll(filepath.Join(dir, "bla"), 0o755)
	os.WriteFile(filepath.Join(dir, "foo"), []byte("Hello World!\n"), 0o644)
	os.Symlink("foo", filepath.Join(dir, "bar"))
	return dir
}

func TestStoreCommandsRoundTrip(t *testing.T) {
	storeDir, _ := storeEnv(t)
	tree := nixFixedTree(t)

	code, out, errOut := runStoreCmd(t, "", runStore, "add", tree)
	p := strings.TrimSpace(out)
	if code != 0 || !strings.HasPrefix(p, storeDir+"/") || !strings.HasSuffix(p, "-fixed") {
		t.Fatalf("store add: %d %q %q", code, out, errOut)
	}
	code, out, _ = runStoreCmd(t, "", runStore, "path-info", "--json", "--closure-size", p)
	var infos []pathInfoJSON
	if code != 0 || json.Unmarshal([]byte(out), &infos) != nil || len(infos) != 1 ||
		infos[0].NarHash != "sha256:1ixr6yd3297ciyp9im522dfxpqbkhcw0pylkb2aab915278fqaik" || infos[0].ClosureSize == nil {
		t.Fatalf("path-info: %d %s", code, out)
	}
	if code, out, _ = runStoreCmd(t, "", runStore, "verify", "--check-contents"); code != 0 || out != "" {
		t.Errorf("verify: %d %q", code, out)
	}
	code, archive, errOut := runStoreCmd(t, "", runStore, "export", p)
	if code != 0 || !strings.Contains(archive, "MANIFEST") {
		t.Fatalf("export: %d %q", code, errOut)
	}
	if code, out, _ = runStoreCmd(t, "", runGC, "--dry-run"); code != 0 || !strings.Contains(out, "would delete "+p) {
		t.Errorf("gc --dry-run: %d %q", code, out)
	}
	if code, out, _ = runStoreCmd(t, "", runGC); code != 0 || !strings.Contains(out, "deleted "+p) {
		t.Errorf("gc: %d %q", code, out)
	}
	if code, _, errOut = runStoreCmd(t, "", runStore, "path-info", p); code != 1 || !strings.Contains(errOut, "not a valid store path") {
		t.Errorf("path-info after gc: %d %q", code, errOut)
	}
	if code, out, errOut = runStoreCmd(t, archive, runStore, "import"); code != 0 || strings.TrimSpace(out) != p {
		t.Errorf("import: %d %q %q", code, out, errOut)
	}
	link := filepath.Join(t.TempDir(), "result")
	os.Symlink(p, link)
	if code, out, _ = runStoreCmd(t, "", runGC, "--requisites", link); code != 0 || strings.TrimSpace(out) != p {
		t.Errorf("gc --requisites via a link: %d %q", code, out)
	}
	bad := strings.Replace(archive, "Hello World!", "Hello Wyrld!", 1)
	if code, _, errOut = runStoreCmd(t, bad, runStore, "import"); code != 1 || !strings.Contains(errOut, "does not match") {
		t.Errorf("tampered import: %d %q", code, errOut)
	}
}

func TestStoreCommandErrors(t *testing.T) {
	storeDir, stateDir := storeEnv(t)
	for _, c := range []struct {
		run  func([]string) int
		args []string
		code int
		want string
	}{
		{runStore, nil, 2, "usage: fruix store add"},
		{runStore, []string{"frobnicate"}, 2, `unknown subcommand "frobnicate"`},
		{runStore, []string{"add"}, 2, "no PATH given"},
		{runStore, []string{"add", "/nonexistent/x"}, 1, "/nonexistent/x"},
		{runStore, []string{"add", "--bogus"}, 2, "flag provided but not defined: -bogus"},
		{runStore, []string{"path-info", "/etc/passwd"}, 1, "not in the store " + storeDir},
		{runGC, []string{"--max-freed", "lots"}, 2, `size "lots": want a number of bytes`},
		{runGC, []string{"--list-roots", "--referrers", "x"}, 2, "exclude each other"},
		{runGC, []string{"--delete"}, 2, "needs at least one PATH"},
		{runGC, []string{"stray"}, 2, "did you mean --delete"},
		{runHash, []string{"--nar", "--flat", "x"}, 2, "exclude each other"},
		{runHash, []string{"--type", "sha3", "x"}, 2, `unknown hash algorithm "sha3"`},
		{runHash, []string{"convert", "--to", "hex", "sha256:nope"}, 1, "fits no encoding"},
		{runHash, []string{"convert", "abc"}, 2, "--to is required"},
		{runDerivation, []string{"show", "/nonexistent.drv"}, 1, "/nonexistent.drv"},
	} {
		code, _, errOut := runStoreCmd(t, "", c.run, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errOut, c.code, c.want)
		}
	}
	for _, c := range []struct {
		run  func([]string) int
		args []string
	}{
		{runStore, []string{"add", "--help"}}, {runGC, []string{"--help"}}, {runHash, []string{"--help"}},
		{runHash, []string{"convert", "--help"}}, {runDerivation, []string{"show", "--help"}}, {runStore, []string{"--help"}},
	} {
		if code, out, _ := runStoreCmd(t, "", c.run, c.args...); code != 0 || !strings.Contains(out, "usage:") {
			t.Errorf("%v: exit %d, stdout %q", c.args, code, out)
		}
	}
	// A store held by someone else is named, not waited for.
	st, err := store.Open(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	code, _, errOut := runStoreCmd(t, "", runStore, "verify")
	if code != 1 || !strings.Contains(errOut, "store "+stateDir+" is in use by pid") {
		t.Errorf("held store: %d %q", code, errOut)
	}
}

func TestHashAndDerivationCommands(t *testing.T) {
	tree := nixFixedTree(t)
	for format, want := range map[string]string{
		"--base32": "1ixr6yd3297ciyp9im522dfxpqbkhcw0pylkb2aab915278fqaik",
		"--sri":    "sha256-",
		"--hex":    "",
	} {
		code, out, _ := runStoreCmd(t, "", runHash, format, tree)
		if code != 0 || !strings.HasPrefix(out, want) {
			t.Errorf("hash %s: %d %q", format, code, out)
		}
	}
	code, out, _ := runStoreCmd(t, "", runHash, "--flat", "--type", "md5", "--hex", filepath.Join(tree, "foo"))
	if code != 0 || strings.TrimSpace(out) != "8ddd8be4b179a529afa5f2ffae4b9858" { // Nix's fixed.nix: md5 of "Hello World!\n"
		t.Errorf("flat md5: %d %q", code, out)
	}
	code, out, _ = runStoreCmd(t, "", runHash, "convert", "--to", "sri", "sha256:1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s")
	if code != 0 || strings.TrimSpace(out) != "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=" {
		t.Errorf("convert: %d %q", code, out)
	}
	drv := "../../derivation/testdata/nix/hash-modulo-intermediate-first.drv"
	code, out, _ = runStoreCmd(t, "", runDerivation, "show", drv)
	var shown map[string]map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &shown) != nil || shown[drv]["builder"] != "/bin/intermediate" {
		t.Errorf("derivation show: %d %s", code, out)
	}
	code, out, errOut := runStoreCmd(t, "", runDerivation, "graph", drv)
	if code != 1 || !strings.Contains(errOut, "q4mzjdlh5px6977h7v5fdsk1p33yg583-source.drv") {
		t.Errorf("graph with a missing input: %d %q %q", code, out, errOut)
	}
}
