package stdlib

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"fruix.dev/fruix/derivation/nar"
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// selectedLocalFile evaluates (local-file dir name #:recursive? #t
// #:select? select) and returns the object and its thread.
func selectedLocalFile(t *testing.T, dir, name, selectExpr string) (*LocalFile, *eval.Thread) {
	t.Helper()
	th := New(eval.Options{})
	code := "(use-modules (fruix gexp)) (local-file " + lang.WriteString(lang.NewString(dir)) + " " + lang.WriteString(lang.NewString(name)) + " #:recursive? #t #:select? " + selectExpr + ")"
	v, err := th.EvalString(&lang.Source{Name: "select-test.scm"}, code)
	if err != nil {
		t.Fatal(err)
	}
	lf, ok := v.(*LocalFile)
	if !ok {
		t.Fatalf("local-file gave %s", lang.WriteString(v))
	}
	return lf, th
}

// makeTree writes a tree with regular files, an executable, symbolic
// links (relative, to a directory, dangling) under root.
func makeTree(t *testing.T, root string, withRefused bool) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "bin"), 0o755))
	must(os.MkdirAll(filepath.Join(root, "etc"), 0o755))
	must(os.WriteFile(filepath.Join(root, "bin/tool"), []byte("#!/bin/sh\necho tool\n"), 0o755))
	must(os.Symlink("tool", filepath.Join(root, "bin/tool-alias")))
	must(os.WriteFile(filepath.Join(root, "etc/motd"), []byte("welcome\n"), 0o644))
	must(os.Symlink("motd", filepath.Join(root, "etc/issue")))
	must(os.Symlink("bin", filepath.Join(root, "lib")))
	must(os.Symlink("/nowhere/at/all", filepath.Join(root, "dangling")))
	if withRefused {
		must(os.WriteFile(filepath.Join(root, "etc/motd.tmp"), []byte("scratch\n"), 0o644))
		must(os.Symlink("motd", filepath.Join(root, "etc/link.tmp")))
		must(os.MkdirAll(filepath.Join(root, "cache.tmp/deep"), 0o755))
		must(os.WriteFile(filepath.Join(root, "cache.tmp/deep/x"), []byte("x"), 0o644))
	}
}

// TestSelectedFilesKeepSymlinks checks that a local-file tree chosen with
// #:select? keeps symbolic links as links, never entering a link to a
// directory, and that its NAR, and so its store path, is the one the
// store gives the same entries on disk (store.AddPath: the source path of
// the NAR's SHA-256).
func TestSelectedFilesKeepSymlinks(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	makeTree(t, src, true)
	lf, th := selectedLocalFile(t, src, "tree", `(lambda (file stat) (not (string-suffix? ".tmp" file)))`)
	files, err := lf.selectedFiles(th)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		n := f.Name
		if f.Symlink != "" {
			n += " -> " + f.Symlink
		}
		if f.Dir {
			n += "/"
		}
		names = append(names, n)
	}
	want := "bin/ bin/tool bin/tool-alias -> tool dangling -> /nowhere/at/all etc/ etc/issue -> motd etc/motd lib -> bin"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("selected %q\nwant     %q", got, want)
	}
	// The same entries, and only those, on disk.
	expected := filepath.Join(t.TempDir(), "tree")
	makeTree(t, expected, false)
	diskSum, _, err := nar.Hash(expected)
	if err != nil {
		t.Fatal(err)
	}
	memSum, err := nar.HashFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	// The store path is made from the hash alone (with the name), so
	// equal hashes are equal paths.
	if memSum != diskSum {
		t.Fatalf("selected tree NAR hash %x, the same tree on disk %x", memSum, diskSum)
	}
}

