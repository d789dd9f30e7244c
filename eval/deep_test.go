package eval_test

import (
	"bytes"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// TestMillionDeepRecursion shows that non-tail recursion 10^6 calls deep
// works with Go's default stack limit, the evaluation moving to a fresh
// goroutine every depthSegment calls. (Going past MaxDepth fails with a
// Scheme error: testdata/err-deep.scm and recursion.scm.)
func TestMillionDeepRecursion(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a million nested calls take seconds and about 600 MB")
	}
	var out bytes.Buffer
	th := newTestThreadDepth(&out, 0)
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
