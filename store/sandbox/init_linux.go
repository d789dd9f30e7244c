//go:build linux

package sandbox

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// The sandbox's first process is this binary re-executed with argv[0] set
// to initArg0. It takes over before main runs, in any program that links
// this package (the fruix command and the test binaries alike).
func init() {
	if len(os.Args) > 0 && os.Args[0] == initArg0 {
		sandboxInit()
	}
}

// sandboxInit sets up the sandbox's file system and becomes the builder.
// Errors go to fd 4, which the exec of the builder closes: the parent
// knows set-up succeeded when it reads nothing there.
func sandboxInit() {
	errf := os.NewFile(4, "errors")
	fail := func(format string, args ...any) {
		fmt.Fprintf(errf, "sandbox: "+format+"\n", args...)
		os.Exit(127)
	}
	unix.CloseOnExec(4)
	var cfg initConfig
	if err := json.NewDecoder(os.NewFile(3, "config")).Decode(&cfg); err != nil {
		fail("reading the configuration: %v", err)
	}
	unix.Close(3)
	if err := setupRoot(&cfg); err != nil {
		fail("%v", err)
	}
	if err := unix.Sethostname([]byte("localhost")); err != nil {
		fail("setting the host name: %v", err)
	}
	if !cfg.Network {
		if err := loopbackUp(); err != nil {
			fail("bringing up the loopback interface: %v", err)
		}
	}
	if err := unix.Chdir(SandboxBuildDir); err != nil {
		fail("entering the build directory: %v", err)
	}
	if cfg.UID != 0 {
		if err := syscall.Setgroups([]int{cfg.GID}); err != nil {
			fail("setgroups: %v", err)
		}
		if err := syscall.Setgid(cfg.GID); err != nil {
			fail("setgid: %v", err)
		}
		if err := syscall.Setuid(cfg.UID); err != nil {
			fail("setuid: %v", err)
		}
	}
	// No setuid program may give the builder privileges back.
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		fail("no_new_privs: %v", err)
	}
	err := unix.Exec(cfg.Builder, append([]string{cfg.Builder}, cfg.Args...), cfg.Env)
	fail("cannot run the builder %s: %v (is it an input or a listed host path?)", cfg.Builder, err)
}

// setupRoot builds the new root in a tmpfs at cfg.Root and pivots into it.
func setupRoot(cfg *initConfig) error {
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("making mounts private: %w", err)
	}
	root := cfg.Root
	if err := unix.Mount("tmpfs", root, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "mode=0755"); err != nil {
		return fmt.Errorf("mounting the root tmpfs: %w", err)
	}
	// /tmp is private to the build (TMPDIR points to the build directory).
	// It is mounted first: tests and experiments keep stores under /tmp.
	if err := os.MkdirAll(root+"/tmp", 0o1777); err != nil {
		return err
	}
	if err := unix.Mount("tmp", root+"/tmp", "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "mode=1777"); err != nil {
		return fmt.Errorf("mounting /tmp: %w", err)
	}
	for _, m := range cfg.Plan {
		if err := bind(root, m, true); err != nil {
			return err
		}
	}
	if err := setupDev(root); err != nil {
		return err
	}
	if err := os.MkdirAll(root+"/proc", 0o555); err != nil {
		return err
	}
	if err := unix.Mount("proc", root+"/proc", "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, ""); err != nil {
		return fmt.Errorf("mounting /proc: %w", err)
	}
	etc := map[string]string{
		"passwd": passwdFile(cfg.UID, cfg.GID, cfg.UserName),
		"group":  groupFile(cfg.GID, cfg.UserName),
		"hosts":  "127.0.0.1 localhost\n::1 localhost\n",
	}
	os.MkdirAll(root+"/etc", 0o755)
	for name, content := range etc {
		// A derivation that lists /etc as a host path gets the host's.
		os.WriteFile(root+"/etc/"+name, []byte(content), 0o444)
	}
	if err := unix.Chdir(root); err != nil {
		return err
	}
	if err := unix.PivotRoot(".", "."); err != nil {
		return fmt.Errorf("pivot_root: %w", err)
	}
	if err := unix.Unmount(".", unix.MNT_DETACH); err != nil {
		return fmt.Errorf("detaching the host's root: %w", err)
	}
	if err := unix.Chdir("/"); err != nil {
		return err
	}
	// Nothing may be created at the top of the sandbox's root.
	return unix.Mount("", "/", "", unix.MS_REMOUNT|unix.MS_RDONLY|unix.MS_NOSUID|unix.MS_NODEV, "")
}

// bind mounts m.Source at root+m.Target, creating the mount point.
func bind(root string, m Mount, nodev bool) error {
	target := root + m.Target
	if m.SkipIfPresent {
		if _, err := os.Lstat(target); err == nil {
			return nil
		}
	}
	st, err := os.Stat(m.Source)
	if err != nil {
		return fmt.Errorf("bind mount: %w", err)
	}
	if _, err := os.Lstat(target); err != nil {
		if st.IsDir() {
			err = os.MkdirAll(target, 0o755)
		} else if err = os.MkdirAll(filepath.Dir(target), 0o755); err == nil {
			var f *os.File
			if f, err = os.OpenFile(target, os.O_CREATE|os.O_WRONLY, 0o444); err == nil {
				f.Close()
			}
		}
		if err != nil {
			return fmt.Errorf("making the mount point of %s: %w", m.Target, err)
		}
	}
	if err := unix.Mount(m.Source, target, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("bind mounting %s at %s: %w", m.Source, m.Target, err)
	}
	flags := uintptr(unix.MS_BIND | unix.MS_REMOUNT | unix.MS_NOSUID)
	if nodev {
		flags |= unix.MS_NODEV
	}
	if m.ReadOnly {
		flags |= unix.MS_RDONLY
	}
	// Flags the source's mount has locked (in a user namespace) must be kept.
	var sf unix.Statfs_t
	if unix.Statfs(target, &sf) == nil {
		if sf.Flags&unix.ST_NOEXEC != 0 {
			flags |= unix.MS_NOEXEC
		}
		if sf.Flags&unix.ST_NODEV != 0 {
			flags |= unix.MS_NODEV
		}
	}
	if err := unix.Mount("", target, "", flags, ""); err != nil {
		return fmt.Errorf("remounting %s (read-only=%v): %w", m.Target, m.ReadOnly, err)
	}
	return nil
}

// setupDev gives the sandbox a minimal /dev: a few harmless devices bound
// from the host, a private /dev/shm and the usual symbolic links.
func setupDev(root string) error {
	dev := root + "/dev"
	if err := os.MkdirAll(dev, 0o755); err != nil {
		return err
	}
	for _, d := range []string{"null", "zero", "full", "random", "urandom", "tty"} {
		if _, err := os.Stat("/dev/" + d); err != nil {
			continue
		}
		if err := bind(root, Mount{Source: "/dev/" + d, Target: "/dev/" + d}, false); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(dev+"/shm", 0o1777); err != nil {
		return err
	}
	if err := unix.Mount("shm", dev+"/shm", "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "mode=1777"); err != nil {
		return fmt.Errorf("mounting /dev/shm: %w", err)
	}
	for name, to := range map[string]string{"fd": "/proc/self/fd", "stdin": "/proc/self/fd/0", "stdout": "/proc/self/fd/1", "stderr": "/proc/self/fd/2"} {
		if err := os.Symlink(to, dev+"/"+name); err != nil {
			return err
		}
	}
	return nil
}

// loopbackUp brings up lo in the build's own network namespace, so that
// builds may talk to themselves and to nothing else.
func loopbackUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return err
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	return unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr)
}
