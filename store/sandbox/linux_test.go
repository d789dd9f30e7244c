//go:build linux

package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// hostShell lists what /bin/sh and the few tools the tests use need; the
// tests' derivations list them explicitly, as real derivations would.
var hostShell = []string{"/bin", "/lib", "/lib64", "/usr"}

type fixture struct {
	store, state, build string
	input, other        string // an input store path, and one not declared
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	requireLinuxSandbox(t)
	tmp := t.TempDir()
	f := &fixture{store: filepath.Join(tmp, "store"), state: filepath.Join(tmp, "state"), build: filepath.Join(tmp, "build")}
	for _, d := range []string{f.store, f.state, f.build} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	f.input = filepath.Join(f.store, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-input")
	f.other = filepath.Join(f.store, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-other")
	for _, p := range []string{f.input, f.other} {
		os.MkdirAll(p, 0o755)
		os.WriteFile(filepath.Join(p, "data"), []byte("content of "+filepath.Base(p)+"\n"), 0o644)
	}
	return f
}

func requireLinuxSandbox(t *testing.T) {
	t.Helper()
	if _, err := os.Stat("/proc/self/ns/pid"); err != nil {
		t.Skip("namespaces are not available on this host: skipping the Linux sandbox tests")
	}
	if os.Geteuid() != 0 {
		if b, err := os.ReadFile("/proc/sys/user/max_user_namespaces"); err == nil && strings.TrimSpace(string(b)) == "0" {
			t.Skip("not root and user namespaces are disabled: skipping the Linux sandbox tests")
		}
	}
}

func (f *fixture) spec(script string) *Spec {
	return &Spec{
		Builder:   "/bin/sh",
		Args:      []string{"-c", script},
		Env:       map[string]string{"input": f.input, "PATH": "/bin:/usr/bin"},
		BuildDir:  f.build,
		StoreDir:  f.store,
		StateDir:  f.state,
		Inputs:    []string{f.input},
		Outputs:   map[string]string{"out": filepath.Join(f.store, "cccccccccccccccccccccccccccccccc-result")},
		HostPaths: hostShell,
	}
}

func run(t *testing.T, spec *Spec) (*Result, string) {
	t.Helper()
	var log bytes.Buffer
	spec.Log = &log
	res, err := Linux{}.Run(context.Background(), spec)
	if err != nil {
		t.Fatalf("sandbox: %v\nlog:\n%s", err, log.String())
	}
	return res, log.String()
}

func TestLinuxBuildProducesOutput(t *testing.T) {
	f := newFixture(t)
	spec := f.spec(`set -e; mkdir $out; cat $input/data > $out/copy; echo built`)
	res, log := run(t, spec)
	if !res.OK() {
		t.Fatalf("build failed: %s\n%s", res.Describe(spec), log)
	}
	got, err := os.ReadFile(filepath.Join(spec.Outputs["out"], "copy"))
	if err != nil || string(got) != "content of aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-input\n" {
		t.Fatalf("output: %q, %v", got, err)
	}
	if log != "built\n" {
		t.Errorf("log %q", log)
	}
	left, _ := filepath.Glob(filepath.Join(f.store, StagingPrefix+"*"))
	if len(left) != 0 {
		t.Errorf("staging directories left behind: %v", left)
	}
}

func TestLinuxOutputsLoseDangerousModes(t *testing.T) {
	f := newFixture(t)
	spec := f.spec(`mkdir $out; echo x > $out/suid; chmod 4777 $out/suid; chmod 1777 $out; ln -s /etc/passwd $out/link`)
	res, log := run(t, spec)
	if !res.OK() {
		t.Fatalf("%s\n%s", res.Describe(spec), log)
	}
	for name, want := range map[string]os.FileMode{"": os.ModeDir | 0o755, "/suid": 0o755} {
		st, err := os.Lstat(spec.Outputs["out"] + name)
		if err != nil || st.Mode() != want {
			t.Errorf("out%s: mode %v, want %v (%v)", name, st.Mode(), want, err)
		}
	}
	if l, err := os.Readlink(spec.Outputs["out"] + "/link"); err != nil || l != "/etc/passwd" {
		t.Errorf("symbolic link changed: %q %v", l, err)
	}
}

func TestLinuxEnvironmentAndUser(t *testing.T) {
	f := newFixture(t)
	spec := f.spec(`env | sort; echo uid=$(id -u) gid=$(id -g); echo cwd=$(pwd); echo host=$(cat /proc/sys/kernel/hostname); echo pid=$$; ` +
		`head -c 4 /dev/zero | od -An -tx1 | tr -d ' '; head -c 8 /dev/urandom | wc -c; echo discard > /dev/null && echo null-ok`)
	res, log := run(t, spec)
	if !res.OK() {
		t.Fatalf("%s\n%s", res.Describe(spec), log)
	}
	for _, want := range []string{
		"HOME=/homeless-shelter\n", "PATH=/bin:/usr/bin\n", "FRUIX_BUILD_TOP=/build\n", "TMPDIR=/build\n",
		"out=" + spec.Outputs["out"] + "\n", "input=" + f.input + "\n", "cwd=/build\n", "host=localhost\n", "pid=1\n",
		"00000000\n", "8\n", "null-ok\n",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("missing %q in:\n%s", strings.TrimSpace(want), log)
		}
	}
	if os.Geteuid() == 0 {
		if !strings.Contains(log, fmt.Sprintf("uid=%d gid=%d\n", res.BuildUID, BuildGID)) || res.BuildUID <= BuildUIDBase {
			t.Errorf("builder did not run as a build user (result uid %d):\n%s", res.BuildUID, log)
		}
	}
	for _, line := range strings.Split(log, "\n") {
		if strings.HasPrefix(line, "USER=") || strings.HasPrefix(line, "SSH_") || strings.HasPrefix(line, "GOPATH=") {
			t.Errorf("host variable leaked: %s", line)
		}
	}
}

// Each escape must fail; the script prints ESCAPED when one succeeds.
func TestLinuxEscapesFail(t *testing.T) {
	f := newFixture(t)
	home := t.TempDir()
	if err := os.MkdirAll("/home", 0o755); err == nil {
		if d, err := os.MkdirTemp("/home", "fruix-test-"); err == nil {
			home = d
			defer os.RemoveAll(d)
		}
	}
	os.WriteFile(filepath.Join(home, "secret"), []byte("secret"), 0o644)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("hello from the host\n"))
			c.Close()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	escapes := map[string]string{
		"write an input":           `echo x > $input/data`,
		"create in an input":       `echo x > $input/new`,
		"read an undeclared input": `cat ` + f.other + `/data`,
		"write another store path": `echo x > ` + f.other + `/data`,
		"see the host's home":      `cat ` + home + `/secret`,
		"see /root":                `ls /root/`,
		"reach the host over tcp":  fmt.Sprintf(`/bin/bash -c 'exec 3<>/dev/tcp/127.0.0.1/%d && cat <&3'`, port),
		"see host processes":       `grep -qs -e "sandbox[.]test" /proc/[0-9]*/cmdline`,
		"see a disk device":        `ls /dev/sd* /dev/vd* /dev/nvme* /dev/mem /dev/kmsg 2>/dev/null | grep .`,
		"open the user's terminal": `echo hello > /dev/tty`,
		"write the root":           `echo x > /escape`,
		"mount something":          `mkdir -p /build/m && mount -t tmpfs none /build/m`,
	}
	for name, script := range escapes {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			spec := f.spec(`if ` + script + `; then echo ESCAPED; fi`)
			os.MkdirAll(f.build, 0o755)
			res, log := run(t, spec)
			if !res.OK() || strings.Contains(log, "ESCAPED") {
				t.Errorf("escape %q succeeded or the shell failed (%s):\n%s", name, res.Describe(spec), log)
			}
		})
	}
	if b, _ := os.ReadFile(filepath.Join(f.other, "data")); string(b) != "content of bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-other\n" {
		t.Errorf("another store path was modified: %q", b)
	}
	// A fixed-output build has the network.
	spec := f.spec(fmt.Sprintf(`/bin/bash -c 'exec 3<>/dev/tcp/127.0.0.1/%d && cat <&3'`, port))
	spec.Network = true
	res, log := run(t, spec)
	if !res.OK() || log != "hello from the host\n" {
		t.Errorf("fixed-output build could not reach 127.0.0.1 (%s): %q", res.Describe(spec), log)
	}
}

