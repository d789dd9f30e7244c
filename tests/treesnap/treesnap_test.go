package treesnap

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestListingSeesChanges checks that a change of content (same size),
// of mode, of time, of a link's target or a new file changes the
// listing, and that listing an untouched tree again gives the same.
func TestListingSeesChanges(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "f")
	big := filepath.Join(root, "big")
	link := filepath.Join(root, "l")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(file, []byte("one"), 0o644))
	must(os.WriteFile(big, make([]byte, 3<<20), 0o644))
	must(os.Symlink("f", link))
	stamp := time.Unix(1700000000, 0)
	must(os.Chtimes(file, stamp, stamp))
	must(os.Chtimes(big, stamp, stamp))
	list := func() []string {
		l, err := Listing(root)
		must(err)
		return l
	}
	before := list()
	if again := list(); !slices.Equal(before, again) {
		t.Fatalf("an untouched tree lists differently:\n%q\n%q", before, again)
	}
	for _, change := range []struct {
		what string
		do   func()
	}{
		{"content", func() { must(os.WriteFile(file, []byte("two"), 0o644)); must(os.Chtimes(file, stamp, stamp)) }},
		{"the end of a big file", func() {
			b := make([]byte, 3<<20)
			b[len(b)-1] = 1
			must(os.WriteFile(big, b, 0o644))
			must(os.Chtimes(big, stamp, stamp))
		}},
		{"mode", func() { must(os.Chmod(file, 0o600)) }},
		{"time", func() { must(os.Chtimes(file, stamp, stamp.Add(time.Second))) }},
		{"a link's target", func() { must(os.Remove(link)); must(os.Symlink("big", link)) }},
		{"a new file", func() { must(os.WriteFile(filepath.Join(root, "new"), nil, 0o644)) }},
	} {
		prev := list()
		change.do()
		if slices.Equal(prev, list()) {
			t.Errorf("changing %s left the listing as it was", change.what)
		}
	}
}
