package stdlib

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// find-files, in Go.

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
	kw, err := keywordArgs(proc, args[from:], from, "stat", "directories?", "fail-on-error?")
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
	return err == nil && lang.IsTrue(ok), err
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
