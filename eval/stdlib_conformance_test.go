package eval_test

import (
	"bytes"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/eval/evaltest"
	"fruix.dev/fruix/stdlib"
)

// TestConformanceWithStdlib runs the evaluator's conformance files again
// with the whole standard library installed, as fruix-eval runs programs:
// the core forms must behave the same when (guile) is complete.
func TestConformanceWithStdlib(t *testing.T) {
	evaltest.RunDir(t, "testdata", func() *eval.Thread {
		var out bytes.Buffer
		return stdlib.New(eval.Options{Stdout: &out, Stderr: &out, LoadPath: []string{"testdata/modules"}, MaxDepth: 100_000})
	})
}
