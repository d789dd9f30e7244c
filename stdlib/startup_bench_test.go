package stdlib_test

import (
	"bytes"
	"testing"

	"fruix.dev/fruix/lang"
)

func BenchmarkStartup(b *testing.B) {
	for i := 0; i < b.N; i++ {
		var out bytes.Buffer
		th := newThread(&out)
		if _, err := th.EvalString(&lang.Source{Name: "empty"}, "1"); err != nil {
			b.Fatal(err)
		}
	}
}