func TestLinuxTimeoutKillsTree(t *testing.T) {
	f := newFixture(t)
	spec := f.spec(`sleep 60.4321 & sleep 60.4321 & echo started; wait`)
	spec.Timeout = 300 * time.Millisecond
	start := time.Now()
	res, log := run(t, spec)
	if res.Killed != TimedOut || res.OK() {
		t.Fatalf("want a timeout, got %s (%+v)\n%s", res.Describe(spec), res, log)
	}
	if pids := processesRunning("60.4321"); len(pids) > 0 {
		t.Errorf("processes of the build survived the timeout: %v", pids)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("timeout took %v", d)
	}
	if !strings.Contains(res.Describe(spec), "timed out") {
		t.Errorf("description %q", res.Describe(spec))
	}
}

func TestLinuxMaxSilentTime(t *testing.T) {
	f := newFixture(t)
	spec := f.spec(`echo one; sleep 0.1; echo two; sleep 60`)
	spec.MaxSilent = 1500 * time.Millisecond // well above the 0.1 s gap, even on a loaded machine
	res, log := run(t, spec)
	if res.Killed != Silent {
		t.Fatalf("want silence kill, got %s\n%s", res.Describe(spec), log)
	}
	if log != "one\ntwo\n" {
		t.Errorf("log %q", log)
	}
}

