package stdlib

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// The Go half of (fruix build utils): walking, copying and deleting file
// trees, and copying ports, which build programs do on thousands of files
// and so want at Go's speed. They live in (fruix build primitives), a
// native module every thread has, the build side's included; the Scheme
// half, stdlib/scm/fruix/build/utils.scm, gives them Guix's keyword
// interfaces.

// BuildPrimitivesModule is the name of the native module that holds the
// Go primitives of the build-side modules.
var BuildPrimitivesModule = []string{"fruix", "build", "primitives"}

var treeBuiltins = []*eval.Builtin{
	{Name: "copy-recursively", MinArgs: 2, MaxArgs: -1, Fn: builtinCopyRecursively, Doc: "(copy-recursively source destination #:log #:follow-symlinks? #:keep-mtime? #:keep-permissions? #:select?): copy the tree source to destination, creating directories as needed. Symbolic links are copied as links unless #:follow-symlinks?; permissions are kept unless #:keep-permissions? is #f (then files become #o644, or #o755 when executable); with #:keep-mtime? the modification times too. Each copy is logged to #:log (default the current output port; #f for none) as `source' -> `destination'. #:select?, a procedure of (file stat), chooses what is copied; #:copy-file, a procedure of (source destination), copies each regular file instead of the built-in copy."},
	{Name: "find-files", MinArgs: 1, MaxArgs: -1, Fn: builtinFindFiles, Doc: "(find-files dir [pred] #:stat #:directories? #:fail-on-error?): the sorted list of the files under dir that pred accepts: a regular expression (a pattern string or a regexp) matched against base names, or a procedure of (file stat); absent, every file. Directories are listed only with #:directories?. #:stat is lstat (the default: symbolic links are not followed) or stat. Unreadable directories are warned about and skipped, unless #:fail-on-error?."},
	{Name: "delete-file-recursively", MinArgs: 1, MaxArgs: 3, Fn: builtinDeleteFileRecursively, Doc: "(delete-file-recursively dir #:follow-mounts?): delete dir and everything under it, without following symbolic links and, unless #:follow-mounts?, without entering other file systems; read-only directories are made writable first. What cannot be deleted is reported as a warning; a missing dir is no error."},
	{Name: "dump-port", MinArgs: 2, MaxArgs: 4, Fn: builtinDumpPort, Doc: "(dump-port in out #:buffer-size): copy everything left in the input port in to the output port out, #:buffer-size bytes at a time (default 32768); the number of bytes copied."},
}

// buildKeywords reads the keyword arguments args[from:] of proc, which
// accepts names: a map from name (without #:) to value.
func buildKeywords(proc string, args []lang.Value, from int, names ...string) (map[string]lang.Value, error) {
	kw := map[string]lang.Value{}
	for i := from; i < len(args); i += 2 {
		k, ok := args[i].(*lang.Keyword)
		if !ok {
			return nil, wrongType(proc, i, "keyword (#:"+strings.Join(names, " #:")+")", args[i])
		}
		known := false
		for _, n := range names {
			known = known || n == k.Name
		}
		if !known {
			return nil, procErrorf(proc, "unknown keyword #:%s (known: #:%s)", k.Name, strings.Join(names, " #:"))
		}
		if i+1 == len(args) {
			return nil, procErrorf(proc, "keyword #:%s without a value", k.Name)
		}
		if _, dup := kw[k.Name]; dup {
			return nil, procErrorf(proc, "keyword #:%s given twice", k.Name)
		}
		kw[k.Name] = args[i+1]
	}
	return kw, nil
}

// kwFlag returns keyword name's value as a boolean, def when absent.
func kwFlag(kw map[string]lang.Value, name string, def bool) bool {
	v, ok := kw[name]
	if !ok {
		return def
	}
	return isTrue(v)
}

func init() {
	modules = append(modules, moduleSpec{name: BuildPrimitivesModule, tables: [][]*eval.Builtin{treeBuiltins, invokeBuiltins}})
}