// TestSelectedFilesRefusesFIFO checks that keeping a file no store item
// can hold is an error naming it and saying why.
func TestSelectedFilesRefusesFIFO(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	makeTree(t, src, false)
	if err := syscall.Mkfifo(filepath.Join(src, "etc/pipe"), 0o644); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	lf, th := selectedLocalFile(t, src, "tree", `(lambda (file stat) #t)`)
	_, err := lf.selectedFiles(th)
	if err == nil {
		t.Fatal("a FIFO was kept without error")
	}
	if msg := eval.FormatError(err); !strings.HasPrefix(msg, "select-test.scm:1:28: local-file: ") {
		t.Errorf("error %q is not at the local-file call (select-test.scm:1:28)", msg)
	}
	for _, part := range []string{"local-file: \"" + src + "\"", "#:select? keeps " + filepath.Join(src, "etc/pipe") + ", a FIFO", "only regular files, directories and symbolic links"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q lacks %q", err, part)
		}
	}
	// Refusing it is fine.
	lf, th = selectedLocalFile(t, src, "tree", `(lambda (file stat) (not (eq? (stat:type stat) 'fifo)))`)
	if _, err := lf.selectedFiles(th); err != nil {
		t.Fatalf("the FIFO refused: %v", err)
	}
}

// TestSelectedFilesPredicateSeesLstat checks that the predicate is given
// the link itself, not what it points to.
func TestSelectedFilesPredicateSeesLstat(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	makeTree(t, src, false)
	lf, th := selectedLocalFile(t, src, "tree", `(lambda (file stat) (not (eq? (stat:type stat) 'symlink)))`)
	files, err := lf.selectedFiles(th)
	if err != nil {
		t.Fatal(err)
	}
	kept := 0
	for _, f := range files {
		if f.Symlink != "" {
			t.Errorf("%s: a link kept though the predicate refuses links", f.Name)
		}
		if !f.Dir {
			kept++
		}
	}
	if kept != 2 {
		t.Errorf("kept %d files, want bin/tool and etc/motd", kept)
	}
}

// TestSelectedFilesKeepEmptyDirectories: a directory kept with nothing
// kept in it stays, empty, as it does on disk, so selecting everything
// gives the path of the tree added whole.
func TestSelectedFilesKeepEmptyDirectories(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	for _, d := range []string{"empty", "full/empty-too"} {
		if err := os.MkdirAll(filepath.Join(src, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(src, "full/file"), []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lf, th := selectedLocalFile(t, src, "tree", `(lambda (file stat) #t)`)
	files, err := lf.selectedFiles(th)
	if err != nil {
		t.Fatal(err)
	}
	memSum, err := nar.HashFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	diskSum, _, err := nar.Hash(src)
	if err != nil {
		t.Fatal(err)
	}
	if memSum != diskSum {
		t.Errorf("selected tree with empty directories: NAR hash %x, the tree on disk %x", memSum, diskSum)
	}
}

// BenchmarkSelectedTree reads a local-file tree of 10,000 files of 100
// bytes (100 directories of 100) and 100 symbolic links through
// #:select? and hashes its NAR in memory, as lowering does; "disk-nar" is
// the NAR hash of the same tree read by nar.Hash, as fruix store add
// computes it, for comparison.
func BenchmarkSelectedTree(b *testing.B) {
	src := filepath.Join(b.TempDir(), "src")
	data := make([]byte, 100)
	for d := 0; d < 100; d++ {
		dir := filepath.Join(src, "dir"+strings.Repeat("x", d%3)+string(rune('a'+d%26))+string(rune('a'+d/26)))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		for f := 0; f < 100; f++ {
			if err := os.WriteFile(filepath.Join(dir, "file"+string(rune('a'+f%26))+string(rune('a'+f/26))), data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		if err := os.Symlink("filea"+"a", filepath.Join(dir, "link")); err != nil {
			b.Fatal(err)
		}
	}
	th := New(eval.Options{})
	v, err := th.EvalString(&lang.Source{Name: "bench"}, "(use-modules (fruix gexp)) (local-file "+lang.WriteString(lang.NewString(src))+" \"tree\" #:recursive? #t #:select? (lambda (file stat) (not (string-suffix? \".tmp\" file))))")
	if err != nil {
		b.Fatal(err)
	}
	lf := v.(*LocalFile)
	b.Run("select-and-hash", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			files, err := lf.selectedFiles(th)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := nar.HashFiles(files); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("disk-nar", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, _, err := nar.Hash(src); err != nil {
				b.Fatal(err)
			}
		}
	})
}
