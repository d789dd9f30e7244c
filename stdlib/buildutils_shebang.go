package stdlib

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// patch-shebang and patch-shebangs: a script's "#!/usr/bin/perl -w"
// names an interpreter where the build host keeps it; in a store item it
// must name the interpreter's store path. patch-shebang looks the
// interpreter's base name up in a list of directories (PATH by default)
// and rewrites the line, keeping the arguments; "#!/usr/bin/env prog"
// becomes "#!/dir/prog". An interpreter that cannot be found is warned
// about and left alone, as Guix does, since a build often patches
// scripts it does not run.

var shebangBuiltins = []*eval.Builtin{
	{Name: "patch-shebang", MinArgs: 1, MaxArgs: 4, Fn: builtinPatchShebang, Doc: "(patch-shebang file [path] #:keep-mtime?): if file starts with #!, replace its interpreter by the first file of that base name found in the directories of path (a list of strings; default the directories of PATH), keeping its arguments; #!/usr/bin/env PROG becomes #!/dir/PROG. A symbolic link is followed. Returns #t if file changed; an interpreter not found is warned about and file is left as it was (#f). file keeps its permissions, and its modification time unless #:keep-mtime? is #f."},
	{Name: "patch-shebangs", MinArgs: 1, MaxArgs: 2, Fn: builtinPatchShebangs, Doc: "(patch-shebangs dirs [path]): patch-shebang on every executable regular file under dirs (a directory or a list of them), symbolic links left alone; the sorted list of the files changed."},
}

// shebangPath reads patch-shebang's optional list of directories, args[i]
// if present, else PATH's.
func shebangPath(proc string, args []lang.Value, i int) ([]string, error) {
	if i >= len(args) {
		return filepath.SplitList(os.Getenv("PATH")), nil
	}
	return argStrings(proc, args, i, "list of directories (strings)")
}

func builtinPatchShebang(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	file, err := argString("patch-shebang", args, 0)
	if err != nil {
		return nil, err
	}
	// The keywords start at the first keyword after file.
	kwFrom := 1
	for kwFrom < len(args) {
		if _, ok := args[kwFrom].(*lang.Keyword); ok {
			break
		}
		kwFrom++
	}
	if kwFrom > 2 {
		return nil, procErrorf("patch-shebang", "want (patch-shebang file [path] #:keep-mtime? bool), got %d arguments before the keywords", kwFrom)
	}
	path, err := shebangPath("patch-shebang", args[:kwFrom], 1)
	if err != nil {
		return nil, err
	}
	kw, err := keywordArgs("patch-shebang", args[kwFrom:], kwFrom, "keep-mtime?")
	if err != nil {
		return nil, err
	}
	changed, err := (&shebangPatcher{th: th, path: path, keepMtime: kwFlag(kw, "keep-mtime?", true)}).patch(file.String(), false)
	if err != nil {
		return nil, err
	}
	return lang.MakeBool(changed), nil
}

// shebangPatcher patches #! lines, looking interpreters up in path; it
// remembers what it found, since a tree's scripts name few interpreters.
type shebangPatcher struct {
	th        *eval.Thread
	path      []string
	keepMtime bool
	found     map[string]string
}

// interpreter is the first executable regular file named name in the
// patcher's directories, or "".
func (sp *shebangPatcher) interpreter(name string) string {
	if p, ok := sp.found[name]; ok {
		return p
	}
	p := findExecutable(name, sp.path)
	if sp.found == nil {
		sp.found = map[string]string{}
	}
	sp.found[name] = p
	return p
}

