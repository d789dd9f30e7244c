package stdlib_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/eval/evaltest"
	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
)

// shipModules writes the embedded build-side modules into a directory, as
// a G-expression's with-imported-modules ships them into a build's
// FRUIX_MODULES tree, and returns it.
func shipModules(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(stdlib.Sources(), "fruix/build", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(stdlib.Sources(), p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBuildSideConformance runs testdata/build/*.scm, each in a fresh
// working directory, twice: in a build-side thread whose modules come
// from a shipped module tree, and in an ordinary host thread, where the
// same modules come from the embedded library.
func TestBuildSideConformance(t *testing.T) {
	files, err := filepath.Glob("testdata/build/*.scm")
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance files: %v", err)
	}
	modules := shipModules(t)
	threads := map[string]func() *eval.Thread{
		"build-side": func() *eval.Thread {
			var out bytes.Buffer
			return stdlib.NewBuildSide(eval.Options{Stdout: &out, Stderr: &out}, modules)
		},
		"host": func() *eval.Thread {
			var out bytes.Buffer
			return stdlib.New(eval.Options{Stdout: &out, Stderr: &out})
		},
	}
	for _, side := range []string{"build-side", "host"} {
		t.Run(side, func(t *testing.T) {
			for _, f := range files {
				abs, err := filepath.Abs(f)
				if err != nil {
					t.Fatal(err)
				}
				t.Run(strings.TrimSuffix(filepath.Base(f), ".scm"), func(t *testing.T) {
					t.Setenv("PATH", os.Getenv("PATH"))
					t.Chdir(t.TempDir())
					evaltest.RunFile(t, abs, threads[side]())
				})
			}
		})
	}
}

// TestBuildSideSeesOnlyShippedModules checks what a build program can
// import: the library's own modules and (fruix build primitives) always,
// the build-side modules only from the shipped tree, and the host-side
// (fruix ...) modules never.
func TestBuildSideSeesOnlyShippedModules(t *testing.T) {
	use := func(th *eval.Thread, module string) error {
		_, err := th.EvalString(&lang.Source{Name: "builder.scm"}, "(use-modules "+module+")")
		return err
	}
	bare := stdlib.NewBuildSide(eval.Options{}, "")
	for _, m := range []string{"(srfi srfi-1)", "(ice-9 match)", "(ice-9 regex)", "(ice-9 ftw)", "(srfi srfi-2)", "(fruix build primitives)"} {
		if err := use(bare, m); err != nil {
			t.Errorf("build side without shipped modules: %s: %v", m, err)
		}
	}
	for _, m := range []string{"(fruix build utils)", "(fruix build union)", "(fruix records)", "(fruix derivations)", "(fruix gexp)"} {
		err := use(bare, m)
		if err == nil || !errors.Is(err, eval.ErrNoModule) || !strings.Contains(err.Error(), "builder.scm:1:1: no code for module "+m) {
			t.Errorf("build side without shipped modules: %s: want a positioned missing-module error, got %v", m, err)
		}
	}
	shipped := stdlib.NewBuildSide(eval.Options{}, shipModules(t))
	for _, m := range []string{"(fruix build utils)", "(fruix build union)"} {
		if err := use(shipped, m); err != nil {
			t.Errorf("build side with shipped modules: %s: %v", m, err)
		}
	}
	for _, m := range []string{"(fruix records)", "(fruix derivations)"} {
		if err := use(shipped, m); err == nil {
			t.Errorf("build side: the host-side module %s is visible", m)
		}
	}
	host := stdlib.New(eval.Options{})
	for _, m := range []string{"(fruix build utils)", "(fruix build union)", "(fruix records)", "(fruix derivations)"} {
		if err := use(host, m); err != nil {
			t.Errorf("host: %s: %v", m, err)
		}
	}
}
