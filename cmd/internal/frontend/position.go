package frontend

import "fruix.dev/fruix/lang"

// LastFormPos is where the last top-level expression of a program starts,
// "name:line:col", for an error about the value it computed. The reader
// positions lists only: for a last expression that is an atom (a
// variable, say) it is name alone, and "" when text does not read.
func LastFormPos(name string, text []byte) string {
	data, err := lang.ReadAll(&lang.Source{Name: name}, text)
	if err != nil || len(data) == 0 {
		return ""
	}
	if p, ok := data[len(data)-1].(*lang.Pair); ok && p.Pos.Known() {
		return p.Pos.String()
	}
	return name
}
