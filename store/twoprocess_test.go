package store

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"fruix.dev/fruix/derivation"
)

// holderEnv makes the test binary act as a second process that owns a
// store: it opens the store named by the variable ("<store>|<state>"),
// says "ready", and holds it until its standard input closes.
const holderEnv = "FRUIX_STORE_TEST_HOLDER"

func TestMain(m *testing.M) {
	if spec := os.Getenv(holderEnv); spec != "" {
		storeDir, stateDir, _ := strings.Cut(spec, "|")
		s, err := Open(Options{StoreDir: derivation.StoreDir(storeDir), StateDir: stateDir, NoSync: true})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("ready")
		io.Copy(io.Discard, os.Stdin)
		s.Close()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func startHolder(t *testing.T, opts Options) (*exec.Cmd, io.WriteCloser) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holderEnv+"="+string(opts.StoreDir)+"|"+opts.StateDir)
	stdin, err := cmd.StdinPipe()
	must(t, err)
	stdout, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		t.Fatalf("holder: %q", line)
	}
	return cmd, stdin
}

// Another process owns the store: Open fails at once, naming it; once it
// is gone (closing properly or killed), the store opens.
func TestTwoProcesses(t *testing.T) {
	s, opts := testStore(t)
	must(t, s.Close())

	cmd, stdin := startHolder(t, opts)
	start := time.Now()
	_, err := Open(opts)
	var inUse *InUseError
	if !errors.As(err, &inUse) || inUse.PID != cmd.Process.Pid || !strings.Contains(inUse.Command, "-test.run=^$") {
		t.Fatalf("Open while another process holds the store: %v", err)
	}
	want := fmt.Sprintf("store %s is in use by pid %d (", opts.StateDir, cmd.Process.Pid)
	if !strings.HasPrefix(err.Error(), want) || time.Since(start) > 2*time.Second {
		t.Errorf("error %q after %v", err, time.Since(start))
	}
	stdin.Close()
	must(t, cmd.Wait())
	s2, err := Open(opts)
	must(t, err)
	must(t, s2.Close())

	// kill -9 releases the lock too, and the next owner cleans up.
	cmd, _ = startHolder(t, opts)
	left := string(opts.StoreDir) + "/" + tempPrefix + "from-killed-process"
	must(t, os.Mkdir(left, 0o755))
	must(t, cmd.Process.Kill())
	cmd.Wait()
	s3, err := Open(opts)
	must(t, err)
	defer s3.Close()
	if _, err := os.Lstat(left); !errors.Is(err, os.ErrNotExist) {
		t.Error("leftover of the killed process not removed")
	}
}

// A reader in another process than the owner is refused at once, naming
// the owner. An owner killed leaves its index to be recovered: readers
// say so until an owner has opened the store again.
func TestReaderAndOwnerProcesses(t *testing.T) {
	s, opts := testStore(t)
	paths := fillStore(t, s)
	must(t, s.Close())

	cmd, stdin := startHolder(t, opts)
	start := time.Now()
	_, err := OpenReadOnly(opts)
	var inUse *InUseError
	if !errors.As(err, &inUse) || inUse.PID != cmd.Process.Pid {
		t.Fatalf("OpenReadOnly while another process owns the store: %v", err)
	}
	want := fmt.Sprintf("store %s is in use by pid %d (", opts.StateDir, cmd.Process.Pid)
	if !strings.HasPrefix(err.Error(), want) || time.Since(start) > 2*time.Second {
		t.Errorf("error %q after %v", err, time.Since(start))
	}
	stdin.Close()
	must(t, cmd.Wait())
	r, err := OpenReadOnly(opts)
	must(t, err)
	must(t, r.Close())

	cmd, _ = startHolder(t, opts)
	must(t, cmd.Process.Kill())
	cmd.Wait()
	_, err = OpenReadOnly(opts)
	var recovery *RecoveryError
	if !errors.As(err, &recovery) || !errors.Is(err, ErrNeedsRecovery) || !strings.Contains(err.Error(), "left open by a process that stopped without closing it") {
		t.Fatalf("OpenReadOnly after the owner was killed: %v", err)
	}
	s2, err := Open(opts)
	must(t, err)
	must(t, s2.Close())
	r, err = OpenReadOnly(opts)
	must(t, err)
	defer r.Close()
	for _, p := range paths[:3] {
		if ok, err := r.IsValid(p); !ok || err != nil {
			t.Errorf("%s after recovery: %v %v", p, ok, err)
		}
	}
}
