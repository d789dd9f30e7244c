package eval_test

import (
	"bytes"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/eval/evaltest"
)

// TestConformance runs eval/testdata/*.scm with the core forms, the
// control builtins and the few test builtins of prims_test.go.
func TestConformance(t *testing.T) {
	evaltest.RunDir(t, "testdata", func() *eval.Thread {
		return newTestThreadDepth(&bytes.Buffer{}, 100_000)
	})
}
