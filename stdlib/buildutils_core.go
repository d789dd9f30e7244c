package stdlib

import (
	"os"
	"sort"
	"syscall"
	"time"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// The file-system procedures of Guile's core that build code uses
// (mkdir, symlink, stat, chmod, utime, chdir, system*...), in (guile) so
// that host-side programs and build scripts see them without an import,
// as in Guile. (ice-9 ftw) holds scandir. Failures are file errors that
// name the procedure and the file: "mkdir: mkdir /x: file exists".
var fileBuiltins = []*eval.Builtin{
	{Name: "mkdir", MinArgs: 1, MaxArgs: 2, Fn: builtinMkdir, Doc: "(mkdir path [mode]): create the directory path with mode (default #o777, less the umask); an error if it exists."},
	{Name: "rmdir", MinArgs: 1, MaxArgs: 1, Fn: pathOp("rmdir", func(p string) error { return syscall.Rmdir(p) }), Doc: "(rmdir path): remove the empty directory path."},
	{Name: "rename-file", MinArgs: 2, MaxArgs: 2, Fn: twoPathOp("rename-file", os.Rename), Doc: "(rename-file old new): rename old to new, replacing new if it exists."},
	{Name: "copy-file", MinArgs: 2, MaxArgs: 2, Fn: builtinCopyFile, Doc: "(copy-file source destination): copy the contents and permission bits of the regular file source to destination."},
	{Name: "link", MinArgs: 2, MaxArgs: 2, Fn: twoPathOp("link", os.Link), Doc: "(link old new): make new a hard link to old."},
	{Name: "symlink", MinArgs: 2, MaxArgs: 2, Fn: twoPathOp("symlink", os.Symlink), Doc: "(symlink target link): create the symbolic link link pointing to target."},
	{Name: "readlink", MinArgs: 1, MaxArgs: 1, Fn: builtinReadlink, Doc: "(readlink path): the target of the symbolic link path."},
	{Name: "chmod", MinArgs: 2, MaxArgs: 2, Fn: builtinChmod, Doc: "(chmod path mode): set the permission bits of path (of its target if it is a symbolic link) to mode, e.g. #o755."},
	{Name: "utime", MinArgs: 1, MaxArgs: 5, Fn: builtinUtime, Doc: "(utime path [atime [mtime [atimensec [mtimensec]]]]): set the access and modification times of path, in seconds since the epoch plus nanoseconds; omitted times are now."},
	statBuiltin, lstatBuiltin,
	{Name: "file-is-directory?", MinArgs: 1, MaxArgs: 1, Fn: builtinFileIsDirectory, Doc: "(file-is-directory? path): whether path is a directory (following symbolic links)."},
	{Name: "access?", MinArgs: 2, MaxArgs: 2, Fn: builtinAccess, Doc: "(access? path how): whether the process may access path as how says: F_OK (exists), or a sum of R_OK, W_OK, X_OK."},
	{Name: "getcwd", MinArgs: 0, MaxArgs: 0, Fn: builtinGetcwd, Doc: "(getcwd): the process's current working directory."},
	{Name: "chdir", MinArgs: 1, MaxArgs: 1, Fn: pathOp("chdir", os.Chdir), Doc: "(chdir path): make path the process's current working directory."},
	{Name: "umask", MinArgs: 0, MaxArgs: 1, Fn: builtinUmask, Doc: "(umask [mode]): the process's file-creation mask; with mode, set it and return the old one."},
	{Name: "setenv", MinArgs: 2, MaxArgs: 2, Fn: builtinSetenv, Doc: "(setenv name value): set the environment variable name to value, for this process and the programs it runs; value #f unsets it."},
	{Name: "unsetenv", MinArgs: 1, MaxArgs: 1, Fn: builtinUnsetenv, Doc: "(unsetenv name): remove the environment variable name."},
	{Name: "system*", MinArgs: 1, MaxArgs: -1, Fn: builtinSystemStar, Doc: "(system* program arg ...): run program (searched in PATH unless it contains a slash) with the arguments, wait for it and return its wait status (see status:exit-val); its output goes to the current output and error ports."},
	{Name: "status:exit-val", MinArgs: 1, MaxArgs: 1, Fn: builtinStatusExitVal, Doc: "(status:exit-val status): the exit code in a wait status that system* returned, or #f if the program was killed by a signal."},
	{Name: "status:term-sig", MinArgs: 1, MaxArgs: 1, Fn: builtinStatusTermSig, Doc: "(status:term-sig status): the signal that killed the program, or #f if it exited."},
}

// stat and lstat are named so that find-files can tell which it is given.
var (
	statBuiltin  = &eval.Builtin{Name: "stat", MinArgs: 1, MaxArgs: 2, Fn: statter("stat", os.Stat), Doc: "(stat path [exception-on-error?]): the status of path, following symbolic links, as a stat object (see stat:type and its kin); with exception-on-error? #f, #f when it does not exist."}
	lstatBuiltin = &eval.Builtin{Name: "lstat", MinArgs: 1, MaxArgs: 2, Fn: statter("lstat", os.Lstat), Doc: "(lstat path [exception-on-error?]): like stat, but a symbolic link is described itself."}
)

func init() {
	modules = append(modules,
		moduleSpec{name: []string{"guile"}, tables: [][]*eval.Builtin{fileBuiltins, statBuiltins}, extra: defineFileConstants},
		moduleSpec{name: []string{"ice-9", "ftw"}, tables: [][]*eval.Builtin{ftwBuiltins}},
	)
}

var ftwBuiltins = []*eval.Builtin{
	{Name: "scandir", MinArgs: 1, MaxArgs: 3, Fn: builtinScandir, Doc: "(scandir dir [select? [entry<?]]): the names in directory dir, \".\" and \"..\" included, that select? accepts, sorted by entry<? (default string<?); #f if dir cannot be read."},
}

// defineFileConstants defines the access? modes.
func defineFileConstants(th *eval.Thread, m *eval.Module) {
	m.Define("F_OK", lang.MakeInt(0))
	m.Define("X_OK", lang.MakeInt(1))
	m.Define("W_OK", lang.MakeInt(2))
	m.Define("R_OK", lang.MakeInt(4))
}

// fileErr makes err a file error (file-error? is true of it) that names
// proc: "mkdir: mkdir d: file exists".
func fileErr(proc string, err error) error { return &fileError{proc: proc, err: err} }

type fileError struct {
	proc string
	err  error
}

func (e *fileError) Error() string     { return e.proc + ": " + e.err.Error() }
func (e *fileError) Unwrap() error     { return e.err }
func (e *fileError) ErrorKind() string { return eval.KindFile }

func pathOp(proc string, op func(string) error) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		p, err := argString(proc, args, 0)
		if err != nil {
			return nil, err
		}
		if err := op(p.String()); err != nil {
			if _, ok := err.(syscall.Errno); ok {
				err = &os.PathError{Op: proc, Path: p.String(), Err: err}
			}
			return nil, fileErr(proc, err)
		}
		return lang.Unspec, nil
	}
}