func TestLinuxFailureStatus(t *testing.T) {
	f := newFixture(t)
	spec := f.spec(`mkdir $out; echo failing >&2; exit 3`)
	res, log := run(t, spec)
	if res.OK() || res.ExitCode != 3 || log != "failing\n" {
		t.Fatalf("result %+v log %q", res, log)
	}
	if _, err := os.Lstat(spec.Outputs["out"]); err == nil {
		t.Errorf("output of a failed build was moved into the store")
	}
}

// A builder killed by a signal is described by the signal's name. (In the
// Linux sandbox the builder is PID 1 of its namespace, which signals sent
// from inside the build cannot kill; the none backend shows the naming.)
func TestSignalIsNamed(t *testing.T) {
	f := newFixture(t)
	spec := f.spec(`kill -SEGV $$`)
	devnull, _ := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	stderr := os.Stderr
	os.Stderr = devnull
	res, err := None{}.Run(context.Background(), spec)
	os.Stderr = stderr
	if err != nil || res.Signal != "SIGSEGV" || res.Describe(spec) != "builder killed by signal SIGSEGV" {
		t.Errorf("result %+v, %v", res, err)
	}
}

func TestLinuxMissingBuilderIsASetupError(t *testing.T) {
	f := newFixture(t)
	spec := f.spec("true")
	spec.HostPaths = nil
	_, err := Linux{}.Run(context.Background(), spec)
	if err == nil || !strings.Contains(err.Error(), "cannot run the builder /bin/sh") {
		t.Fatalf("want a clear error, got %v", err)
	}
}

func TestLinuxHostBuilder(t *testing.T) {
	f := newFixture(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	spec := &Spec{Builder: self, Args: []string{"-test.run=^$"}, BuildDir: f.build, StoreDir: f.store, StateDir: f.state, BuilderFromHost: true}
	res, log := run(t, spec)
	if !res.OK() {
		t.Fatalf("the test binary could not run inside the sandbox: %s\n%s", res.Describe(spec), log)
	}
}

func BenchmarkLinuxSetupTeardown(b *testing.B) {
	defer reportCPU(b, cpuTime())
	defer func(start time.Duration) {
		b.ReportMetric(float64(selfCPU()-start)/float64(b.N)/1e6, "parent-cpu-ms/op")
	}(selfCPU())
	tmp := b.TempDir()
	store := filepath.Join(tmp, "store")
	os.MkdirAll(store, 0o755)
	for i := 0; i < b.N; i++ {
		build := filepath.Join(tmp, fmt.Sprint("build", i))
		os.Mkdir(build, 0o700)
		spec := &Spec{Builder: "/bin/true", BuildDir: build, StoreDir: store, StateDir: tmp, HostPaths: hostShell}
		res, err := Linux{}.Run(context.Background(), spec)
		if err != nil || !res.OK() {
			b.Fatal(err, res)
		}
		os.RemoveAll(build)
	}
}

// processesRunning lists the processes, as the host sees them, whose
// command line contains arg.
func processesRunning(arg string) []string {
	var found []string
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		b, err := os.ReadFile(d + "/cmdline")
		if err != nil {
			continue
		}
		for _, a := range strings.Split(string(b), "\x00") {
			if a == arg {
				found = append(found, filepath.Base(d))
			}
		}
	}
	return found
}

