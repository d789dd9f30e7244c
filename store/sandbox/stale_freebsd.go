//go:build freebsd

package sandbox

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// removeStaleRoot cleans up after a jail build whose realizer was killed:
// FreeBSD has no mount namespace that would have vanished with it. The
// jails rooted under path are removed (killing what still runs in them),
// the file systems mounted under it unmounted, deepest first, and the
// directory removed if it is then empty. Nothing is deleted recursively:
// a mount that will not go away is left alone.
func removeStaleRoot(path string) {
	for _, jid := range jailsUnder(path) {
		unix.Syscall(unix.SYS_JAIL_REMOVE, uintptr(jid), 0, 0)
	}
	n, err := unix.Getfsstat(nil, unix.MNT_NOWAIT)
	if err == nil && n > 0 {
		buf := make([]unix.Statfs_t, n)
		if n, err = unix.Getfsstat(buf, unix.MNT_NOWAIT); err == nil {
			var mounts []string
			for _, fs := range buf[:n] {
				on := unix.ByteSliceToString(fs.Mntonname[:])
				if on == path || strings.HasPrefix(on, path+"/") {
					mounts = append(mounts, on)
				}
			}
			sort.Sort(sort.Reverse(sort.StringSlice(mounts)))
			for _, m := range mounts {
				if unix.Unmount(m, 0) != nil {
					unix.Unmount(m, unix.MNT_FORCE)
				}
			}
		}
	}
	os.Remove(path)
}

// jailsUnder lists the jails whose root is path or below it, iterating
// over all jails with jail_get(2)'s "lastjid" parameter.
func jailsUnder(path string) []int {
	var found []int
	lastjid := int32(0)
	for {
		jid := int32(0)
		jpath := make([]byte, unix.PathMax)
		params := [][2][]byte{
			{[]byte("lastjid\x00"), int32Bytes(&lastjid)},
			{[]byte("jid\x00"), int32Bytes(&jid)},
			{[]byte("path\x00"), jpath},
		}
		iov := make([]unix.Iovec, 0, 2*len(params))
		for _, p := range params {
			for _, b := range p {
				v := unix.Iovec{Base: &b[0]}
				v.SetLen(len(b))
				iov = append(iov, v)
			}
		}
		r, _, errno := unix.Syscall(unix.SYS_JAIL_GET, uintptr(unsafe.Pointer(&iov[0])), uintptr(len(iov)), 0)
		if errno != 0 || int32(r) <= 0 {
			return found
		}
		lastjid = int32(r)
		p := filepath.Clean(unix.ByteSliceToString(jpath))
		if p == path || strings.HasPrefix(p, path+"/") {
			found = append(found, int(r))
		}
	}
}

func int32Bytes(v *int32) []byte { return unsafe.Slice((*byte)(unsafe.Pointer(v)), 4) }
