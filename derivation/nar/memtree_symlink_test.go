package nar

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDumpFilesSymlinksMatchDisk checks that symbolic links of an
// in-memory tree (relative, absolute, dangling, to a directory of the
// tree, beside and inside directories) and directories given as entries
// (empty, or holding other entries) archive byte for byte as the same
// links and directories on disk do.
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
		{Name: "share/empty", Dir: true},
		{Name: "bin", Dir: true},
	}
	checkMatchesDisk(t, files)
	var mem bytes.Buffer
	if err := DumpFiles(&mem, files); err != nil {
		t.Fatal(err)
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
