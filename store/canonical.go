package store

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// canonicalMtime is the modification time of every file in the store:
// one second after the epoch, as in Nix and Guix.
const canonicalMtime = 1

// Canonicalize gives the tree at path the canonical form of the store:
// regular files 0444 (0555 if any execute bit was set), directories 0555,
// no setuid, setgid or sticky bits, every mtime 1, and, when running as
// root, owned by the owner of the store directory.
func (s *Store) Canonicalize(path string) error {
	uid, gid := -1, -1
	if os.Geteuid() == 0 {
		if fi, err := os.Stat(string(s.dir)); err == nil {
			if st, ok := fi.Sys().(*syscall.Stat_t); ok {
				uid, gid = int(st.Uid), int(st.Gid)
			}
		}
	}
	return canonicalize(path, uid, gid)
}

func canonicalize(path string, uid, gid int) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	mode := fi.Mode()
	if mode.IsDir() {
		// Children first: the directory may not be writable afterwards.
		entries, err := os.ReadDir(path)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := canonicalize(filepath.Join(path, e.Name()), uid, gid); err != nil {
				return err
			}
		}
	}
	if uid >= 0 {
		if err := os.Lchown(path, uid, gid); err != nil {
			return err
		}
	}
	if mode&fs.ModeSymlink == 0 {
		perm := os.FileMode(0o444)
		if mode.IsDir() || mode&0o111 != 0 {
			perm = 0o555
		}
		if mode&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky) != perm {
			if err := os.Chmod(path, perm); err != nil {
				return err
			}
		}
	}
	ts := []unix.Timespec{{Sec: canonicalMtime}, {Sec: canonicalMtime}}
	return unix.UtimesNanoAt(unix.AT_FDCWD, path, ts, unix.AT_SYMLINK_NOFOLLOW)
}

// makeWritable gives the owner write permission on every directory of the
// tree at path, so that it can be deleted or modified.
func makeWritable(path string) error {
	return filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Chmod(p, 0o755)
		}
		return nil
	})
}

// removeTree deletes the tree at path even if it is canonical (read-only).
func removeTree(path string) error {
	if err := os.RemoveAll(path); err == nil {
		return nil
	}
	makeWritable(path)
	return os.RemoveAll(path)
}

func lstat(p string) (os.FileInfo, error) { return os.Lstat(p) }
