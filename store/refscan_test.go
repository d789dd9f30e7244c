package store

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	refFoo = "/frx/store/dc04vv14dak1c1r48qa0m23vr9jy8sm0-foo"
	refBar = "/frx/store/zc842j0rz61mjsp3h3wp5ly71ak6qgdn-bar"
	refBaz = "/frx/store/a5cn2i4b83gnsm60d38l3kgb8qfplm11-baz"
	refNot = "/frx/store/0000000000000000000000000000000a-absent"
)

// References in file contents, symlink targets and file names are found;
// candidates that do not occur are not.
func TestScanReferences(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"file1.txt":        "This file references " + refFoo[11:43] + " in its content",
		"file2.txt":        "Multiple refs: " + refBar + "/bin and also " + refBaz[11:43],
		"file3.txt":        "no store path references, only 00000000000000000000000000000000000 noise",
		"link1":            "->" + refBar[11:43] + "-target",
		"sub/file4.txt":    "Subdirectory file with " + refFoo,
		refBaz[11:43] + "": "named after baz",
	})
	found, err := ScanReferences(dir, []string{refFoo, refBar, refBaz, refNot})
	must(t, err)
	if strings.Join(found, " ") != strings.Join([]string{refBaz, refFoo, refBar}, " ") {
		t.Errorf("found %v", found)
	}
	// File names alone count too (the scan covers the NAR).
	dir2 := writeTree(t, map[string]string{refBaz[11:43]: ""})
	found, _ = ScanReferences(dir2, []string{refBaz})
	if len(found) != 1 {
		t.Errorf("name reference not found: %v", found)
	}
}

// A hash split across writes of any size is still found.
func TestRefScannerAcrossWrites(t *testing.T) {
	stream := []byte("xx" + refFoo + "yy" + strings.Repeat("-", 40) + refBar[11:43])
	for _, chunk := range []int{1, 2, 7, 31, 32, 33, 1000} {
		sc := NewRefScanner([]string{refFoo, refBar, refNot})
		for i := 0; i < len(stream); i += chunk {
			sc.Write(stream[i:min(len(stream), i+chunk)])
		}
		if found := sc.Found(); len(found) != 2 {
			t.Errorf("chunk %d: found %v", chunk, found)
		}
	}
}

// The pipelined reader cuts a large file at 1 MiB boundaries; a hash
// straddling one is found.
func TestScanReferencesAcrossBuffers(t *testing.T) {
	dir := t.TempDir()
	data := bytes.Repeat([]byte{0}, 3<<20)
	for _, off := range []int{1<<20 - 200, 2<<20 - 117} { // NAR framing shifts the file by ~100 bytes
		copy(data[off:], refFoo[11:43])
	}
	must(t, os.WriteFile(filepath.Join(dir, "big"), data, 0o644))
	h, size, found, err := HashAndScan(dir, []string{refFoo, refBar})
	must(t, err)
	nh, nsize, _ := NarHash(dir)
	if len(found) != 1 || found[0] != refFoo || !h.Equal(nh) || size != nsize {
		t.Errorf("found %v, hash agrees %v", found, h.Equal(nh))
	}
}

func BenchmarkRefScanner(b *testing.B) {
	data := bytes.Repeat([]byte("some text /frx/store/dc04vv14dak1c1r48qa0m23vr9jy8sm0-foo and binary \x00\x01\x02 data "), 1<<14)
	candidates := make([]string, 1000)
	for i := range candidates {
		candidates[i] = "/frx/store/" + strings.Repeat(string("0123456789abcdfg"[i%16]), 28) + "abcd-x"
	}
	sc := NewRefScanner(append(candidates, refFoo))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		sc.Write(data)
	}
}
