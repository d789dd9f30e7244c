package stdlib

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/derivation/nar"
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// local-file names a file of the host relative to the file whose source
// contains the call, not to the current directory, so a configuration
// finds its files wherever it is evaluated from. It is a macro so that it
// knows where it is written; the file must exist when the call is
// evaluated, and its content is read when it is lowered.

// localFileSite is where a local-file call is written.
type localFileSite struct{ pos lang.Pos }

func (*localFileSite) TypeName() string { return "local-file-site" }

func expandLocalFile(_ *eval.Thread, form *lang.Pair, _ *eval.MacroEnv) (lang.Value, error) {
	args, ok := listArgs(form.Cdr)
	if !ok || len(args) < 1 {
		return nil, syntaxErrorAt(form.Pos, "local-file: bad syntax: want (local-file file [name] #:recursive? bool)")
	}
	call := append([]lang.Value{gexpRef("%local-file"), quoted(&localFileSite{pos: form.Pos}, form.Pos)}, args...)
	return listAt(form.Pos, call...), nil
}

// baseDirectory is the directory relative file names in src are resolved
// in: src's own when src is a file, else the current directory (the
// REPL, -e expressions).
func baseDirectory(pos lang.Pos) (string, error) {
	if pos.Src != nil && pos.Src.Name != "" {
		if fi, err := os.Stat(pos.Src.Name); err == nil && fi.Mode().IsRegular() {
			return filepath.Abs(filepath.Dir(pos.Src.Name))
		}
	}
	return os.Getwd()
}

func makeLocalFile(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
	site, ok := args[0].(*localFileSite)
	if !ok {
		return nil, procErrorf("local-file", "%%local-file called other than by the local-file macro")
	}
	args = args[1:]
	file, ok := args[0].(*lang.String)
	if !ok {
		return nil, wrongType("local-file", 0, "file name (a string)", args[0])
	}
	rest := args[1:]
	name := ""
	if len(rest) > 0 {
		if n, ok := rest[0].(*lang.String); ok {
			name = n.String()
			rest = rest[1:]
		}
	}
	kw, err := keywordArgs("local-file", rest, len(args)-len(rest), "recursive?", "select?")
	if err != nil {
		return nil, err
	}
	recursive := false
	if v, ok := kw["recursive?"]; ok {
		recursive = v != lang.Value(lang.False)
	}
	var selectProc lang.Value
	if v, ok := kw["select?"]; ok && v != lang.Value(lang.False) {
		if _, err := argProc("local-file", []lang.Value{v}, 0); err != nil {
			return nil, procErrorf("local-file", "#:select?: want a procedure of (file stat), got %s", lang.WriteString(v))
		}
		if !recursive {
			return nil, procErrorf("local-file", "#:select? chooses the files of a directory added with #:recursive? #t")
		}
		selectProc = v
	}
	abs := file.String()
	if !filepath.IsAbs(abs) {
		dir, err := baseDirectory(site.pos)
		if err != nil {
			return nil, procErrorf("local-file", "%q: cannot find the directory to look in: %v", abs, err)
		}
		abs = filepath.Join(dir, abs)
	}
	abs = filepath.Clean(abs)
	fi, err := os.Stat(abs)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, eval.NewError(eval.KindFile, "local-file: "+lang.WriteString(file)+": no such file (looked in "+filepath.Dir(abs)+")")
		}
		return nil, eval.NewError(eval.KindFile, "local-file: "+lang.WriteString(file)+": "+err.Error())
	}
	if fi.IsDir() && !recursive {
		return nil, eval.NewError(eval.KindFile, "local-file: "+lang.WriteString(file)+": is a directory; give #:recursive? #t to add it with its contents")
	}
	if !fi.IsDir() && !fi.Mode().IsRegular() {
		return nil, eval.NewError(eval.KindFile, "local-file: "+lang.WriteString(file)+": not a regular file or directory")
	}
	base := filepath.Base(abs)
	// A symbolic link names the file it points to: that is what is added.
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if name == "" {
		name = base
		if err := derivation.ValidateName(name); err != nil {
			return nil, procErrorf("local-file", "%q: its name %q cannot name a store item (%v); give one: (local-file %q \"%s\")", file.String(), name, err, file.String(), storeNameFor(name))
		}
	} else if err := derivation.ValidateName(name); err != nil {
		return nil, procErrorf("local-file", "argument 2: %q cannot name a store item: %v", name, err)
	}
	return &LocalFile{Name: name, File: file.String(), AbsPath: abs, Recursive: recursive, Select: selectProc, pos: site.pos}, nil
}

