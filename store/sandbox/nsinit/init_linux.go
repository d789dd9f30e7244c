//go:build linux

package nsinit

import (
	"io"
	"os"
	"runtime"
	"strings"
	"syscall"
	"unsafe"
)

func init() {
	if len(os.Args) > 0 && os.Args[0] == Arg0 {
		run()
	}
}

// statfs flags (statvfs's ST_*), which syscall does not name.
const (
	stNodev  = 0x4
	stNoexec = 0x8
)

func run() {
	runtime.LockOSThread()
	errf := os.NewFile(4, "errors")
	fail := func(parts ...string) {
		errf.WriteString("sandbox: " + strings.Join(parts, "") + "\n")
		os.Exit(127)
	}
	syscall.CloseOnExec(4)
	data, err := io.ReadAll(os.NewFile(3, "config"))
	if err != nil {
		fail("reading the configuration: ", err.Error())
	}
	syscall.Close(3)
	cfg, err := Decode(data)
	if err != nil {
		fail(err.Error())
	}
	if err := Setup(cfg, true); err != nil {
		fail(err.Error())
	}
	if cfg.UID != 0 {
		// Only this thread changes credentials: it is the one that execs
		// the builder (run locked it), and the other threads vanish with
		// the exec. syscall.Setuid would stop every thread to change them
		// all, which costs milliseconds per build.
		gid := [1]uint32{uint32(cfg.GID)}
		if _, _, errno := syscall.RawSyscall(syscall.SYS_SETGROUPS, 1, uintptr(unsafe.Pointer(&gid[0])), 0); errno != 0 {
			fail("setgroups: ", errno.Error())
		}
		if _, _, errno := syscall.RawSyscall(syscall.SYS_SETRESGID, uintptr(cfg.GID), uintptr(cfg.GID), uintptr(cfg.GID)); errno != 0 {
			fail("setgid: ", errno.Error())
		}
		if _, _, errno := syscall.RawSyscall(syscall.SYS_SETRESUID, uintptr(cfg.UID), uintptr(cfg.UID), uintptr(cfg.UID)); errno != 0 {
			fail("setuid: ", errno.Error())
		}
	}
	// No setuid program may give the builder privileges back.
	const prSetNoNewPrivs = 38
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetNoNewPrivs, 1, 0); errno != 0 {
		fail("no_new_privs: ", errno.Error())
	}
	err = syscall.Exec(cfg.Builder, append([]string{cfg.Builder}, cfg.Args...), cfg.Env)
	fail("cannot run the builder ", cfg.Builder, ": ", err.Error(), " (is it an input or a listed host path?)")
}

// Setup builds the sandbox in the namespaces of the calling thread: the
// root file system (with a fresh /proc when mountProc is set: only a
// process of the build's PID namespace can mount it that way), the host
// name, the loopback interface; it leaves the thread in the build
// directory. Whoever calls it must be alone in its mount namespace with
// an unshared file-system context: the sandbox's first process, or a
// locked thread that unshared its namespaces.
func Setup(cfg *Config, mountProc bool) error {
	if err := setupRoot(cfg, mountProc); err != nil {
		return err
	}
	if err := syscall.Sethostname([]byte("localhost")); err != nil {
		return wrap("setting the host name: ", err)
	}
	if !cfg.Network {
		if err := loopbackUp(); err != nil {
			return wrap("bringing up the loopback interface: ", err)
		}
	}
	if err := syscall.Chdir(BuildDir); err != nil {
		return wrap("entering the build directory: ", err)
	}
	return nil
}

// setupRoot builds the new root in a tmpfs at cfg.Root and pivots into it.
func setupRoot(cfg *Config, mountProc bool) error {
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
		return wrap("making mounts private: ", err)
	}
	root := cfg.Root
	if err := syscall.Mount("tmpfs", root, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, "mode=0755"); err != nil {
		return wrap("mounting the root tmpfs: ", err)
	}
	// /tmp is private to the build (TMPDIR points to the build directory).
	// It is mounted first: tests and experiments keep stores under /tmp.
	if err := os.MkdirAll(root+"/tmp", 0o1777); err != nil {
		return err
	}
	if err := syscall.Mount("tmp", root+"/tmp", "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, "mode=1777"); err != nil {
		return wrap("mounting /tmp: ", err)
	}
	for _, m := range cfg.Plan {
		if err := bind(root, m, true); err != nil {
			return err
		}
	}
	if err := setupDev(root, cfg.UID != 0); err != nil {
		return err
	}
	if err := os.MkdirAll(root+"/proc", 0o555); err != nil {
		return err
	}
	if !mountProc {
		// The caller mounts /proc once the build's PID namespace exists.
	} else if err := syscall.Mount("proc", root+"/proc", "proc", syscall.MS_NOSUID|syscall.MS_NODEV|syscall.MS_NOEXEC, ""); err != nil {
		return wrap("mounting /proc: ", err)
	}
	etc := map[string]string{"passwd": cfg.Passwd, "group": cfg.Group, "hosts": "127.0.0.1 localhost\n::1 localhost\n"}
	os.MkdirAll(root+"/etc", 0o755)
	for name, content := range etc {
		// A derivation that lists /etc as a host path gets the host's.
		writeRootFile(root+"/etc/"+name, content)
	}
	if err := syscall.Chdir(root); err != nil {
		return err
	}
	if err := syscall.PivotRoot(".", "."); err != nil {
		return wrap("pivot_root: ", err)
	}
	if err := syscall.Unmount(".", syscall.MNT_DETACH); err != nil {
		return wrap("detaching the host's root: ", err)
	}
	if err := syscall.Chdir("/"); err != nil {
		return err
	}
	// Nothing may be created at the top of the sandbox's root.
	if err := syscall.Mount("", "/", "", syscall.MS_REMOUNT|syscall.MS_RDONLY|syscall.MS_NOSUID|syscall.MS_NODEV, ""); err != nil {
		return wrap("making the root read-only: ", err)
	}
	return nil
}

