package stdlib

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestEveryBuiltinIsTested checks that each builtin of the library is
// called by at least one conformance file, so that no procedure ships
// untested.
func TestEveryBuiltinIsTested(t *testing.T) {
	files, err := filepath.Glob("testdata/*.scm")
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance files: %v", err)
	}
	var all strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	text := all.String()
	var missing []string
	for name := range builtinsByName {
		used := regexp.MustCompile(`[\s(']` + regexp.QuoteMeta(name) + `[\s)]`)
		if !used.MatchString(text) {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("builtins no conformance file uses: %s", strings.Join(missing, " "))
	}
}
