package stdlib

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// TestLocalFileGoneWhenLowered: a local file that disappears between the
// call naming it and its lowering is an error at that call, flat or
// recursive, naming the file.
func TestLocalFileGoneWhenLowered(t *testing.T) {
	for _, recursive := range []string{"#f", "#t"} {
		dir := t.TempDir()
		file := filepath.Join(dir, "motd")
		if err := os.WriteFile(file, []byte("hi\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		th := New(eval.Options{})
		v, err := th.EvalString(&lang.Source{Name: "config.scm"},
			"(use-modules (fruix gexp))\n  (local-file "+lang.WriteString(lang.NewString(file))+" #:recursive? "+recursive+")")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(file); err != nil {
			t.Fatal(err)
		}
		_, err = Lower(th, v)
		if err == nil {
			t.Fatalf("recursive? %s: lowering a vanished file: no error", recursive)
		}
		if msg := err.Error(); !strings.Contains(msg, "config.scm:2:3") || !strings.Contains(msg, "local-file: "+lang.WriteString(lang.NewString(file))) {
			t.Errorf("recursive? %s: error %q; want it at config.scm:2:3, naming the file", recursive, msg)
		}
	}
}