// optProc returns keyword name's value: a procedure, or nil for #f or
// absent.
func optProc(proc string, kw map[string]lang.Value, name string) (lang.Value, error) {
	v, ok := kw[name]
	if !ok || v == lang.Value(lang.False) {
		return nil, nil
	}
	if _, err := argProc(proc, []lang.Value{v}, 0); err != nil {
		return nil, procErrorf(proc, "#:%s: want procedure, got %s", name, lang.TypeName(v))
	}
	return v, nil
}

// optOutPort returns keyword name's value: an open output port, nil for
// #f, def when absent.
func optOutPort(proc string, kw map[string]lang.Value, name string, def *Port) (*Port, error) {
	v, ok := kw[name]
	if !ok {
		return def, nil
	}
	if v == lang.Value(lang.False) {
		return nil, nil
	}
	p, ok := v.(*Port)
	if !ok || !p.isOutput() {
		return nil, procErrorf(proc, "#:%s: want output port or #f, got %s", name, lang.TypeName(v))
	}
	if p.outClosed {
		return nil, procErrorf(proc, "output port %s is closed", p.name)
	}
	return p, nil
}

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
	kw, err := buildKeywords(proc, args, 2, "log", "follow-symlinks?", "keep-mtime?", "keep-permissions?", "select?", "copy-file")
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

func isTrue(v lang.Value) bool { return v != lang.Value(lang.False) }

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
		if !isTrue(ok) {
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
		} else if err := copyFileMode(src, dst, fi, c.perms); err != nil {
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

// copyFileMode copies the regular file src, whose status is fi, to dst
// (replacing it); with perms its permission bits are kept, else dst is
// #o644, or #o755 when src is executable.
func copyFileMode(src, dst string, fi fs.FileInfo, perms bool) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	mode := fi.Mode().Perm()
	if !perms {
		mode = 0o644
		if fi.Mode().Perm()&0o111 != 0 {
			mode = 0o755
		}
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode|0o200)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if mode&0o200 == 0 {
		if err := out.Chmod(mode); err != nil {
			out.Close()
			return err
		}
	}
	return out.Close()
}

// finder holds one find-files's options.
type finder struct {
	th                   *eval.Thread
	re                   *Regexp
	pred                 lang.Value
	follow, dirs, strict bool
	found                []string
	onPath               dirPath
}

func builtinFindFiles(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	const proc = "find-files"
	dir, err := argString(proc, args, 0)
	if err != nil {
		return nil, err
	}
	var pred lang.Value = lang.NewString("")
	from := 1
	if len(args) > 1 {
		if _, isKey := args[1].(*lang.Keyword); !isKey {
			pred, from = args[1], 2
		}
	}
	kw, err := buildKeywords(proc, args, from, "stat", "directories?", "fail-on-error?")
	if err != nil {
		return nil, err
	}
	f := &finder{th: th, dirs: kwFlag(kw, "directories?", false), strict: kwFlag(kw, "fail-on-error?", false)}
	if st, ok := kw["stat"]; ok {
		switch st {
		case lang.Value(statBuiltin):
			f.follow = true
		case lang.Value(lstatBuiltin):
		default:
			return nil, procErrorf(proc, "#:stat must be stat or lstat, got %s", lang.WriteString(st))
		}
	}
	switch p := pred.(type) {
	case *Regexp:
		f.re = p
	case *lang.String:
		re, err := compileRegexp(proc, args, p.String(), 0)
		if err != nil {
			return nil, err
		}
		f.re = re
	default:
		if _, err := argProc(proc, args, 1); err != nil {
			return nil, wrongType(proc, 1, "regexp, pattern string or procedure", args[1])
		}
		f.pred = p
	}
	if err := f.walk(dir.String()); err != nil {
		return nil, err
	}
	sort.Strings(f.found)
	return stringList(f.found), nil
}

func (f *finder) stat(p string) (fs.FileInfo, error) {
	if f.follow {
		return os.Stat(p)
	}
	return os.Lstat(p)
}

func (f *finder) matches(p string, fi fs.FileInfo) (bool, error) {
	if f.re != nil {
		return f.re.re.MatchString(filepath.Base(p)), nil
	}
	ok, err := call(f.th, f.pred, lang.NewString(p), statOf(fi))
	return err == nil && isTrue(ok), err
}

