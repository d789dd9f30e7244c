package store

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cavaliergopher/cpio"
)

// exportFixture stores a tree and a text that refers to it, and exports
// the text's closure.
func exportFixture(t *testing.T) (s *Store, opts Options, tree, top string, archive []byte) {
	s, opts = testStore(t)
	src := writeTree(t, map[string]string{"bin/tool": "#!/bin/sh\n", "data": strings.Repeat("x", 100000), "l": "->data"})
	tree, err := s.AddPath(src, AddOptions{Name: "tool"})
	must(t, err)
	top, err = s.AddText("top", []byte("run "+tree+"/bin/tool"), []string{tree})
	must(t, err)
	var buf bytes.Buffer
	must(t, s.Export(&buf, top))
	return s, opts, tree, top, buf.Bytes()
}

// otherStore opens an empty store with the same store directory path as
// s but its own state and contents: like another machine.
func otherStore(t *testing.T, s *Store, opts Options) *Store {
	t.Helper()
	s.Close()
	must(t, os.RemoveAll(string(opts.StoreDir)))
	must(t, os.RemoveAll(opts.StateDir))
	s2, err := Open(opts)
	must(t, err)
	t.Cleanup(func() { s2.Close() })
	return s2
}

func TestExportIsDeterministic(t *testing.T) {
	s, _, _, top, first := exportFixture(t)
	var second bytes.Buffer
	must(t, s.Export(&second, top))
	if !bytes.Equal(first, second.Bytes()) {
		t.Fatal("exporting twice gave different bytes")
	}
	r := cpio.NewReader(bytes.NewReader(first))
	var names []string
	for {
		h, err := r.Next()
		if err != nil {
			break
		}
		if !h.ModTime.IsZero() && h.ModTime.Unix() != 0 || h.Uid != 0 || h.Guid != 0 {
			t.Errorf("%s: time %v owner %d:%d", h.Name, h.ModTime, h.Uid, h.Guid)
		}
		names = append(names, h.Name)
	}
	if len(names) != 3 || names[0] != "MANIFEST" || names[1] > names[2] {
		t.Errorf("entries %v", names)
	}
}

func TestImportRoundTrip(t *testing.T) {
	s, opts, tree, top, archive := exportFixture(t)
	infoTree, _ := s.QueryPathInfo(tree)
	s2 := otherStore(t, s, opts)
	paths, err := s2.Import(bytes.NewReader(archive))
	must(t, err)
	if len(paths) != 2 || paths[0] != tree || paths[1] != top {
		t.Errorf("imported %v", paths)
	}
	got, err := s2.QueryPathInfo(tree)
	must(t, err)
	if !got.NarHash.Equal(infoTree.NarHash) || got.CA != infoTree.CA {
		t.Errorf("imported info %+v", got)
	}
	if problems, err := s2.Verify(true); err != nil || len(problems) != 0 {
		t.Errorf("verify after import: %v %v", problems, err)
	}
	refs, _ := s2.QueryReferrers(tree)
	if len(refs) != 1 || refs[0] != top {
		t.Errorf("referrers after import: %v", refs)
	}
	// Importing again is a no-op.
	if _, err := s2.Import(bytes.NewReader(archive)); err != nil {
		t.Errorf("second import: %v", err)
	}
}

// Changing one byte of a NAR makes the whole import fail, and nothing is
// registered or left behind.
func TestImportRejectsTamperedArchive(t *testing.T) {
	s, opts, tree, top, archive := exportFixture(t)
	s2 := otherStore(t, s, opts)
	bad := bytes.Replace(archive, []byte("xxxxxxxxxx"), []byte("xxxxxYxxxx"), 1)
	if bytes.Equal(bad, archive) {
		t.Fatal("fixture has nothing to tamper with")
	}
	_, err := s2.Import(bytes.NewReader(bad))
	if err == nil || !strings.Contains(err.Error(), "does not match the manifest") {
		t.Fatalf("tampered archive: %v", err)
	}
	for _, p := range []string{tree, top} {
		if ok, _ := s2.IsValid(p); ok {
			t.Errorf("%s registered from a bad archive", p)
		}
	}
	if entries, _ := os.ReadDir(string(s2.Dir())); len(entries) != 0 {
		t.Errorf("bad import left %d entries in the store", len(entries))
	}
	// A truncated archive fails too.
	if _, err := s2.Import(bytes.NewReader(archive[:len(archive)/2])); err == nil {
		t.Error("truncated archive imported")
	}
	// So does one for another store directory.
	other := rewriteManifest(t, archive, func(m []byte) []byte {
		return bytes.Replace(m, []byte(`"storeDir": "`+string(opts.StoreDir)), []byte(`"storeDir": "/nix/store`), 1)
	})
	if _, err := s2.Import(bytes.NewReader(other)); err == nil || !strings.Contains(err.Error(), "is for the store /nix/store") {
		t.Errorf("archive for another store: %v", err)
	}
}

// rewriteManifest rebuilds an archive with its manifest passed through f.
func rewriteManifest(t *testing.T, archive []byte, f func([]byte) []byte) []byte {
	t.Helper()
	r := cpio.NewReader(bytes.NewReader(archive))
	var out bytes.Buffer
	w := cpio.NewWriter(&out)
	for {
		h, err := r.Next()
		if err != nil {
			break
		}
		var body bytes.Buffer
		body.ReadFrom(r)
		data := body.Bytes()
		if h.Name == manifestEntry {
			data = f(data)
		}
		must(t, w.WriteHeader(&cpio.Header{Name: h.Name, Mode: h.Mode, Size: int64(len(data)), Inode: h.Inode, Links: 1}))
		w.Write(data)
	}
	must(t, w.Close())
	return out.Bytes()
}

// An archive of a path whose references are missing is refused.
func TestImportNeedsReferences(t *testing.T) {
	s, opts, tree, _, _ := exportFixture(t)
	var buf bytes.Buffer
	must(t, s.Export(&buf, tree))
	s2 := otherStore(t, s, opts)
	missing := filepath.Join(string(opts.StoreDir), "00000000000000000000000000000000-gone")
	bad := rewriteManifest(t, buf.Bytes(), func(m []byte) []byte {
		return bytes.Replace(m, []byte(`"references": []`), []byte(`"references": ["`+missing+`"]`), 1)
	})
	_, err := s2.Import(bytes.NewReader(bad))
	if err == nil || !strings.Contains(err.Error(), "refers to "+missing+", which is neither in the archive nor valid") {
		t.Errorf("archive with a missing reference: %v", err)
	}
	if ok, _ := s2.IsValid(tree); ok {
		t.Error("path registered without its reference")
	}
	// The unchanged archive imports.
	if _, err := s2.Import(bytes.NewReader(rewriteManifest(t, buf.Bytes(), func(m []byte) []byte { return m }))); err != nil {
		t.Errorf("rewritten but unchanged archive: %v", err)
	}
}
