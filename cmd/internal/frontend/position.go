package frontend

import (
	"io"

	"fruix.dev/fruix/lang"
)

// LastFormPos is where the last top-level expression of a program starts,
// "name:line:col", for an error about the value it computed; "" when text
// does not read or holds no expression.
func LastFormPos(name string, text []byte) string {
	r := lang.NewReader(&lang.Source{Name: name}, text)
	var at lang.Pos
	for {
		_, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return ""
		}
		at = r.DatumPos()
	}
	if !at.Known() {
		return ""
	}
	return at.String()
}