// failed reports a file that cannot be read: an error with fail-on-error?,
// else a warning on the current error port.
func (f *finder) failed(err error) error {
	if f.strict {
		return fileErr("find-files", err)
	}
	fmt.Fprintf(CurrentErrorPort(f.th), "find-files: %v\n", err)
	return nil
}

func (f *finder) walk(p string) error {
	fi, err := f.stat(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !f.strict {
			return nil
		}
		return f.failed(err)
	}
	if !fi.IsDir() {
		ok, err := f.matches(p, fi)
		if ok {
			f.found = append(f.found, p)
		}
		return err
	}
	if f.dirs {
		ok, err := f.matches(p, fi)
		if err != nil {
			return err
		}
		if ok {
			f.found = append(f.found, p)
		}
	}
	if f.follow {
		leave, err := f.onPath.enter(p, fi)
		if err != nil {
			return f.failed(err)
		}
		defer leave()
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return f.failed(err)
	}
	for _, e := range entries {
		if err := f.walk(strings.TrimSuffix(p, "/") + "/" + e.Name()); err != nil {
			return err
		}
	}
	return nil
}

func builtinDeleteFileRecursively(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	dir, err := argString("delete-file-recursively", args, 0)
	if err != nil {
		return nil, err
	}
	kw, err := buildKeywords("delete-file-recursively", args, 1, "follow-mounts?")
	if err != nil {
		return nil, err
	}
	d := &deleter{th: th, followMounts: kwFlag(kw, "follow-mounts?", false)}
	root, err := os.Lstat(dir.String())
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			d.warn(err)
		}
		return lang.Unspec, nil
	}
	d.dev = deviceOf(root)
	d.remove(dir.String(), root)
	return lang.Unspec, nil
}

type deleter struct {
	th           *eval.Thread
	followMounts bool
	dev          uint64
}

// warn reports what could not be deleted, as Guix does, and goes on.
func (d *deleter) warn(err error) {
	fmt.Fprintf(CurrentErrorPort(d.th), "warning: delete-file-recursively: %v\n", err)
}

// remove deletes p, whose status is fi, and what it holds, without
// following symbolic links and, unless followMounts, without entering
// other file systems. Read-only directories are made writable first.
func (d *deleter) remove(p string, fi fs.FileInfo) {
	if fi.IsDir() {
		if !d.followMounts && deviceOf(fi) != d.dev {
			return
		}
		if fi.Mode().Perm()&0o700 != 0o700 {
			os.Chmod(p, fi.Mode().Perm()|0o700)
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			d.warn(err)
		}
		for _, e := range entries {
			child := p + "/" + e.Name()
			cfi, err := os.Lstat(child)
			if err != nil {
				d.warn(err)
				continue
			}
			d.remove(child, cfi)
		}
		if err := syscall.Rmdir(p); err != nil {
			d.warn(&os.PathError{Op: "rmdir", Path: p, Err: err})
		}
		return
	}
	if err := os.Remove(p); err != nil {
		d.warn(err)
	}
}

func deviceOf(fi fs.FileInfo) uint64 {
	var s Stat
	fillSysStat(&s, fi.Sys())
	return s.Dev
}

func builtinDumpPort(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	in, err := inPort(th, "dump-port", args, 0)
	if err != nil {
		return nil, err
	}
	out, err := outPort(th, "dump-port", args, 1)
	if err != nil {
		return nil, err
	}
	kw, err := buildKeywords("dump-port", args, 2, "buffer-size")
	if err != nil {
		return nil, err
	}
	size := 32 * 1024
	if v, ok := kw["buffer-size"]; ok {
		n, isInt := v.(lang.Fixnum)
		if !isInt || n < 1 {
			return nil, procErrorf("dump-port", "#:buffer-size: want a positive integer, got %s", lang.WriteString(v))
		}
		size = int(n)
	}
	n, err := io.CopyBuffer(out, struct{ io.Reader }{in.in}, make([]byte, size))
	if err != nil {
		return nil, fileErr("dump-port", err)
	}
	return lang.MakeInt(n), nil
}
