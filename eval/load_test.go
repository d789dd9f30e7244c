package eval_test

import (
	"bytes"
	"strings"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// TestLoadMissingFile checks that loading a file that does not exist
// names the file once, says why, and points at the load call.
func TestLoadMissingFile(t *testing.T) {
	th := newTestThread(&bytes.Buffer{})
	_, err := th.EvalString(&lang.Source{Name: "main.scm"}, "(define (f)\n  (load \"missing.scm\"))\n(f)")
	if err == nil {
		t.Fatal("loading a missing file succeeded")
	}
	msg := eval.FormatError(err)
	want := `main.scm:2:3: load: cannot open "missing.scm": no such file or directory`
	if !strings.HasPrefix(msg, want) {
		t.Errorf("error:\n%s\nwant it to start with:\n%s", msg, want)
	}
	if n := strings.Count(msg, "missing.scm"); n != 1 {
		t.Errorf("error names the file %d times; want once:\n%s", n, msg)
	}
}