// writeRootFile writes a file of the sandbox's root while no other thread
// of this process can fork. On the direct path Setup runs on one thread of
// the realizer while other threads start other builds: a child forked
// while the file is open inherits the descriptor until it executes its
// program, and that descriptor, open for writing, makes the kernel refuse
// to make the root read-only (EBUSY). syscall.ForkLock held for reading
// excludes forks; the sandbox's own first process (the helper path) never
// forks, so there it costs nothing.
func writeRootFile(path, content string) error {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	return os.WriteFile(path, []byte(content), 0o444)
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
		return wrap("bind mount: ", err)
	}
	if _, err := os.Lstat(target); err != nil {
		if st.IsDir() {
			err = os.MkdirAll(target, 0o755)
		} else if err = os.MkdirAll(target[:strings.LastIndexByte(target, '/')], 0o755); err == nil {
			// mknod, not open: an open file would be a writer on the
			// root's tmpfs (see writeRootFile).
			err = syscall.Mknod(target, syscall.S_IFREG|0o444, 0)
		}
		if err != nil {
			return wrap("making the mount point of "+m.Target+": ", err)
		}
	}
	if err := syscall.Mount(m.Source, target, "", syscall.MS_BIND|syscall.MS_REC, ""); err != nil {
		return wrap("bind mounting "+m.Source+" at "+m.Target+": ", err)
	}
	flags := uintptr(syscall.MS_BIND | syscall.MS_REMOUNT | syscall.MS_NOSUID)
	if nodev {
		flags |= syscall.MS_NODEV
	}
	if m.ReadOnly {
		flags |= syscall.MS_RDONLY
	}
	// Flags the source's mount has locked (in a user namespace) must be kept.
	var sf syscall.Statfs_t
	if syscall.Statfs(target, &sf) == nil {
		if sf.Flags&stNoexec != 0 {
			flags |= syscall.MS_NOEXEC
		}
		if sf.Flags&stNodev != 0 {
			flags |= syscall.MS_NODEV
		}
	}
	if err := syscall.Mount("", target, "", flags, ""); err != nil {
		return wrap("remounting "+m.Target+": ", err)
	}
	return nil
}

// devices are the harmless devices a build gets, with their numbers.
var devices = []struct {
	name         string
	major, minor uint32
}{{"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}}

// setupDev gives the sandbox a minimal /dev: a few harmless devices, a
// private /dev/shm and the usual symbolic links. With real root (mknod
// allowed) /dev is a tmpfs with device nodes made in it, which costs 7
// system calls instead of 18 for bind mounts; in a user namespace the
// nodes are bind-mounted from the host.
func setupDev(root string, canMknod bool) error {
	dev := root + "/dev"
	if err := os.MkdirAll(dev, 0o755); err != nil {
		return err
	}
	if canMknod {
		if err := syscall.Mount("dev", dev, "tmpfs", syscall.MS_NOSUID|syscall.MS_NOEXEC, "mode=0755"); err != nil {
			return wrap("mounting /dev: ", err)
		}
	}
	for _, d := range devices {
		if canMknod {
			rdev := int(d.major<<8 | d.minor)
			if err := syscall.Mknod(dev+"/"+d.name, syscall.S_IFCHR|0o666, rdev); err != nil {
				return wrap("making /dev/"+d.name+": ", err)
			}
			syscall.Chmod(dev+"/"+d.name, 0o666) // past the umask
			continue
		}
		if _, err := os.Stat("/dev/" + d.name); err != nil {
			continue
		}
		if err := bind(root, Mount{Source: "/dev/" + d.name, Target: "/dev/" + d.name}, false); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(dev+"/shm", 0o1777); err != nil {
		return err
	}
	if err := syscall.Mount("shm", dev+"/shm", "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, "mode=1777"); err != nil {
		return wrap("mounting /dev/shm: ", err)
	}
	for name, to := range map[string]string{"fd": "/proc/self/fd", "stdin": "/proc/self/fd/0", "stdout": "/proc/self/fd/1", "stderr": "/proc/self/fd/2"} {
		if err := os.Symlink(to, dev+"/"+name); err != nil {
			return err
		}
	}
	return nil
}

// ifreq is struct ifreq with the flags member of its union.
type ifreq struct {
	name  [16]byte
	flags uint16
	_     [22]byte
}

// loopbackUp brings up lo in the build's own network namespace, so that
// builds may talk to themselves and to nothing else.
func loopbackUp() error {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	var req ifreq
	copy(req.name[:], "lo")
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.SIOCGIFFLAGS, uintptr(unsafe.Pointer(&req))); errno != 0 {
		return errno
	}
	req.flags |= syscall.IFF_UP
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.SIOCSIFFLAGS, uintptr(unsafe.Pointer(&req))); errno != 0 {
		return errno
	}
	return nil
}

// wrap prefixes an error with what was being done.
func wrap(doing string, err error) error { return &wrapped{doing, err} }

type wrapped struct {
	doing string
	err   error
}

func (w *wrapped) Error() string { return w.doing + w.err.Error() }
func (w *wrapped) Unwrap() error { return w.err }
