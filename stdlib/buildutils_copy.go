package stdlib

import (
	"io"
	"io/fs"
	"os"
	"strings"
	"syscall"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// copy-recursively, in Go.

// copier holds one copy-recursively's options.
type copier struct {
	th                       *eval.Thread
	follow, keepMtime, perms bool
	log                      *Port
	selectP                  lang.Value
	logLine                  []byte
	onPath                   dirPath
	copyFile                 lang.Value // a procedure of (source destination), or nil
}

// dirPath is the set of directories being walked, from the top to the
// current one, by device and inode: following symbolic links, a link to
// one of them would make the walk endless.
type dirPath map[[2]uint64]bool

// enter adds directory p, whose status is fi, to the path, or fails if
// it is already on it; leave removes it.
func (d *dirPath) enter(p string, fi fs.FileInfo) (leave func(), err error) {
	var s Stat
	fillSysStat(&s, fi.Sys())
	if s.Ino == 0 {
		return func() {}, nil // no inode numbers: nothing to compare
	}
	key := [2]uint64{s.Dev, s.Ino}
	if (*d)[key] {
		return nil, &os.PathError{Op: "walk", Path: p, Err: syscall.ELOOP}
	}
	if *d == nil {
		*d = dirPath{}
	}
	(*d)[key] = true
	return func() { delete(*d, key) }, nil
}

func builtinCopyRecursively(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	const proc = "copy-recursively"
	src, err := argString(proc, args, 0)
	if err != nil {
		return nil, err
	}
	dst, err := argString(proc, args, 1)
	if err != nil {
		return nil, err
	}
	kw, err := keywordArgs(proc, args[2:], 2, "log", "follow-symlinks?", "keep-mtime?", "keep-permissions?", "select?", "copy-file")
	if err != nil {
		return nil, err
	}
	c := &copier{th: th, follow: kwFlag(kw, "follow-symlinks?", false), keepMtime: kwFlag(kw, "keep-mtime?", false), perms: kwFlag(kw, "keep-permissions?", true)}
	if c.log, err = optOutPort(proc, kw, "log", CurrentOutputPort(th)); err != nil {
		return nil, err
	}
	if c.selectP, err = optProc(proc, kw, "select?"); err != nil {
		return nil, err
	}
	if c.copyFile, err = optProc(proc, kw, "copy-file"); err != nil {
		return nil, err
	}
	if b, ok := c.copyFile.(*eval.Builtin); ok && b.Name == "copy-file" {
		c.copyFile = nil // the core's: copied in Go, #:keep-permissions? applies
	}
	source := strings.TrimRight(src.String(), "/")
	if source == "" {
		source = "/"
	}
	if err := c.copy(source, dst.String(), true); err != nil {
		return nil, err
	}
	return lang.Unspec, nil
}

func (c *copier) stat(p string) (fs.FileInfo, error) {
	if c.follow {
		return os.Stat(p)
	}
	return os.Lstat(p)
}

// copy copies src to dst: a directory's entries in name order, files and
// links one by one.
func (c *copier) copy(src, dst string, top bool) error {
	const proc = "copy-recursively"
	fi, err := c.stat(src)
	if err != nil {
		return fileErr(proc, err)
	}
	if c.selectP != nil && !top {
		ok, err := call(c.th, c.selectP, lang.NewString(src), statOf(fi))
		if err != nil {
			return err
		}
		if !lang.IsTrue(ok) {
			return nil
		}
	}
	switch {
	case fi.IsDir():
		if c.follow {
			leave, err := c.onPath.enter(src, fi)
			if err != nil {
				return fileErr(proc, err)
			}
			defer leave()
		}
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return fileErr(proc, err)
		}
		entries, err := os.ReadDir(src)
		if err != nil {
			return fileErr(proc, err)
		}
		for _, e := range entries {
			if err := c.copy(src+"/"+e.Name(), dst+"/"+e.Name(), false); err != nil {
				return err
			}
		}
		if c.keepMtime {
			if err := os.Chtimes(dst, fi.ModTime(), fi.ModTime()); err != nil {
				return fileErr(proc, err)
			}
		}
		return nil
	case fi.Mode()&os.ModeSymlink != 0:
		target, err := os.Readlink(src)
		if err != nil {
			return fileErr(proc, err)
		}
		c.note(src, dst)
		if err := os.Symlink(target, dst); err != nil {
			return fileErr(proc, err)
		}
		return nil
	case fi.Mode().IsRegular():
		c.note(src, dst)
		if c.copyFile != nil {
			if _, err := call(c.th, c.copyFile, lang.NewString(src), lang.NewString(dst)); err != nil {
				return err
			}
		} else if err := copyFileMode(src, dst, c.mode(fi)); err != nil {
			return fileErr(proc, err)
		}
		if c.keepMtime {
			if err := os.Chtimes(dst, fi.ModTime(), fi.ModTime()); err != nil {
				return fileErr(proc, err)
			}
		}
		return nil
	}
	return procErrorf(proc, "%s: cannot copy a %s", src, statOf(fi).fileType())
}

// mode is the mode a copy of the regular file fi gets: its own with
// #:keep-permissions?, else #o644, or #o755 when it is executable.
func (c *copier) mode(fi fs.FileInfo) os.FileMode {
	switch {
	case c.perms:
		return permBits(fi.Mode())
	case fi.Mode().Perm()&0o111 != 0:
		return 0o755
	}
	return 0o644
}

// note logs a copy as Guix does: `src' -> `dst'.
func (c *copier) note(src, dst string) {
	if c.log == nil {
		return
	}
	c.logLine = append(c.logLine[:0], '`')
	c.logLine = append(c.logLine, src...)
	c.logLine = append(c.logLine, "' -> `"...)
	c.logLine = append(c.logLine, dst...)
	c.logLine = append(c.logLine, "'\n"...)
	c.log.Write(c.logLine)
}

// copyFileMode copies the regular file src to dst, replacing its content,
// and gives dst exactly mode: neither the umask nor the mode of a dst
// that existed applies.
func copyFileMode(src, dst string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Chmod(mode); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