func twoPathOp(proc string, op func(a, b string) error) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		a, err := argString(proc, args, 0)
		if err != nil {
			return nil, err
		}
		b, err := argString(proc, args, 1)
		if err != nil {
			return nil, err
		}
		if err := op(a.String(), b.String()); err != nil {
			return nil, fileErr(proc, err)
		}
		return lang.Unspec, nil
	}
}

// argMode reads a permission mode argument: 0 to #o7777.
func argMode(proc string, args []lang.Value, i int) (os.FileMode, error) {
	n, err := argInt(proc, args, i)
	if err != nil {
		return 0, err
	}
	if n < 0 || n > 0o7777 {
		return 0, rangeErrorf(proc, i, "mode #o%o is not between #o0 and #o7777", n)
	}
	return unixMode(uint32(n)), nil
}

// unixMode converts permission bits with setuid, setgid and sticky to Go's
// FileMode.
func unixMode(n uint32) os.FileMode {
	m := os.FileMode(n & 0o777)
	if n&0o4000 != 0 {
		m |= os.ModeSetuid
	}
	if n&0o2000 != 0 {
		m |= os.ModeSetgid
	}
	if n&0o1000 != 0 {
		m |= os.ModeSticky
	}
	return m
}

func builtinMkdir(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := argString("mkdir", args, 0)
	if err != nil {
		return nil, err
	}
	mode := os.FileMode(0o777)
	if len(args) > 1 {
		if mode, err = argMode("mkdir", args, 1); err != nil {
			return nil, err
		}
	}
	if err := os.Mkdir(p.String(), mode); err != nil {
		return nil, fileErr("mkdir", err)
	}
	return lang.Unspec, nil
}

func builtinCopyFile(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	src, err := argString("copy-file", args, 0)
	if err != nil {
		return nil, err
	}
	dst, err := argString("copy-file", args, 1)
	if err != nil {
		return nil, err
	}
	if err := copyRegularFile(src.String(), dst.String()); err != nil {
		return nil, fileErr("copy-file", err)
	}
	return lang.Unspec, nil
}

// copyRegularFile copies the bytes and permission bits (setuid, setgid
// and sticky included) of src, followed if it is a symbolic link, to dst,
// replacing dst's content.
func copyRegularFile(src, dst string) error {
	st, err := os.Stat(src)
	if err != nil {
		return err
	}
	if st.IsDir() {
		return &os.PathError{Op: "copy", Path: src, Err: syscall.EISDIR}
	}
	return copyFileMode(src, dst, permBits(st.Mode()))
}

// permBits is the part of mode that chmod sets: the permission bits with
// setuid, setgid and sticky.
func permBits(mode os.FileMode) os.FileMode {
	return mode & (os.ModePerm | os.ModeSetuid | os.ModeSetgid | os.ModeSticky)
}

