package eval_test

import (
	"bytes"
	"os"
	"runtime/debug"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// TestMillionDeepRecursion shows that non-tail recursion 10^6 calls deep
// works when the Go stack limit is raised as fruix-eval does, and that the
// default limit fails with a Scheme error, not a Go stack overflow.
func TestMillionDeepRecursion(t *testing.T) {
	if os.Getenv("FRUIX_DEEP_TEST") == "" {
		t.Skip("set FRUIX_DEEP_TEST=1: a million nested calls take 5-20 s (GC scans the large stack)")
	}
	const limit = 4 << 30
	old := debug.SetMaxStack(limit)
	defer debug.SetMaxStack(old)
	var out bytes.Buffer
	th := newTestThreadDepth(&out, eval.MaxDepthFor(limit))
	v, err := th.EvalString(&lang.Source{Name: "deep"}, `
(define (deep n) (if (= n 0) 0 (+ 1 (deep (- n 1)))))
(deep 1000000)`)
	if err != nil {
		t.Fatal(eval.FormatError(err))
	}
	if lang.WriteString(v) != "1000000" {
		t.Fatalf("got %s", lang.WriteString(v))
	}
}
