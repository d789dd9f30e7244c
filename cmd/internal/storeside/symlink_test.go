package storeside

import (
	"os"
	"path/filepath"
	"testing"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/derivation/nar"
	"fruix.dev/fruix/stdlib"
)

// TestMaterializeTreeWithSymlinks checks that a source tree holding
// symbolic links (as a local-file #:select? keeps them) lands at the path
// evaluation computed from its in-memory NAR, with the links as links.
func TestMaterializeTreeWithSymlinks(t *testing.T) {
	st := openTempStore(t)
	files := []stdlib.TreeFile{
		{Name: "bin/tool", Data: []byte("#!/bin/sh\n"), Executable: true},
		{Name: "bin/alias", Symlink: "tool"},
		{Name: "etc/motd", Data: []byte("hi\n")},
		{Name: "etc/dangling", Symlink: "/nowhere"},
		{Name: "lib", Symlink: "bin"},
	}
	sum, err := nar.HashFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	path, err := st.Dir().MakeSourcePath("linked", sum, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	src := &stdlib.Source{Path: path, Name: "linked", Kind: stdlib.SourceTree, Files: files}
	g := &stdlib.Graph{StoreDir: st.Dir(), Derivations: derivation.NewGraph(), Sources: map[string]*stdlib.Source{path: src},
		Roots: []*stdlib.Lowered{{Source: src, Outputs: map[string]string{"out": path}}}}
	if err := Materialize(st, g); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{"bin/alias": "tool", "etc/dangling": "/nowhere", "lib": "bin"} {
		if got, err := os.Readlink(filepath.Join(path, name)); err != nil || got != target {
			t.Errorf("%s: link to %q (%v), want %q", name, got, err, target)
		}
	}
	if b, err := os.ReadFile(filepath.Join(path, "lib/tool")); err != nil || string(b) != "#!/bin/sh\n" {
		t.Errorf("lib/tool through the link: %q %v", b, err)
	}
}
