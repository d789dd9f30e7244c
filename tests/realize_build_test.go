package tests

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/store/realize"
)

var (
	realizeFruixOnce sync.Once
	realizeFruixPath string
	realizeFruixErr  error
)

// realizeFruix builds the fruix command once for these tests.
func realizeFruix(t testing.TB) string {
	t.Helper()
	realizeFruixOnce.Do(func() {
		dir, err := os.MkdirTemp("", "fruix-realize-bin-")
		if err != nil {
			realizeFruixErr = err
			return
		}
		realizeFruixPath = filepath.Join(dir, "fruix")
		out, err := exec.Command("go", "build", "-o", realizeFruixPath, "../cmd/fruix").CombinedOutput()
		if err != nil {
			realizeFruixErr = err
			t.Logf("%s", out)
		}
	})
	if realizeFruixErr != nil {
		t.Fatalf("building fruix: %v", realizeFruixErr)
	}
	return realizeFruixPath
}

// writeDrv writes a derivation running a /bin/sh script to a .drv file
// outside the store, as a user would hand it to `fruix build`.
func writeDrv(t *testing.T, dir derivation.StoreDir, name, script string) (string, string) {
	t.Helper()
	d := derivation.New(name, realize.HostSystem(), "/bin/sh")
	d.Args = []string{"-c", script}
	d.Env["PATH"] = "/bin:/usr/bin"
	d.Env["__hostPaths"] = "/bin /lib /lib64 /usr"
	d.Outputs["out"] = derivation.Output{}
	if err := d.FillOutputPaths(dir, derivation.NewModuloHasher(nil)); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), name+".drv")
	if err := os.WriteFile(file, d.ATerm(), 0o644); err != nil {
		t.Fatal(err)
	}
	return file, d.Outputs["out"].Path
}

func TestFruixBuildCommand(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("fruix build's Linux sandbox needs root here (CI runs as root)")
	}
	if _, err := os.Stat("/proc/self/ns/pid"); err != nil {
		t.Skip("no Linux namespaces: skipping")
	}
	fruix := realizeFruix(t)
	tmp := t.TempDir()
	storeDir := filepath.Join(tmp, "store")
	stateDir := filepath.Join(tmp, "state")
	run := func(args ...string) (string, string, int) {
		cmd := exec.Command(fruix, append([]string{"build", "--store-dir", storeDir, "--state-dir", stateDir}, args...)...)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return stdout.String(), stderr.String(), code
	}
	dir := derivation.StoreDir(storeDir)
	good, goodOut := writeDrv(t, dir, "hello", `echo hello from fruix > $out`)
	stdout, stderr, code := run(good)
	if code != 0 || stdout != goodOut+"\n" {
		t.Fatalf("fruix build: status %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "[1/1] building "+storeDir) {
		t.Errorf("no progress line:\n%s", stderr)
	}
	if b, _ := os.ReadFile(goodOut); string(b) != "hello from fruix\n" {
		t.Errorf("output %q", b)
	}
	// Again: nothing to build, same output; --root keeps it from the
	// collector for as long as the link exists.
	result := filepath.Join(tmp, "result")
	stdout, stderr, code = run("--quiet", "--root", result, good)
	if code != 0 || stdout != goodOut+"\n" || stderr != "" {
		t.Errorf("no-op build: status %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if target, err := os.Readlink(result); err != nil || target != goodOut {
		t.Errorf("--root: %s -> %q (%v), want a link to %s", result, target, err, goodOut)
	}
	gc := func() string {
		out, err := exec.Command(fruix, "gc", "--store-dir", storeDir, "--state-dir", stateDir).CombinedOutput()
		if err != nil {
			t.Fatalf("fruix gc: %v\n%s", err, out)
		}
		return string(out)
	}
	gc()
	if _, err := os.Stat(goodOut); err != nil {
		t.Errorf("the collector deleted %s although --root registered it: %v", goodOut, err)
	}
	os.Remove(result)
	gc()
	if _, err := os.Lstat(goodOut); err == nil {
		t.Errorf("%s survived the collector after its root link was removed", goodOut)
	}
	stdout, stderr, code = run("--quiet", good)
	if code != 0 || stdout != goodOut+"\n" {
		t.Fatalf("rebuild after gc: status %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	bad, badOut := writeDrv(t, dir, "broken", `echo compiling; echo "error: no such file" >&2; exit 2`)
	stdout, stderr, code = run(bad)
	if code != 1 || stdout != "" {
		t.Errorf("failing build: status %d, stdout %q", code, stdout)
	}
	for _, want := range []string{"builder exited with status 2", "error: no such file", "full log: " + stateDir + "/log/"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Lstat(badOut); err == nil {
		t.Errorf("the failed build left %s", badOut)
	}

	// A builtin builder runs the fruix binary itself inside the sandbox.
	srcDir := t.TempDir()
	content := []byte("source tarball\n")
	os.WriteFile(filepath.Join(srcDir, "src.tar"), content, 0o644)
	sum := sha256.Sum256(content)
	fetch := derivation.New("src.tar", "builtin", "builtin:fetchurl")
	fetch.Env["url"] = "file://" + srcDir + "/src.tar"
	fetch.Env["__hostPaths"] = srcDir
	fetch.Outputs["out"] = derivation.Output{HashAlgo: "sha256", Hash: hex.EncodeToString(sum[:])}
	if err := fetch.FillOutputPaths(dir, derivation.NewModuloHasher(nil)); err != nil {
		t.Fatal(err)
	}
	fetchFile := filepath.Join(t.TempDir(), "src.tar.drv")
	os.WriteFile(fetchFile, fetch.ATerm(), 0o644)
	stdout, stderr, code = run(fetchFile)
	if code != 0 || stdout != fetch.Outputs["out"].Path+"\n" {
		t.Fatalf("builtin:fetchurl through fruix: status %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	if b, _ := os.ReadFile(fetch.Outputs["out"].Path); string(b) != string(content) {
		t.Errorf("fetched %q", b)
	}

	if _, stderr, code = run("--timeout", "soon", good); code != 2 || !strings.Contains(stderr, "want a duration") {
		t.Errorf("bad --timeout: status %d, %s", code, stderr)
	}
	if _, stderr, code = run("--sandbox", "jail", good); code != 2 || !strings.Contains(stderr, "not available") {
		t.Errorf("--sandbox=jail on Linux: status %d, %s", code, stderr)
	}
	if _, _, code = run("--help"); code != 0 {
		t.Errorf("--help: status %d", code)
	}
}