// findExecutable is the first executable regular file named name in
// dirs, or "".
func findExecutable(name string, dirs []string) string {
	for _, dir := range dirs {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// patch rewrites file's #! line as patch-shebang says and reports
// whether it changed the file. regular says that file is known to be a
// regular file, not a link to follow.
func (sp *shebangPatcher) patch(file string, regular bool) (bool, error) {
	th, path := sp.th, sp.path
	real := file
	if !regular {
		if fi, err := os.Lstat(file); err != nil {
			return false, fileErr("patch-shebang", err)
		} else if fi.Mode()&fs.ModeSymlink != 0 {
			if real, err = filepath.EvalSymlinks(file); err != nil {
				return false, fileErr("patch-shebang", err)
			}
		}
	}
	f, err := os.Open(real)
	if err != nil {
		return false, fileErr("patch-shebang", err)
	}
	defer f.Close()
	var magic [2]byte
	if _, err := io.ReadFull(f, magic[:]); err != nil || string(magic[:]) != "#!" {
		return false, nil // no #! line (or shorter than one): nothing to patch
	}
	fi, err := f.Stat()
	if err != nil {
		return false, fileErr("patch-shebang", err)
	}
	var buf bytes.Buffer
	buf.Grow(int(fi.Size()) + bytes.MinRead) // one read to the end, whatever the size
	buf.Write(magic[:])
	if _, err := buf.ReadFrom(f); err != nil {
		return false, fileErr("patch-shebang", err)
	}
	data := buf.Bytes()
	lineEnd := bytes.IndexByte(data, '\n')
	if lineEnd < 0 {
		lineEnd = len(data)
	}
	line := string(data[2:lineEnd])
	cr := "" // a line ending in CR LF keeps its CR
	if strings.HasSuffix(line, "\r") {
		line, cr = line[:len(line)-1], "\r"
	}
	interp, args := splitShebang(line)
	if interp == "" {
		return false, nil
	}
	name := filepath.Base(interp)
	if name == "env" {
		// #!/usr/bin/env [-S] prog args: the program env would look up
		// is what must be found.
		fields := strings.Fields(args)
		if len(fields) > 0 && fields[0] == "-S" {
			fields = fields[1:]
		}
		if len(fields) == 0 || strings.HasPrefix(fields[0], "-") || strings.Contains(fields[0], "=") {
			fmt.Fprintf(CurrentErrorPort(th), "patch-shebang: %s: warning: cannot tell which program `%s' runs; left as it is\n", file, strings.TrimSpace(line))
			return false, nil
		}
		name = fields[0]
		args = ""
		if len(fields) > 1 {
			args = " " + strings.Join(fields[1:], " ")
		}
	}
	found := sp.interpreter(name)
	if found == "" {
		fmt.Fprintf(CurrentErrorPort(th), "patch-shebang: %s: warning: no interpreter `%s' found in %s\n", file, name, strings.Join(path, ":"))
		return false, nil
	}
	newLine := found + args
	if newLine == line {
		return false, nil
	}
	fmt.Fprintf(CurrentOutputPort(th), "patch-shebang: %s: changing `%s' to `%s'\n", file, strings.TrimSpace(line), newLine)
	patched := make([]byte, 0, len(data)+len(newLine))
	patched = append(patched, "#!"+newLine+cr...)
	patched = append(patched, data[lineEnd:]...)
	if err := replaceFile(real, patched, permBits(fi.Mode())); err != nil {
		return false, fileErr("patch-shebang", err)
	}
	if sp.keepMtime {
		if err := os.Chtimes(real, fi.ModTime(), fi.ModTime()); err != nil {
			return false, fileErr("patch-shebang", err)
		}
	}
	return true, nil
}

// splitShebang splits what follows #! into the interpreter and the rest
// of the line (its leading blank kept), as the kernel reads it.
func splitShebang(line string) (interp, args string) {
	line = strings.TrimLeft(line, " \t")
	end := strings.IndexAny(line, " \t")
	if end < 0 {
		return line, ""
	}
	return line[:end], line[end:]
}

func builtinPatchShebangs(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	var dirs []string
	var err error
	if s, ok := args[0].(*lang.String); ok {
		dirs = []string{s.String()}
	} else if dirs, err = argStrings("patch-shebangs", args, 0, "directory or list of directories"); err != nil {
		return nil, err
	}
	path, err := shebangPath("patch-shebangs", args, 1)
	if err != nil {
		return nil, err
	}
	var changed []string
	sp := &shebangPatcher{th: th, path: path, keepMtime: true}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() {
				return nil
			}
			fi, err := d.Info()
			if err != nil {
				return err
			}
			if fi.Mode().Perm()&0o111 == 0 {
				return nil
			}
			ok, err := sp.patch(p, true)
			if ok {
				changed = append(changed, p)
			}
			return err
		})
		if err != nil {
			if _, isFileErr := err.(*fileError); isFileErr {
				return nil, err
			}
			return nil, fileErr("patch-shebangs", err)
		}
	}
	sort.Strings(changed)
	return stringList(changed), nil
}
