package stdlib

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// The Go half of (fruix build utils): walking, copying and deleting file
// trees, and copying ports, which build programs do on thousands of files
// and so want at Go's speed, with Guix's keyword arguments. They live in
// (fruix build primitives), a native module every thread has, the build
// side's included; the Scheme half, stdlib/scm/fruix/build/utils.scm,
// re-exports them.

// BuildPrimitivesModule is the name of the native module that holds the
// Go primitives of the build-side modules.
var BuildPrimitivesModule = []string{"fruix", "build", "primitives"}

var treeBuiltins = []*eval.Builtin{
	{Name: "copy-recursively", MinArgs: 2, MaxArgs: -1, Fn: builtinCopyRecursively, Doc: "(copy-recursively source destination #:log #:follow-symlinks? #:keep-mtime? #:keep-permissions? #:select? #:copy-file): copy the tree source to destination, creating directories as needed. Symbolic links are copied as links unless #:follow-symlinks? (then a link back into the tree is an error); permissions are kept unless #:keep-permissions? is #f (then files become #o644, or #o755 when executable); with #:keep-mtime? the modification times too. Each copy is logged to #:log (default the current output port; #f for none) as `source' -> `destination'. #:select?, a procedure of (file stat), chooses what is copied; #:copy-file, a procedure of (source destination), copies each regular file instead of the built-in copy."},
	{Name: "find-files", MinArgs: 1, MaxArgs: -1, Fn: builtinFindFiles, Doc: "(find-files dir [pred] #:stat #:directories? #:fail-on-error?): the sorted list of the files under dir that pred accepts: a regular expression (a pattern string or a regexp) matched against base names, or a procedure of (file stat); absent, every file. Directories are listed only with #:directories?. #:stat is lstat (the default: symbolic links are not followed) or stat. Unreadable directories are warned about and skipped, unless #:fail-on-error?."},
	{Name: "delete-file-recursively", MinArgs: 1, MaxArgs: 3, Fn: builtinDeleteFileRecursively, Doc: "(delete-file-recursively dir #:follow-mounts?): delete dir and everything under it, without following symbolic links and, unless #:follow-mounts?, without entering other file systems; read-only directories are made writable first. What cannot be deleted is reported as a warning; a missing dir is no error."},
	{Name: "dump-port", MinArgs: 2, MaxArgs: 4, Fn: builtinDumpPort, Doc: "(dump-port in out #:buffer-size): copy everything left in the input port in to the output port out, #:buffer-size bytes at a time (default 32768); the number of bytes copied."},
}

// kwFlag returns keyword name's value as a boolean, def when absent.
func kwFlag(kw map[string]lang.Value, name string, def bool) bool {
	v, ok := kw[name]
	if !ok {
		return def
	}
	return lang.IsTrue(v)
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

func builtinDeleteFileRecursively(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	dir, err := argString("delete-file-recursively", args, 0)
	if err != nil {
		return nil, err
	}
	kw, err := keywordArgs("delete-file-recursively", args[1:], 1, "follow-mounts?")
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
	kw, err := keywordArgs("dump-port", args[2:], 2, "buffer-size")
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
