//go:build linux

package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strconv"
	"sync/atomic"
	"syscall"

	"fruix.dev/fruix/store/sandbox/nsinit"
	"golang.org/x/sys/unix"
)

// The direct path builds the sandbox without a second process: a locked
// thread of the realizer unshares the mount, UTS, IPC and network
// namespaces, sets up the root there (nsinit.Setup) and starts the
// builder in a new PID namespace, stopped at its first instruction
// (ptrace); the thread then mounts the build's /proc for that PID
// namespace (procfs's "pidns" option) and lets the builder go. This saves
// the start of a second Go runtime per build. It needs root and a kernel
// whose procfs takes "pidns"; otherwise builds go through runHelper.

// errDirectUnsupported makes Run fall back to the helper, for good.
var errDirectUnsupported = errors.New("sandbox: direct set-up unsupported here")

var directUnsupported atomic.Bool

// runDirect runs the build on a thread of its own, which dies with its
// namespaces when the build is over.
func runDirect(ctx context.Context, spec *Spec, cfg *nsinit.Config) (*Result, error) {
	type outcome struct {
		res *Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread must not be reused
		res, err := directBuild(ctx, spec, cfg)
		done <- outcome{res, err}
	}()
	o := <-done
	return o.res, o.err
}

func directBuild(ctx context.Context, spec *Spec, cfg *nsinit.Config) (*Result, error) {
	hostProc, err := unix.Open("/proc", unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, errDirectUnsupported
	}
	defer unix.Close(hostProc)
	flags := unix.CLONE_NEWNS | unix.CLONE_NEWUTS | unix.CLONE_NEWIPC
	if !spec.Network {
		flags |= unix.CLONE_NEWNET
	}
	if err := unix.Unshare(flags); err != nil {
		return nil, errDirectUnsupported
	}
	if err := nsinit.Setup(cfg, false); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	// Inherited by the builder; this thread ends with the build.
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return nil, fmt.Errorf("sandbox: no_new_privs: %w", err)
	}
	attr := &syscall.SysProcAttr{
		Cloneflags: syscall.CLONE_NEWPID,
		Ptrace:     true, // stopped at its first instruction, until /proc is there
		Setsid:     true, // no controlling terminal: /dev/tty cannot reach the user
		Pdeathsig:  syscall.SIGKILL,
	}
	if cfg.UID != 0 {
		attr.Credential = &syscall.Credential{Uid: uint32(cfg.UID), Gid: uint32(cfg.GID), Groups: []uint32{uint32(cfg.GID)}}
	}
	cmd := &exec.Cmd{
		Path:        cfg.Builder,
		Args:        append([]string{cfg.Builder}, cfg.Args...),
		Env:         cfg.Env,
		Dir:         nsinit.BuildDir,
		SysProcAttr: attr,
	}
	kill := func() {
		if cmd.Process != nil {
			// The builder is the first process of its PID namespace:
			// killing it kills the whole build.
			cmd.Process.Kill()
		}
	}
	var setupErr error
	started := func() error {
		pid := cmd.Process.Pid
		var ws unix.WaitStatus
		if _, err := unix.Wait4(pid, &ws, unix.WALL, nil); err != nil {
			setupErr = fmt.Errorf("sandbox: waiting for the builder to start: %w", err)
			return setupErr
		}
		if !ws.Stopped() {
			setupErr = fmt.Errorf("sandbox: the builder did not stop at its start (status %#x)", uint32(ws))
			return setupErr
		}
		if err := mountBuildProc(hostProc, pid); err != nil {
			setupErr = err
			return err
		}
		if err := unix.PtraceDetach(pid); err != nil {
			setupErr = fmt.Errorf("sandbox: releasing the builder: %w", err)
			return setupErr
		}
		return nil
	}
	res, err := supervise(ctx, cmd, spec, kill, started)
	switch {
	case err == nil:
		return res, nil
	case setupErr != nil:
		return nil, setupErr
	case errors.Is(err, syscall.EPERM):
		// PTRACE_TRACEME refused (Yama's ptrace_scope 2 or 3): exec
		// failures of the builder itself are ENOENT or EACCES.
		return nil, errDirectUnsupported
	}
	return nil, fmt.Errorf("sandbox: cannot run the builder %s: %w (is it an input or a listed host path?)", cfg.Builder, errors.Unwrap(err))
}

// mountBuildProc mounts, at /proc of the calling thread's root, a procfs
// showing the PID namespace of process pid (a host pid).
func mountBuildProc(hostProc, pid int) error {
	ns, err := unix.Openat(hostProc, strconv.Itoa(pid)+"/ns/pid", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("sandbox: the build's PID namespace: %w", err)
	}
	defer unix.Close(ns)
	fs, err := unix.Fsopen("proc", unix.FSOPEN_CLOEXEC)
	if err != nil {
		return errDirectUnsupported
	}
	defer unix.Close(fs)
	if err := unix.FsconfigSetFd(fs, "pidns", ns); err != nil {
		return errDirectUnsupported
	}
	if err := unix.FsconfigCreate(fs); err != nil {
		return fmt.Errorf("sandbox: creating /proc: %w", err)
	}
	m, err := unix.Fsmount(fs, unix.FSMOUNT_CLOEXEC, unix.MOUNT_ATTR_NOSUID|unix.MOUNT_ATTR_NODEV|unix.MOUNT_ATTR_NOEXEC)
	if err != nil {
		return fmt.Errorf("sandbox: mounting /proc: %w", err)
	}
	defer unix.Close(m)
	if err := unix.MoveMount(m, "", unix.AT_FDCWD, "/proc", unix.MOVE_MOUNT_F_EMPTY_PATH); err != nil {
		return fmt.Errorf("sandbox: attaching /proc: %w", err)
	}
	return nil
}
