package tests

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// commandsDir holds the fruix and fruix-eval binaries built once for the
// whole test run; buildErr says why they could not be built.
var (
	commandsDir string
	buildErr    error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fruix-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Built as scripts/run-example builds them.
	cmd := exec.Command("go", "build", "-o", dir+string(filepath.Separator), "../cmd/fruix", "../cmd/fruix-eval")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		buildErr = fmt.Errorf("building the commands: %v\n%s", err, out)
	}
	commandsDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// command returns the path of a built command, failing the test if the
// commands could not be built.
func command(t *testing.T, name string) string {
	t.Helper()
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(commandsDir, name)
}

// result is what a command run produced.
type result struct {
	stdout, stderr string
	code           int
}

// run runs a built command with stdin as its standard input and extra
// environment variables, and returns what it printed and its exit status.
func run(t *testing.T, stdin string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(command(t, name), args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+t.TempDir())
	cmd.Env = append(cmd.Env, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("%s %q did not finish in 60 s", name, args)
	}
	return result{stdout: stdout.String(), stderr: stderr.String(), code: cmd.ProcessState.ExitCode()}
}

// noCrash fails the test if a command's error output shows a Go panic
// or stack trace instead of a Scheme error.
func noCrash(t *testing.T, r result) {
	t.Helper()
	for _, bad := range []string{"panic:", "goroutine ", "runtime error", "fatal error:", ".go:"} {
		if strings.Contains(r.stderr, bad) {
			t.Errorf("error output shows a Go crash (%q):\n%s", bad, r.stderr)
			return
		}
	}
}

// writeFile writes text to name under dir, creating directories.
func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
