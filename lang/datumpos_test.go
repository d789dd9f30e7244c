package lang

import (
	"io"
	"testing"
)

// TestDatumPos checks where each datum read starts: past white space,
// comments, datum comments and directives, labels included.
func TestDatumPos(t *testing.T) {
	text := "  42 ; note\n#| block\n |# sym #;(skipped) \"str\"\n#!fold-case\n  #(v) #0=(a . #0#) é ok"
	want := []string{"t:1:3", "t:3:5", "t:3:21", "t:5:3", "t:5:8", "t:5:21", "t:5:23"}
	r := NewReader(&Source{Name: "t"}, []byte(text))
	for i := 0; ; i++ {
		_, err := r.Read()
		if err == io.EOF {
			if i != len(want) {
				t.Errorf("read %d data, want %d", i, len(want))
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if i < len(want) && r.DatumPos().String() != want[i] {
			t.Errorf("datum %d starts at %s, want %s", i, r.DatumPos(), want[i])
		}
	}
}
