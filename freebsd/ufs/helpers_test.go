package ufs

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"fruix.dev/fruix/freebsd/mtree"
)

var testTime = time.Unix(1700000000, 123456789).UTC()

// writeTree creates files under dir from a description: "name" ->
// contents; a trailing "/" makes a directory, "->target" a symlink.
func writeTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, n)
		v := files[n]
		switch {
		case strings.HasSuffix(n, "/"):
			must(t, os.MkdirAll(p, 0755))
		case strings.HasPrefix(v, "->"):
			must(t, os.MkdirAll(filepath.Dir(p), 0755))
			must(t, os.Symlink(v[2:], p))
		default:
			must(t, os.MkdirAll(filepath.Dir(p), 0755))
			must(t, os.WriteFile(p, []byte(v), 0644))
		}
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func parseSpec(t testing.TB, text string) *mtree.Spec {
	t.Helper()
	s, err := mtree.Parse(strings.NewReader(text), "METALOG")
	must(t, err)
	return s
}

// build writes an image of root into a temporary file and returns it open.
func build(t testing.TB, root string, spec *mtree.Spec, opt Options) (*os.File, *Result) {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "ufs.img"))
	must(t, err)
	t.Cleanup(func() { f.Close() })
	if opt.Timestamp.IsZero() {
		opt.Timestamp = testTime
	}
	res, err := Build(f, root, spec, opt)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return f, res
}

func fileSize(t testing.TB, f *os.File) int64 {
	st, err := f.Stat()
	must(t, err)
	return st.Size()
}

// checkClean runs the full consistency check and the superblock checks.
func checkClean(t testing.TB, f *os.File) *FS {
	t.Helper()
	size := fileSize(t, f)
	raw := make([]byte, sblockSize)
	_, err := f.ReadAt(raw, sblockUFS2)
	must(t, err)
	if err := ValidateSuperblock(raw); err != nil {
		t.Fatalf("superblock: %v", err)
	}
	probs := Check(f, size)
	for i, p := range probs {
		if i == 20 {
			t.Errorf("... %d problems in all", len(probs))
			break
		}
		t.Errorf("check: %s", p)
	}
	if len(probs) > 0 {
		t.FailNow()
	}
	fsys, err := Open(f, size)
	must(t, err)
	return fsys
}

// compareTree checks that every file under root reads back from the image
// with the same bytes, type, permissions and link target.
func compareTree(t testing.TB, fsys *FS, root string) int {
	t.Helper()
	count := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		img := "/" + filepath.ToSlash(rel)
		if rel == "." {
			img = "/"
		}
		st, err := os.Lstat(p)
		if err != nil {
			return err
		}
		in, err := fsys.Stat(img)
		if err != nil {
			return fmt.Errorf("%s: %v", img, err)
		}
		count++
		if in.Mode.Type() != st.Mode().Type() {
			t.Errorf("%s: type %v, want %v", img, in.Mode.Type(), st.Mode().Type())
		}
		if in.Mode.Perm() != st.Mode().Perm() {
			t.Errorf("%s: mode %v, want %v", img, in.Mode.Perm(), st.Mode().Perm())
		}
		switch {
		case st.Mode().IsRegular():
			want, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			got, err := fsys.ReadFile(img)
			if err != nil {
				return err
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: contents differ (%d bytes read, %d wanted)", img, len(got), len(want))
			}
			if in.Size != st.Size() {
				t.Errorf("%s: size %d, want %d", img, in.Size, st.Size())
			}
		case st.Mode()&fs.ModeSymlink != 0:
			want, _ := os.Readlink(p)
			got, err := fsys.Readlink(img)
			if err != nil || got != want {
				t.Errorf("%s: link %q (%v), want %q", img, got, err, want)
			}
		case st.IsDir():
			want, _ := os.ReadDir(p)
			got, err := fsys.ReadDir(img)
			if err != nil {
				return err
			}
			if len(got) != len(want) {
				t.Errorf("%s: %d entries, want %d", img, len(got), len(want))
			}
		}
		return nil
	})
	must(t, err)
	return count
}

// diskUsage is the bytes a file really takes on the host's disk.
func diskUsage(t testing.TB, f *os.File) int64 {
	st, err := f.Stat()
	must(t, err)
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		t.Skip("no block count on this host")
	}
	return int64(sys.Blocks) * 512
}