func builtinReadlink(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := argString("readlink", args, 0)
	if err != nil {
		return nil, err
	}
	target, err := os.Readlink(p.String())
	if err != nil {
		return nil, fileErr("readlink", err)
	}
	return lang.NewString(target), nil
}

func builtinChmod(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := argString("chmod", args, 0)
	if err != nil {
		return nil, err
	}
	mode, err := argMode("chmod", args, 1)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(p.String(), mode); err != nil {
		return nil, fileErr("chmod", err)
	}
	return lang.Unspec, nil
}

func builtinUtime(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := argString("utime", args, 0)
	if err != nil {
		return nil, err
	}
	// given returns argument i when it is present and not #f.
	given := func(i int) (int64, bool, error) {
		if i >= len(args) || args[i] == lang.Value(lang.False) {
			return 0, false, nil
		}
		n, err := argInt("utime", args, i)
		if err == nil && i >= 3 && (n < 0 || n >= 1e9) {
			err = rangeErrorf("utime", i, "nanoseconds %d not between 0 and 999999999", n)
		}
		return int64(n), true, err
	}
	now := time.Now()
	times := [2]time.Time{now, now}
	for k := range times {
		s, ok, err := given(1 + k)
		if err != nil {
			return nil, err
		}
		ns, _, err := given(3 + k)
		if err != nil {
			return nil, err
		}
		if ok {
			times[k] = time.Unix(s, ns)
		}
	}
	if err := os.Chtimes(p.String(), times[0], times[1]); err != nil {
		return nil, fileErr("utime", err)
	}
	return lang.Unspec, nil
}

func builtinFileIsDirectory(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := argString("file-is-directory?", args, 0)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(p.String())
	return lang.MakeBool(err == nil && st.IsDir()), nil
}

func builtinAccess(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := argString("access?", args, 0)
	if err != nil {
		return nil, err
	}
	how, err := argInt("access?", args, 1)
	if err != nil {
		return nil, err
	}
	if how < 0 || how > 7 {
		return nil, rangeErrorf("access?", 1, "mode %d is not F_OK or a sum of R_OK, W_OK and X_OK", how)
	}
	return lang.MakeBool(syscall.Access(p.String(), uint32(how)) == nil), nil
}

func builtinGetcwd(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	dir, err := os.Getwd()
	if err != nil {
		return nil, fileErr("getcwd", err)
	}
	return lang.NewString(dir), nil
}

func builtinUmask(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if len(args) == 0 {
		old := syscall.Umask(0)
		syscall.Umask(old)
		return lang.MakeInt(int64(old)), nil
	}
	n, err := argInt("umask", args, 0)
	if err != nil {
		return nil, err
	}
	if n < 0 || n > 0o777 {
		return nil, rangeErrorf("umask", 0, "mask #o%o is not between #o0 and #o777", n)
	}
	return lang.MakeInt(int64(syscall.Umask(n))), nil
}

func builtinSetenv(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	name, err := argString("setenv", args, 0)
	if err != nil {
		return nil, err
	}
	if args[1] == lang.Value(lang.False) {
		os.Unsetenv(name.String())
		return lang.Unspec, nil
	}
	value, err := argString("setenv", args, 1)
	if err != nil {
		return nil, err
	}
	if err := os.Setenv(name.String(), value.String()); err != nil {
		return nil, rangeErrorf("setenv", 0, "%v", err)
	}
	return lang.Unspec, nil
}

func builtinUnsetenv(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	name, err := argString("unsetenv", args, 0)
	if err != nil {
		return nil, err
	}
	os.Unsetenv(name.String())
	return lang.Unspec, nil
}

func builtinScandir(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	dir, err := argString("scandir", args, 0)
	if err != nil {
		return nil, err
	}
	var sel, less lang.Value
	if len(args) > 1 {
		if sel, err = argProc("scandir", args, 1); err != nil {
			return nil, err
		}
	}
	if len(args) > 2 {
		if less, err = argProc("scandir", args, 2); err != nil {
			return nil, err
		}
	}
	entries, err := os.ReadDir(dir.String())
	if err != nil {
		return lang.False, nil
	}
	names := []string{".", ".."}
	for _, e := range entries {
		names = append(names, e.Name())
	}
	var items []lang.Value
	for _, n := range names {
		v := lang.Value(lang.NewString(n))
		if sel != nil {
			ok, err := call(th, sel, v)
			if err != nil {
				return nil, err
			}
			if ok == lang.Value(lang.False) {
				continue
			}
		}
		items = append(items, v)
	}
	if less == nil {
		sort.SliceStable(items, func(i, j int) bool { return items[i].(*lang.String).String() < items[j].(*lang.String).String() })
		return sliceToList(items, lang.Nil), nil
	}
	var callErr error
	sort.SliceStable(items, func(i, j int) bool {
		if callErr != nil {
			return false
		}
		r, err := call(th, less, items[i], items[j])
		if err != nil {
			callErr = err
			return false
		}
		return r != lang.Value(lang.False)
	})
	if callErr != nil {
		return nil, callErr
	}
	return sliceToList(items, lang.Nil), nil
}
