package stdlib_test

import (
	"bytes"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/eval/evaltest"
)

// TestGexpConformance runs testdata/gexp/*.scm: G-expressions, file-like
// objects, their lowering, and the errors a user can make with them.
func TestGexpConformance(t *testing.T) {
	evaltest.RunDir(t, "testdata/gexp", func() *eval.Thread {
		var out bytes.Buffer
		return newThread(&out)
	})
}
