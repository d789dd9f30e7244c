//go:build linux

package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"

	"fruix.dev/fruix/store/sandbox/nsinit"
	"golang.org/x/sys/unix"
)

// Linux isolates builds with mount, PID, network, UTS and IPC namespaces
// (and a user namespace when not running as root). It re-executes the
// current binary as the first process of the new namespaces (see
// init_linux.go), which builds a fresh root from a tmpfs and bind mounts,
// pivots into it and executes the builder as a user of the build pool.
type Linux struct{}

func (Linux) Name() string { return "linux" }

func available() []string {
	if _, err := os.Stat("/proc/self/ns/pid"); err == nil {
		return []string{"linux", "none"}
	}
	return []string{"none"}
}

func newBackend(name string) (Sandbox, error) {
	if name == "linux" {
		return Linux{}, nil
	}
	return nil, fmt.Errorf("sandbox: backend %q is not available on Linux (choose auto, linux or none)", name)
}

func (Linux) Run(ctx context.Context, spec *Spec) (*Result, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	root := os.Geteuid() == 0
	cfg := nsinit.Config{Builder: builderInside(spec), Args: spec.Args, Network: spec.Network,
		Env: Environment(spec, SandboxBuildDir)}
	userName := "root"
	buildUID := os.Getuid()
	if root {
		stateDir := spec.StateDir
		if stateDir == "" {
			stateDir = os.TempDir()
		}
		user, err := AcquireBuildUser(stateDir)
		if err != nil {
			return nil, err
		}
		defer user.Release()
		cfg.UID, cfg.GID, userName, buildUID = user.UID, user.GID, user.Name, user.UID
	}

	staging, err := os.MkdirTemp(spec.StoreDir, StagingPrefix)
	if err != nil {
		return nil, fmt.Errorf("sandbox: making the build's store view: %w", err)
	}
	defer RemoveAll(staging)
	cfg.Root, err = makeRootMountPoint(spec.StateDir)
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	defer os.Remove(cfg.Root)
	if root {
		for _, d := range []string{staging, spec.BuildDir} {
			if err := os.Chown(d, cfg.UID, cfg.GID); err != nil {
				return nil, fmt.Errorf("sandbox: giving %s to the build user: %w", d, err)
			}
		}
	}
	if cfg.Plan, err = MountPlan(spec, staging); err != nil {
		return nil, err
	}
	cfg.Passwd, cfg.Group = passwdFile(cfg.UID, cfg.GID, userName), groupFile(cfg.GID, userName)

	var res *Result
	if root && !directUnsupported.Load() {
		res, err = runDirect(ctx, spec, &cfg)
		if errors.Is(err, errDirectUnsupported) {
			directUnsupported.Store(true)
			res, err = nil, nil
		} else if err != nil {
			return nil, err
		}
	}
	if res == nil {
		if res, err = runHelper(ctx, spec, &cfg, root); err != nil {
			return nil, err
		}
	}
	res.BuildUID = buildUID
	if res.OK() {
		if err := collectOutputs(spec, staging); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// runHelper runs the build through the sandbox's first process: this
// binary re-executed in new namespaces (see package nsinit). It works
// without root, in a user namespace.
func runHelper(ctx context.Context, spec *Spec, cfg *nsinit.Config, root bool) (*Result, error) {
	cfgR, cfgW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		cfgR.Close()
		cfgW.Close()
		return nil, err
	}
	defer errR.Close()
	flags := uintptr(unix.CLONE_NEWNS | unix.CLONE_NEWPID | unix.CLONE_NEWUTS | unix.CLONE_NEWIPC)
	if !spec.Network {
		flags |= unix.CLONE_NEWNET
	}
	// A new session: the build has no controlling terminal, so /dev/tty
	// cannot reach the user's.
	attr := &syscall.SysProcAttr{Cloneflags: flags, Pdeathsig: syscall.SIGKILL, Setsid: true}
	if !root {
		attr.Cloneflags |= unix.CLONE_NEWUSER
		attr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getuid(), Size: 1}}
		attr.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getgid(), Size: 1}}
	}
	cmd := &exec.Cmd{
		Path: "/proc/self/exe",
		Args: []string{nsinit.Arg0},
		// The first process only mounts and execs: one P and no garbage
		// collector make its runtime start cheaper.
		Env:         []string{"GOMAXPROCS=1", "GOGC=off"},
		ExtraFiles:  []*os.File{cfgR, errW},
		SysProcAttr: attr,
	}
	kill := func() {
		if cmd.Process != nil {
			// Killing the first process of a PID namespace kills all of it.
			cmd.Process.Kill()
		}
	}
	go func() {
		cfgW.Write(cfg.Encode())
		cfgW.Close()
	}()
	res, err := supervise(ctx, cmd, spec, kill, nil)
	cfgR.Close()
	errW.Close()
	if err != nil {
		return nil, fmt.Errorf("sandbox: starting the sandbox: %w", err)
	}
	msg, _ := io.ReadAll(errR)
	if len(msg) > 0 {
		return nil, errors.New(strings.TrimSpace(string(msg)))
	}
	return res, nil
}
