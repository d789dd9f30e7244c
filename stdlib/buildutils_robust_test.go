package stdlib

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// TestFileBuiltinsNeverPanic calls the file-system and build primitives
// with many combinations of arguments, right and wrong, in a scratch
// directory: each must return a value or an error, never panic. (They are
// not in the library's shared robustness test, which runs in the package
// directory.) Those that run programs or change the process's directory,
// environment or umask are left out.
func TestFileBuiltinsNeverPanic(t *testing.T) {
	dir := t.TempDir()
	t.Cleanup(func() {
		// chmod may have made directories unreadable; let them be removed.
		filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
			if fi != nil && fi.Mode()&os.ModeSymlink == 0 {
				os.Chmod(p, 0o755)
			}
			return nil
		})
	})
	t.Chdir(dir)
	os.Mkdir("d", 0o755)
	os.WriteFile("f", []byte("data\n"), 0o644)
	var out bytes.Buffer
	th := New(eval.Options{Stdout: &out, Stderr: &out})
	skip := map[string]bool{"system*": true, "invoke": true, "chdir": true, "setenv": true, "unsetenv": true, "umask": true}
	pool := func() []lang.Value {
		return []lang.Value{
			lang.MakeInt(0), lang.MakeInt(-1), lang.MakeInt(0o755), lang.MakeInt(1 << 40), lang.MakeFloat(1.5),
			lang.True, lang.False, lang.Nil, lang.NewString(""), lang.NewString("d"), lang.NewString("f"),
			lang.NewString("new"), lang.NewString("d/sub"), lang.NewString("missing/x"), lang.NewString("("),
			lang.InternKeyword("log"), lang.InternKeyword("select?"), lang.InternKeyword("stat"),
			lang.InternKeyword("buffer-size"), lang.InternKeyword("nonesuch"), lang.Intern("sym"),
			lang.Intern("utf-8"), lang.Intern("iso-8859-1"), lang.NewString("λ"),
			NewStringInputPort("abc"), NewStringOutputPort(), statBuiltin, builtinsByName["car"],
			&Stat{}, lang.List(lang.NewString("f")),
			lang.InternKeyword("sh"), lang.InternKeyword("keep-mtime?"), lang.NewString("/bin/sh"), lang.NewString("x"),
			lang.List(lang.NewString("d")), lang.List(lang.NewString("X"), lang.Intern("="), lang.List(lang.NewString("1"))),
			lang.List(lang.NewString("X"), lang.NewString(";"), lang.Intern("prefix"), lang.List(lang.NewString("1"))),
			lang.List(lang.NewString("X"), lang.Intern("suffix")),
		}
	}
	r := rand.New(rand.NewSource(2))
	os.WriteFile("x", []byte("#!/usr/bin/env sh\necho\n"), 0o755)
	for _, table := range [][]*eval.Builtin{fileBuiltins, statBuiltins, ftwBuiltins, treeBuiltins, invokeBuiltins, textBuiltins, wrapBuiltins, shebangBuiltins} {
		for _, b := range table {
			if skip[b.Name] {
				continue
			}
			maxArgs := b.MaxArgs
			if maxArgs < 0 || maxArgs > b.MinArgs+4 {
				maxArgs = b.MinArgs + 4
			}
			for try := 0; try < 80; try++ {
				n := b.MinArgs + r.Intn(maxArgs-b.MinArgs+1)
				vals := pool()
				args := make([]lang.Value, n)
				for i := range args {
					args[i] = vals[r.Intn(len(vals))]
				}
				func() {
					defer func() {
						if p := recover(); p != nil {
							t.Errorf("(%s %s) panicked: %v", b.Name, describe(args), p)
						}
					}()
					b.Fn(th, args)
				}()
			}
		}
	}
	if wd, _ := os.Getwd(); !strings.HasPrefix(wd, os.TempDir()) {
		t.Errorf("the working directory moved to %s", wd)
	}
}

// TestEveryFileBuiltinIsTested checks that each file-system and build
// primitive is called by a conformance file of testdata/build.
func TestEveryFileBuiltinIsTested(t *testing.T) {
	files, err := filepath.Glob("testdata/build/*.scm")
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance files: %v", err)
	}
	var all strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	for _, table := range [][]*eval.Builtin{fileBuiltins, statBuiltins, ftwBuiltins, treeBuiltins, invokeBuiltins, popenBuiltins, wrapBuiltins, shebangBuiltins} {
		for _, b := range table {
			used := regexp.MustCompile(`[\s(']` + regexp.QuoteMeta(b.Name) + `[\s)]`)
			if !used.MatchString(all.String()) {
				t.Errorf("no conformance file of testdata/build uses %s", b.Name)
			}
		}
	}
}
