package nar

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeMemFiles puts files on disk under dir as DumpFiles describes them.
func writeMemFiles(t *testing.T, dir string, files []MemFile) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if f.Symlink != "" {
			if err := os.Symlink(f.Symlink, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		mode := os.FileMode(0o644)
		if f.Executable {
			mode = 0o755
		}
		if err := os.WriteFile(p, f.Data, mode); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDumpFilesSymlinksMatchDisk checks that symbolic links of an
// in-memory tree (relative, absolute, dangling, to a directory of the
// tree, beside and inside directories) archive byte for byte as the
// same links on disk do.
func TestDumpFilesSymlinksMatchDisk(t *testing.T) {
	files := []MemFile{
		{Name: "bin/tool", Data: []byte("#!/bin/sh\necho tool\n"), Executable: true},
		{Name: "bin/tool-alias", Symlink: "tool"},
		{Name: "etc/motd", Data: []byte("hello\n")},
		{Name: "etc/issue", Symlink: "motd"},
		{Name: "etc/abs", Symlink: "/frx/store/00000000000000000000000000000000-x/etc"},
		{Name: "dangling", Symlink: "no/such/file"},
		{Name: "lib", Symlink: "bin"},
		{Name: "odd-length-target", Symlink: "a-target-of-13"},
	}
	dir := t.TempDir()
	writeMemFiles(t, dir, files)
	var disk, mem bytes.Buffer
	if _, err := Dump(&disk, dir); err != nil {
		t.Fatal(err)
	}
	if err := DumpFiles(&mem, files); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(disk.Bytes(), mem.Bytes()) {
		t.Fatalf("in-memory NAR (%d bytes) differs from the disk tree's (%d bytes)", mem.Len(), disk.Len())
	}
	sum, _, err := Hash(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := HashFiles(files); err != nil || got != sum {
		t.Fatalf("HashFiles = %x, %v; want %x", got, err, sum)
	}
	// The archive restores to links with the same targets.
	out := filepath.Join(t.TempDir(), "out")
	if err := Restore(bytes.NewReader(mem.Bytes()), out); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Symlink == "" {
			continue
		}
		got, err := os.Readlink(filepath.Join(out, filepath.FromSlash(f.Name)))
		if err != nil || got != f.Symlink {
			t.Errorf("%s: restored link -> %q, %v; want -> %q", f.Name, got, err, f.Symlink)
		}
	}
}

// TestDumpFilesSymlinkIsNotADirectory checks that nothing can be put
// under a symbolic link, even one whose target is a directory: on disk
// the name would be the directory's, not the link's.
func TestDumpFilesSymlinkIsNotADirectory(t *testing.T) {
	for _, files := range [][]MemFile{
		{{Name: "lib", Symlink: "bin"}, {Name: "lib/x", Data: []byte("x")}},
		{{Name: "lib/x", Data: []byte("x")}, {Name: "lib", Symlink: "bin"}},
		{{Name: "a", Symlink: "b"}, {Name: "a", Symlink: "c"}},
		{{Name: "nul", Symlink: "a\x00b"}},
	} {
		err := DumpFiles(&bytes.Buffer{}, files)
		if err == nil || !strings.HasPrefix(err.Error(), "nar: ") {
			t.Errorf("%+v: error %v, want a nar: error", files, err)
		}
	}
}