func TestNoneTimeoutKillsProcessGroup(t *testing.T) {
	f := newFixture(t)
	spec := f.spec(`sleep 60.8765 & sleep 60.8765 & echo started; wait`)
	spec.Timeout = 300 * time.Millisecond
	devnull, _ := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	stderr := os.Stderr
	os.Stderr = devnull
	res, err := None{}.Run(context.Background(), spec)
	os.Stderr = stderr
	if err != nil || res.Killed != TimedOut {
		t.Fatalf("want a timeout: %v %+v", err, res)
	}
	if pids := processesRunning("60.8765"); len(pids) > 0 {
		t.Errorf("processes of the build survived the timeout: %v", pids)
	}
}

// As root on a kernel whose procfs takes "pidns", builds must take the
// direct path (no second process); elsewhere they use the helper.
func TestLinuxDirectPathInUse(t *testing.T) {
	f := newFixture(t)
	if os.Geteuid() != 0 {
		t.Skip("the direct path needs root")
	}
	res, log := run(t, f.spec(`echo > $out`))
	if !res.OK() {
		t.Fatal(log)
	}
	if directUnsupported.Load() {
		if procTakesPidns() {
			t.Fatal("this kernel's procfs takes pidns, yet builds fell back to the helper process")
		}
		t.Skip("this kernel's procfs has no pidns option: builds use the helper process")
	}
}

// procTakesPidns reports whether this kernel can make a procfs for a
// given PID namespace (the test's own), which the direct path needs.
func procTakesPidns() bool {
	ns, err := unix.Open("/proc/self/ns/pid", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return false
	}
	defer unix.Close(ns)
	fs, err := unix.Fsopen("proc", unix.FSOPEN_CLOEXEC)
	if err != nil {
		return false
	}
	defer unix.Close(fs)
	return unix.FsconfigSetFd(fs, "pidns", ns) == nil
}

// The helper path (the sandbox's first process re-executing this binary)
// is what unprivileged users and older kernels get; as root it must give
// the same sandbox.
func TestLinuxHelperPathAsRoot(t *testing.T) {
	f := newFixture(t)
	if os.Geteuid() != 0 {
		t.Skip("TestLinuxUnprivileged covers the helper without root")
	}
	was := directUnsupported.Load()
	directUnsupported.Store(true)
	defer directUnsupported.Store(was)
	spec := f.spec(`echo uid=$(id -u) pid=$$ host=$(cat /proc/sys/kernel/hostname); ls /proc | grep -c '^[0-9]'; ` +
		`if echo x > $input/data; then echo ESCAPED; fi; mkdir $out; echo ok > $out/f`)
	res, log := run(t, spec)
	if !res.OK() || strings.Contains(log, "ESCAPED") || !strings.Contains(log, fmt.Sprintf("uid=%d pid=1 host=localhost\n", res.BuildUID)) {
		t.Fatalf("%s:\n%s", res.Describe(spec), log)
	}
	if b, _ := os.ReadFile(spec.Outputs["out"] + "/f"); string(b) != "ok\n" {
		t.Errorf("output %q", b)
	}
}

// TestLinuxConcurrentBuildsWhileForking runs builds side by side while
// the process keeps starting other programs, as a realizer with -j 2
// does. On the direct path each sandbox is set up on one thread of the
// process; a child forked by another thread while the set-up had a file
// of the new root open for writing used to keep it open, and making the
// root read-only then failed with "device or resource busy".
func TestLinuxConcurrentBuildsWhileForking(t *testing.T) {
	requireLinuxSandbox(t)
	stop := make(chan struct{})
	forking := make(chan struct{})
	go func() {
		defer close(forking)
		for {
			select {
			case <-stop:
				return
			default:
			}
			// New namespaces make the child's start slow, as a
			// sandbox's is: it holds the descriptors it inherited
			// longer before its exec closes them.
			cmd := exec.Command("/bin/true")
			cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNS | syscall.CLONE_NEWPID | syscall.CLONE_NEWNET | syscall.CLONE_NEWIPC}
			cmd.Run()
		}
	}()
	defer func() { close(stop); <-forking }()
	const parallel, rounds = 3, 8
	errs := make(chan error, parallel)
	for w := 0; w < parallel; w++ {
		f := newFixture(t)
		go func() {
			for i := 0; i < rounds; i++ {
				spec := f.spec(`echo ok > $out`)
				res, err := Linux{}.Run(context.Background(), spec)
				if err == nil && !res.OK() {
					err = fmt.Errorf("build %d: %s", i, res.Describe(spec))
				}
				if err != nil {
					errs <- err
					return
				}
				os.Remove(spec.Outputs["out"])
			}
			errs <- nil
		}()
	}
	for w := 0; w < parallel; w++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