// storeNameFor suggests a store name for a file name with characters
// store names may not hold.
func storeNameFor(name string) string {
	var b strings.Builder
	for _, r := range strings.TrimLeft(name, ".") {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("+-._?=", r):
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "file"
	}
	return b.String()
}

// selectedFiles reads the tree of a local-file with #:select?: every
// entry the predicate keeps, called as (select? file stat) with the
// entry's absolute name and its lstat, in name order, a directory before
// what it holds. A directory refused is skipped with all it holds. A
// symbolic link is kept as a link with its target as written, never
// followed, as fruix store add keeps it, so the tree's NAR (and its store
// path) is the one the same entries on disk would have. Other kinds of
// files (FIFOs, sockets, devices) cannot be in a store item: keeping one
// is an error naming it.
func (f *LocalFile) selectedFiles(th *eval.Thread) ([]nar.MemFile, error) {
	var files []nar.MemFile
	var walk func(dir, rel string) error
	walk = func(dir, rel string) error {
		entries, err := os.ReadDir(dir) // sorted by name, as NAR wants
		if err != nil {
			return err
		}
		for _, entry := range entries {
			full := filepath.Join(dir, entry.Name())
			fi, err := os.Lstat(full)
			if err != nil {
				return err
			}
			keep, err := th.Call(f.Select, lang.NewString(full), statOf(fi))
			if err != nil {
				return err
			}
			if keep == lang.Value(lang.False) {
				continue
			}
			name := entry.Name()
			if rel != "" {
				name = rel + "/" + name
			}
			switch mode := fi.Mode(); {
			case mode.IsDir():
				// Kept as an entry of its own, so that it stays when
				// nothing in it is kept.
				files = append(files, nar.MemFile{Name: name, Dir: true})
				if err := walk(full, name); err != nil {
					return err
				}
			case mode&os.ModeSymlink != 0:
				target, err := os.Readlink(full)
				if err != nil {
					return err
				}
				files = append(files, nar.MemFile{Name: name, Symlink: target})
			case mode.IsRegular():
				data, err := os.ReadFile(full)
				if err != nil {
					return err
				}
				files = append(files, nar.MemFile{Name: name, Data: data, Executable: mode&0o111 != 0})
			default:
				return fmt.Errorf("#:select? keeps %s, a %s; a store item holds only regular files, directories and symbolic links", full, fileKindName(mode))
			}
		}
		return nil
	}
	if err := walk(f.AbsPath, ""); err != nil {
		if _, ok := err.(*eval.Exception); ok {
			return nil, err
		}
		return nil, f.fileError(err)
	}
	return files, nil
}

// fileError is err, met reading f's file or tree when it is lowered, as
// an error at the local-file call that named it.
func (f *LocalFile) fileError(err error) error {
	e := eval.NewError(eval.KindFile, "local-file: "+lang.WriteString(lang.NewString(f.File))+": "+err.Error())
	if !f.pos.Known() {
		return e
	}
	return &eval.Exception{Payload: e, Pos: f.pos}
}

// fileKindName names the kind of file mode is, for messages.
func fileKindName(mode os.FileMode) string {
	switch {
	case mode&os.ModeNamedPipe != 0:
		return "FIFO"
	case mode&os.ModeSocket != 0:
		return "socket"
	case mode&os.ModeCharDevice != 0:
		return "character device"
	case mode&os.ModeDevice != 0:
		return "block device"
	}
	return "file of kind " + mode.Type().String()
}
