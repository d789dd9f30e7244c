//go:build linux

package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

const unprivilegedChildEnv = "FRUIX_SANDBOX_UNPRIVILEGED_DIR"

// TestLinuxUnprivileged runs the Linux backend as an ordinary user (nobody),
// where it adds a user namespace: the build still gets its own file
// system view, read-only inputs, no network and no host processes.
func TestLinuxUnprivileged(t *testing.T) {
	requireLinuxSandbox(t)
	if os.Geteuid() != 0 {
		t.Skip("needs root to become another user for the test")
	}
	const nobody = 65534
	dir, err := os.MkdirTemp("", "fruix-unprivileged-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "sandbox.test")
	if err := copyFile(self, bin); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-input", "state", "build"} {
		os.MkdirAll(filepath.Join(dir, d), 0o755)
	}
	os.WriteFile(filepath.Join(dir, "store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-input/data"), []byte("input\n"), 0o444)
	filepath.Walk(dir, func(p string, _ os.FileInfo, _ error) error { return os.Lchown(p, nobody, nobody) })
	os.Chmod(dir, 0o755)
	os.Chmod(filepath.Join(dir, "store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-input"), 0o555)

	cmd := exec.Command(bin, "-test.run=^TestUnprivilegedChild$", "-test.v")
	cmd.Env = []string{unprivilegedChildEnv + "=" + dir}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestUnprivilegedChild") {
		t.Fatalf("unprivileged sandbox: %v\n%s", err, out)
	}
}

func TestUnprivilegedChild(t *testing.T) {
	dir := os.Getenv(unprivilegedChildEnv)
	if dir == "" {
		t.Skip("run by TestLinuxUnprivileged")
	}
	if os.Geteuid() == 0 {
		t.Fatal("the child must not be root")
	}
	store := filepath.Join(dir, "store")
	input := filepath.Join(store, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-input")
	out := filepath.Join(store, "cccccccccccccccccccccccccccccccc-result")
	script := `echo uid=$(id -u); cat $input/data > $out; ` +
		`if echo x > $input/data; then echo ESCAPED-write; fi; ` +
		`if grep -qs -e "sandbox[.]test" /proc/[0-9]*/cmdline; then echo ESCAPED-proc; fi; ` +
		`if ls /home/ >/dev/null 2>&1; then echo ESCAPED-home; fi`
	var log bytes.Buffer
	spec := &Spec{
		Builder: "/bin/sh", Args: []string{"-c", script},
		Env:      map[string]string{"input": input, "PATH": "/bin:/usr/bin"},
		BuildDir: filepath.Join(dir, "build"), StoreDir: store, StateDir: filepath.Join(dir, "state"),
		Inputs: []string{input}, Outputs: map[string]string{"out": out}, HostPaths: hostShell, Log: &log,
	}
	res, err := Linux{}.Run(context.Background(), spec)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if !res.OK() || strings.Contains(log.String(), "ESCAPED") || !strings.Contains(log.String(), "uid=0\n") {
		t.Fatalf("%s:\n%s", res.Describe(spec), log.String())
	}
	if b, _ := os.ReadFile(out); string(b) != "input\n" {
		t.Errorf("output %q", b)
	}
	fmt.Println("unprivileged build ok")
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
