//go:build stdlibwip

package eval_test

import (
	"os"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/stdlib"
)

func TestBenchScratch(t *testing.T) {
	f := os.Getenv("FRUIX_BENCH")
	if f == "" {
		t.Skip()
	}
	th := eval.New(eval.Options{})
	stdlib.Install(th)
	if _, err := th.LoadFile(f); err != nil {
		t.Fatal(eval.FormatError(err))
	}
}
