package tests

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// unionConfig merges three directories that all hold bin/tool, two of
// them the same, and each a directory of its own (doc-NAME).
const unionConfig = `(use-modules (fruix gexp))
(define (tool-dir name text)
  (computed-file name
    #~(begin
        (mkdir #$output)
        (mkdir (string-append #$output "/bin"))
        (mkdir (string-append #$output "/share"))
        (mkdir (string-append #$output "/doc-" #$name))
        (call-with-output-file (string-append #$output "/doc-" #$name "/README")
          (lambda (port) (display #$name port)))
        (call-with-output-file (string-append #$output "/bin/tool")
          (lambda (port) (display #$text port)))
        (call-with-output-file (string-append #$output "/share/" #$name)
          (lambda (port) (display #$name port))))))
(define dirs (list (tool-dir "one" "first") (tool-dir "two" "second") (tool-dir "three" "second")))
%UNION%
`

// TestDirectoryUnionOptions builds directory-unions of three directories
// that all hold bin/tool: with #:copy? files are copies and a directory
// found in one input stays a link; #:resolve-collision 'last (SRFI 1's)
// keeps the last input's file; the default reports the collision in the
// build log, and #:quiet? #t does not.
func TestDirectoryUnionOptions(t *testing.T) {
	canBuild(t)
	build := func(union string) (out, log string) {
		t.Helper()
		env, _, stateDir := tempStoreEnv(t)
		file := writeFile(t, t.TempDir(), "union.scm", strings.Replace(unionConfig, "%UNION%", union, 1))
		r := run(t, "", env, "fruix-eval", "--build", file)
		noCrash(t, r)
		if r.code != 0 {
			t.Fatalf("fruix-eval --build %s: status %d\n%s", union, r.code, r.stderr)
		}
		return strings.TrimSpace(r.stdout), buildLogOf(t, stateDir, derivationOf(t, env, file))
	}

	out, _ := build(`(directory-union "tools" dirs #:copy? #t #:resolve-collision 'last)`)
	fi, err := os.Lstat(filepath.Join(out, "bin/tool"))
	if err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("bin/tool is not a copied regular file: %v %v", fi, err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "bin/tool")); string(b) != "second" {
		t.Errorf("bin/tool = %q, want the last input's \"second\"", b)
	}
	if fi, err := os.Lstat(filepath.Join(out, "share/one")); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("share/one is not a copy: %v %v", fi, err)
	}
	if target, err := os.Readlink(filepath.Join(out, "doc-one")); err != nil || !strings.HasSuffix(target, "-one/doc-one") {
		t.Errorf("doc-one, a directory of one input only, links to %q (%v), want that input's", target, err)
	}

	out, log := build(`(directory-union "tools" dirs)`)
	if target, err := os.Readlink(filepath.Join(out, "bin/tool")); err != nil || !strings.HasSuffix(target, "-one/bin/tool") {
		t.Errorf("bin/tool links to %q (%v), want the first input's", target, err)
	}
	if !strings.Contains(log, "warning: collision encountered:") {
		t.Errorf("the build log does not report the collision:\n%s", log)
	}
	_, log = build(`(directory-union "tools" dirs #:quiet? #t)`)
	if strings.Contains(log, "collision") {
		t.Errorf("#:quiet? #t, yet the build log reports a collision:\n%s", log)
	}
}

// buildLogOf is the log the realizer kept of building drv.
func buildLogOf(t *testing.T, stateDir, drv string) string {
	t.Helper()
	f, err := os.Open(filepath.Join(stateDir, "log", filepath.Base(drv)+".gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// derivationOf is the .drv path fruix-eval prints for file's last value.
func derivationOf(t *testing.T, env []string, file string) string {
	t.Helper()
	r := run(t, "", env, "fruix-eval", "--derivations-only", file)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	return lines[len(lines)-1]
}
