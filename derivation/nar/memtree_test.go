package nar

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestDumpFilesMatchesDisk checks that the NAR of an in-memory tree is
// byte for byte the NAR of the same tree written to disk.
func TestDumpFilesMatchesDisk(t *testing.T) {
	files := []MemFile{
		{Name: "fruix/build/utils.scm", Data: []byte("(define-module (fruix build utils))\n")},
		{Name: "fruix/build/union.scm", Data: []byte("(define-module (fruix build union))\n")},
		{Name: "bin/run", Data: []byte("#!/bin/sh\n"), Executable: true},
		{Name: "a", Data: nil},
		{Name: "fruix-b/x", Data: []byte("odd padding 123")},
	}
	checkMatchesDisk(t, files)
}

// checkMatchesDisk writes files to disk and checks that DumpFiles and
// HashFiles give what Dump and Hash give for the tree on disk.
func checkMatchesDisk(t *testing.T, files []MemFile) {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if f.Dir {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
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
}

func TestDumpFilesRejectsBadNames(t *testing.T) {
	for _, files := range [][]MemFile{
		{{Name: "../x"}},
		{{Name: "/abs"}},
		{{Name: "a//b"}},
		{{Name: "a"}, {Name: "a/b"}},
		{{Name: "a/b"}, {Name: "a"}},
		{{Name: "a"}, {Name: "a"}},
	} {
		if err := DumpFiles(&bytes.Buffer{}, files); err == nil {
			t.Errorf("%v: no error", files)
		}
	}
}
