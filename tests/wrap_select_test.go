package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// appConfig builds a program from a local directory chosen with
// #:select?: its script's #! line is pointed at the interpreter shipped
// in the same tree (patch-shebang), and the program is wrapped to set an
// environment variable (wrap-program).
const appConfig = `(use-modules (fruix gexp))
(define tree
  (local-file "app" "app-tree" #:recursive? #t
              #:select? (lambda (file stat) (not (string-suffix? ".tmp" file)))))
(computed-file "app"
  (with-imported-modules '((fruix build utils))
    #~(begin
        (use-modules (fruix build utils) (fruix build primitives))
        (copy-recursively #$tree #$output #:keep-permissions? #f #:log #f)
        (patch-shebang (string-append #$output "/bin/greet")
                       (list (string-append #$tree "/libexec")))
        (wrap-program (string-append #$output "/bin/greet") #:sh "/bin/sh"
                      '("GREETING" = ("hello from the wrapper"))
                      '("GREET_PATH" prefix ("/first" "/second"))))))
`

// writeAppTree writes the directory appConfig names: a script whose
// interpreter is not where the tree will be, that interpreter, files the
// selection refuses, and, with links, symbolic links (to a file, to a
// directory, dangling) that must stay links in the store.
func writeAppTree(t *testing.T, dir string, links bool) {
	t.Helper()
	app := filepath.Join(dir, "app")
	for _, d := range []string{"bin", "libexec", "etc", "cache.tmp"} {
		if err := os.MkdirAll(filepath.Join(app, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		"bin/greet":          "#!/usr/local/bin/greeter --loud\necho unreachable\n",
		"libexec/greeter":    "#!/bin/sh\necho \"$GREETING via $GREET_PATH ($1)\"\n",
		"etc/motd":           "welcome\n",
		"etc/motd.tmp":       "scratch\n",
		"cache.tmp/leftover": "x\n",
	}
	for name, text := range files {
		mode := os.FileMode(0o644)
		if strings.HasPrefix(name, "bin/") || strings.HasPrefix(name, "libexec/") {
			mode = 0o755
		}
		if err := os.WriteFile(filepath.Join(app, name), []byte(text), mode); err != nil {
			t.Fatal(err)
		}
	}
	if links {
		for name, target := range map[string]string{"etc/issue": "motd", "lib": "libexec", "etc/dangling": "/nowhere", "etc/old.tmp": "motd"} {
			if err := os.Symlink(target, filepath.Join(app, name)); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// selectedCopy copies into a fresh directory named app-tree what the
// selection of appConfig keeps of dir/app, so that fruix store add can
// say which path the store gives those entries.
func selectedCopy(t *testing.T, dir string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "app-tree")
	src := filepath.Join(dir, "app")
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, ".tmp") {
			if fi.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		switch {
		case fi.Mode()&os.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, out)
		case fi.IsDir():
			return os.MkdirAll(out, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(out, data, fi.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestWrapAndPatchShebangBuild(t *testing.T) { testAppBuild(t, false) }

func testAppBuild(t *testing.T, links bool) {
	env, storeDir, _ := tempStoreEnv(t)
	dir := t.TempDir()
	writeAppTree(t, dir, links)
	file := writeFile(t, dir, "app.scm", appConfig)
	r := run(t, "", env, "fruix-eval", file)
	if r.code != 0 {
		t.Fatalf("fruix-eval: status %d\n%s", r.code, r.stderr)
	}
	out := strings.SplitN(r.stdout, "\n", 2)[0]
	var treePath string
	for _, line := range strings.Split(r.stdout, "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.HasSuffix(f[0], "-app-tree") {
			treePath = f[0]
		}
	}
	if !strings.HasPrefix(treePath, storeDir+"/") {
		t.Fatalf("the graph lists no app-tree source:\n%s", r.stdout)
	}

	canBuild(t)
	// fruix-eval hands the graph, sources included, to fruix to build;
	// fruix build -f then finds everything valid.
	r = run(t, "", env, "fruix-eval", "--build", file)
	if r.code != 0 || r.stdout != out+"\n" {
		t.Fatalf("fruix-eval --build: status %d, stdout %q (want %q), stderr:\n%s", r.code, r.stdout, out, r.stderr)
	}
	r = run(t, "", env, "fruix", "build", "-f", file)
	if r.code != 0 || r.stdout != out+"\n" || strings.Contains(r.stderr, "building") {
		t.Fatalf("fruix build -f after fruix-eval --build: status %d, stdout %q (want %q), stderr:\n%s", r.code, r.stdout, out, r.stderr)
	}
	// The store gives the selected entries, as a directory on disk, the
	// path evaluation computed (and the build added).
	added := run(t, "", env, "fruix", "store", "add", selectedCopy(t, dir))
	if added.code != 0 || strings.TrimSpace(added.stdout) != treePath {
		t.Fatalf("fruix store add of the selected entries: status %d, %q; evaluation computed %s\n%s", added.code, added.stdout, treePath, added.stderr)
	}
	for _, refused := range []string{"etc/motd.tmp", "cache.tmp", "etc/old.tmp"} {
		if _, err := os.Lstat(filepath.Join(out, refused)); err == nil {
			t.Errorf("%s: refused by #:select?, yet in the output", refused)
		}
	}
	real, err := os.ReadFile(filepath.Join(out, "bin/.greet-real"))
	if want := "#!" + treePath + "/libexec/greeter --loud\necho unreachable\n"; err != nil || string(real) != want {
		t.Errorf("the patched program holds %q (%v), want %q", real, err, want)
	}
	wrapper, err := os.ReadFile(filepath.Join(out, "bin/greet"))
	if want := "#!/bin/sh\nexport GREETING=\"hello from the wrapper\"\nexport GREET_PATH=\"/first:/second${GREET_PATH:+:}$GREET_PATH\"\nexec \"" + out + "/bin/.greet-real\" \"$@\"\n"; err != nil || string(wrapper) != want {
		t.Errorf("the wrapper holds %q (%v), want %q", wrapper, err, want)
	}
	// The wrapper runs the program, whose interpreter is now the tree's.
	greet := exec.Command(filepath.Join(out, "bin/greet"), "arg")
	greet.Env = []string{"PATH=/bin:/usr/bin"}
	if b, err := greet.CombinedOutput(); err != nil || string(b) != "hello from the wrapper via /first:/second (--loud)\n" {
		t.Errorf("running %s/bin/greet: %q (%v)", out, b, err)
	}
	if links {
		for name, target := range map[string]string{"etc/issue": "motd", "lib": "libexec", "etc/dangling": "/nowhere"} {
			for _, root := range []string{treePath, out} {
				if got, err := os.Readlink(filepath.Join(root, name)); err != nil || got != target {
					t.Errorf("%s/%s: link to %q (%v), want a link to %q", root, name, got, err, target)
				}
			}
		}
	}
}
