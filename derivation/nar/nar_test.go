package nar

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fruix.dev/fruix/derivation"
)

// The tree Nix's tests/functional/fixed.sh builds, whose recursive
// SHA-256 is given in tests/functional/fixed.nix (NixOS/nix commit
// 88b09c64fbea076a0376830d98e5331f70ed31a3): a directory with an empty
// directory bla, a file foo holding "Hello World!\n" and a symlink bar -> foo.
func TestHashNixVector(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "fixed")
	must(t, os.Mkdir(dir, 0o755))
	must(t, os.Mkdir(filepath.Join(dir, "bla"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "foo"), []byte("Hello World!\n"), 0o644))
	must(t, os.Symlink("foo", filepath.Join(dir, "bar")))
	sum, size, err := Hash(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := derivation.Base32Encode(sum[:]); got != "1ixr6yd3297ciyp9im522dfxpqbkhcw0pylkb2aab915278fqaik" {
		t.Errorf("NAR hash %s", got)
	}
	var buf bytes.Buffer
	n, err := Dump(&buf, dir)
	if err != nil || n != size || int64(buf.Len()) != n || sha256.Sum256(buf.Bytes()) != sum {
		t.Errorf("Dump and Hash disagree: %d %d %d %v", n, size, buf.Len(), err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Well-formed NARs from Nix's tests unpack, and archiving the result
// gives back the same bytes.
func TestRestoreDumpRoundTripNixVectors(t *testing.T) {
	for _, name := range []string{"regular-one-byte-zero-padding", "fuzz-simple", "fuzz-case", "fuzz-empty-dir", "fuzz-empty-subdir"} {
		data, err := os.ReadFile("testdata/nix/" + name + ".nar")
		must(t, err)
		dst := filepath.Join(t.TempDir(), "x")
		if err := Restore(bytes.NewReader(data), dst); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var buf bytes.Buffer
		if _, err := Dump(&buf, dst); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), data) {
			t.Errorf("%s: archived back differently", name)
		}
	}
}

// Malformed NARs from Nix's tests are refused with the reason.
func TestRestoreRejectsNixVectors(t *testing.T) {
	for name, want := range map[string]string{
		"invalid-tag-instead-of-contents":   `expected "contents"`,
		"nul-character":                     "invalid entry name",
		"dot":                               `invalid entry name "."`,
		"dotdot":                            `invalid entry name ".."`,
		"slash":                             `invalid entry name "x/y"`,
		"empty":                             `invalid entry name ""`,
		"executable-after-contents":         `expected ")", found "executable"`,
		"name-after-node":                   `expected "name"`,
		"regular-one-byte-non-zero-padding": "non-zero padding",
		"regular-truncated-large-contents":  "impossibly large",
		"regular-truncated-padding":         "unexpected end of archive",
	} {
		data, err := os.ReadFile("testdata/nix/" + name + ".nar")
		must(t, err)
		err = Check(bytes.NewReader(data))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error containing %q", name, err, want)
		}
	}
	data, _ := os.ReadFile("testdata/nix/regular-one-byte-zero-padding.nar")
	if err := Check(bytes.NewReader(append(data, "sentinel"...))); err == nil || !strings.Contains(err.Error(), "after the end") {
		t.Errorf("trailing data: %v", err)
	}
}

// A tree with every kind of node, big files crossing buffer boundaries
// and an executable survives Dump, Restore and Dump again.
func TestRoundTripTree(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	must(t, os.MkdirAll(filepath.Join(src, "a/b/c"), 0o755))
	big := bytes.Repeat([]byte("0123456789abcdef"), (9*chunkSize)/16+7) // more chunks than buffers in flight
	must(t, os.WriteFile(filepath.Join(src, "a/big"), big, 0o644))
	must(t, os.WriteFile(filepath.Join(src, "a/b/run"), []byte("#!/bin/sh\n"), 0o755))
	must(t, os.WriteFile(filepath.Join(src, "empty"), nil, 0o644))
	must(t, os.Symlink("../a/big", filepath.Join(src, "a/b/c/link")))
	var first bytes.Buffer
	_, err := Dump(&first, src)
	must(t, err)
	dst := filepath.Join(t.TempDir(), "dst")
	must(t, Restore(bytes.NewReader(first.Bytes()), dst))
	fi, err := os.Stat(filepath.Join(dst, "a/b/run"))
	if err != nil || fi.Mode()&0o111 == 0 {
		t.Errorf("executable bit lost: %v %v", fi, err)
	}
	var second bytes.Buffer
	_, err = Dump(&second, dst)
	must(t, err)
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Error("round trip changed the archive")
	}
	sum, size, err := Hash(dst)
	if err != nil || size != int64(first.Len()) || sum != sha256.Sum256(first.Bytes()) {
		t.Errorf("pipelined hash differs from Dump: %v", err)
	}
}

func TestDumpRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "fifo")
	if err := mkfifo(p); err != nil {
		t.Skip("cannot make a fifo:", err)
	}
	if _, _, err := Hash(dir); err == nil || !strings.Contains(err.Error(), "cannot archive") {
		t.Errorf("fifo archived: %v", err)
	}
}

func BenchmarkHash(b *testing.B) {
	dir := b.TempDir()
	data := bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7}, 1<<20)
	for i := 0; i < 16; i++ {
		os.WriteFile(filepath.Join(dir, string(rune('a'+i))), data, 0o644)
	}
	b.SetBytes(16 * int64(len(data)))
	for b.Loop() {
		if _, _, err := Hash(dir); err != nil {
			b.Fatal(err)
		}
	}
}
