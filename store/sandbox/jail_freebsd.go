//go:build freebsd

package sandbox

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Jail isolates builds in a FreeBSD jail: a tmpfs root with the inputs
// mounted read-only by nullfs, the outputs' staging directory and the
// build directory mounted read-write, devfs with the jail ruleset, no IP
// address unless the build is fixed-output, and the builder attached to
// the jail with a build user's credentials. Everything is torn down after
// the build: jail_remove kills whatever the build left running, then the
// mounts are undone in reverse order.
type Jail struct{}

func (Jail) Name() string { return "jail" }

func available() []string { return []string{"jail", "none"} }

func newBackend(name string) (Sandbox, error) {
	if name == "jail" {
		return Jail{}, nil
	}
	return nil, fmt.Errorf("sandbox: backend %q is not available on FreeBSD (choose auto, jail or none)", name)
}

var jailSerial atomic.Int64

const jailCreate = 0x01 // JAIL_CREATE

func (Jail) Run(ctx context.Context, spec *Spec) (res *Result, err error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if os.Geteuid() != 0 {
		return nil, fmt.Errorf("sandbox jail: jails need root; use --sandbox=none for unprivileged experiments")
	}
	stateDir := spec.StateDir
	if stateDir == "" {
		stateDir = os.TempDir()
	}
	user, err := AcquireBuildUser(stateDir)
	if err != nil {
		return nil, err
	}
	defer user.Release()
	staging, err := os.MkdirTemp(spec.StoreDir, StagingPrefix)
	if err != nil {
		return nil, fmt.Errorf("sandbox jail: making the build's store view: %w", err)
	}
	defer RemoveAll(staging)
	for _, d := range []string{staging, spec.BuildDir} {
		if err := os.Chown(d, user.UID, user.GID); err != nil {
			return nil, fmt.Errorf("sandbox jail: giving %s to the build user: %w", d, err)
		}
	}
	root, err := makeRootMountPoint(stateDir)
	if err != nil {
		return nil, err
	}
	defer os.Remove(root)
	plan, err := MountPlan(spec, staging)
	if err != nil {
		return nil, err
	}
	mounted, err := mountJailFS(JailMountPlan(plan, root, isDir))
	defer unmountAll(mounted)
	if err != nil {
		return nil, err
	}
	if err := writeJailEtc(root, user); err != nil {
		return nil, err
	}
	name := "fruix-build-" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(jailSerial.Add(1), 10)
	jid, err := jailCreateFromParams(JailParams(spec, root, name))
	if err != nil {
		return nil, err
	}
	removed := false
	remove := func() {
		if !removed {
			removed = true
			unix.Syscall(unix.SYS_JAIL_REMOVE, uintptr(jid), 0, 0)
		}
	}
	defer remove()

	cmd := &exec.Cmd{
		Path: builderInside(spec),
		Args: append([]string{builderInside(spec)}, spec.Args...),
		Env:  Environment(spec, SandboxBuildDir),
		Dir:  SandboxBuildDir,
		SysProcAttr: &syscall.SysProcAttr{
			Jail:       jid,
			Setsid:     true, // no controlling terminal: /dev/tty cannot reach the user
			Credential: &syscall.Credential{Uid: uint32(user.UID), Gid: uint32(user.GID), Groups: []uint32{uint32(user.GID)}},
		},
	}
	// Removing the jail kills every process in it, however it was started.
	res, err = supervise(ctx, cmd, spec, remove, nil)
	if err != nil {
		return nil, fmt.Errorf("sandbox jail: cannot run the builder %s: %w (is it an input or a listed host path?)", spec.Builder, err)
	}
	remove()
	res.BuildUID = user.UID
	unmountAll(mounted)
	mounted = nil
	if res.OK() {
		if err := collectOutputs(spec, staging); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// mountJailFS makes the mounts in order and returns those made, for
// unmountAll, even when one fails.
func mountJailFS(plan []JailMount) ([]string, error) {
	var done []string
	for _, m := range plan {
		if m.Copy != "" {
			if err := copyReadOnly(m.Copy, m.Path); err != nil {
				return done, fmt.Errorf("sandbox jail: %w", err)
			}
			continue
		}
		if err := os.MkdirAll(m.Path, 0o755); err != nil {
			return done, fmt.Errorf("sandbox jail: mount point %s: %w", m.Path, err)
		}
		flags := unix.MNT_NOSUID
		if m.ReadOnly {
			flags |= unix.MNT_RDONLY
		}
		if err := nmount(NmountIovecs(m), flags); err != nil {
			return done, fmt.Errorf("sandbox jail: mounting %s on %s: %w", m.FSType, m.Path, err)
		}
		done = append(done, m.Path)
	}
	return done, nil
}

// unmountAll undoes mounts in reverse order.
func unmountAll(paths []string) {
	for i := len(paths) - 1; i >= 0; i-- {
		if err := unix.Unmount(paths[i], 0); err != nil {
			unix.Unmount(paths[i], unix.MNT_FORCE)
		}
	}
}

func nmount(pairs [][2]string, flags int) error {
	iov := make([]unix.Iovec, 0, 2*len(pairs))
	keep := make([][]byte, 0, 2*len(pairs))
	for _, p := range pairs {
		for _, s := range p {
			b := append([]byte(s), 0)
			keep = append(keep, b)
			v := unix.Iovec{Base: &b[0]}
			v.SetLen(len(b))
			iov = append(iov, v)
		}
	}
	_, _, errno := unix.Syscall(unix.SYS_NMOUNT, uintptr(unsafe.Pointer(&iov[0])), uintptr(len(iov)), uintptr(flags))
	_ = keep
	if errno != 0 {
		return errno
	}
	return nil
}

// jailCreateFromParams calls jail_set(2) with JAIL_CREATE and returns the
// new jail's id; the kernel's own message ("errmsg") explains failures.
func jailCreateFromParams(params []JailParam) (int, error) {
	var iov []unix.Iovec
	var keep [][]byte
	add := func(b []byte) {
		keep = append(keep, b)
		v := unix.Iovec{}
		if len(b) > 0 {
			v.Base = &b[0]
		}
		v.SetLen(len(b))
		iov = append(iov, v)
	}
	for _, p := range params {
		n, v := EncodeJailParam(p)
		add(n)
		add(v)
	}
	errmsg := make([]byte, 256)
	add([]byte("errmsg\x00"))
	add(errmsg)
	jid, _, errno := unix.Syscall(unix.SYS_JAIL_SET, uintptr(unsafe.Pointer(&iov[0])), uintptr(len(iov)), jailCreate)
	_ = keep
	if errno != 0 {
		msg := string(errmsg[:max(0, indexNUL(errmsg))])
		if msg == "" {
			msg = errno.Error()
		}
		return 0, fmt.Errorf("sandbox jail: jail_set: %s", msg)
	}
	return int(jid), nil
}

func indexNUL(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return len(b)
}

func copyReadOnly(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	mode := os.FileMode(0o444)
	if st.Mode()&0o111 != 0 {
		mode = 0o555
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

func writeJailEtc(root string, user *BuildUser) error {
	etc := filepath.Join(root, "etc")
	if err := os.MkdirAll(etc, 0o755); err != nil {
		return err
	}
	files := map[string]string{
		"passwd": passwdFile(user.UID, user.GID, user.Name),
		"group":  groupFile(user.GID, user.Name),
		"hosts":  "127.0.0.1 localhost\n::1 localhost\n",
	}
	for name, content := range files {
		p := filepath.Join(etc, name)
		if _, err := os.Lstat(p); err == nil {
			continue // a listed host path provides it
		}
		if err := os.WriteFile(p, []byte(content), 0o444); err != nil {
			return err
		}
	}
	// FreeBSD's C library reads users from pwd.db, which pwd_mkdb builds
	// from master.passwd.
	master := filepath.Join(etc, "master.passwd")
	if _, err := os.Lstat(master); err == nil {
		return nil
	}
	content := fmt.Sprintf("root:*:0:0::0:0:root:/root:/bin/sh\n%s:*:%d:%d::0:0:Fruix build user:%s:/usr/sbin/nologin\nnobody:*:65534:65534::0:0:nobody:/nonexistent:/usr/sbin/nologin\n",
		user.Name, user.UID, user.GID, HomelessShelter)
	if err := os.WriteFile(master, []byte(content), 0o600); err != nil {
		return err
	}
	if out, err := exec.Command("/usr/sbin/pwd_mkdb", "-p", "-d", etc, master).CombinedOutput(); err != nil {
		return fmt.Errorf("sandbox jail: pwd_mkdb: %v: %s", err, out)
	}
	return nil
}
