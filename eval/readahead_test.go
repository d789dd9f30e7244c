package eval

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"fruix.dev/fruix/lang"
)

// TestReadAheadSameAsInLine: a long program read ahead has the same
// value or fails with the same error, at the same position, as when its
// forms are read one by one: for an error in a form, a bare symbol
// (whose position comes from the reader), read errors.
func TestReadAheadSameAsInLine(t *testing.T) {
	var long strings.Builder
	for i := 0; long.Len() < 2*readAheadMin; i++ {
		fmt.Fprintf(&long, "(define v%d '(a %d \"%d\"))\n", i, i, i)
	}
	n := strings.Count(long.String(), "\n") + 1 // the line of the tail
	for _, c := range []struct{ tail, want string }{
		{"v12", `(a 12 "12")`},
		{"(define v1 'b) v1", "b"},
		{"'done\n   no-such-variable\n(error \"not reached\")", fmt.Sprintf("long.scm:%d:4: unbound variable `no-such-variable'", n+1)},
		{"'done\n   |no such variable|", fmt.Sprintf("long.scm:%d:4: unbound variable `no such variable'", n+1)},
		{"(error \"boom\" v1)", fmt.Sprintf("long.scm:%d:1: boom (a 1 \"1\")", n)},
		{"'x (list 1 2", fmt.Sprintf("long.scm:%d:13: unterminated list", n)},
		{"'y )", fmt.Sprintf("long.scm:%d:4: unexpected `)`", n)},
	} {
		text := long.String() + c.tail
		ahead, aheadErr := evalTextWith(text, readAheadMin)
		inLine, inLineErr := evalTextWith(text, len(text)+1)
		got := fmt.Sprint(aheadErr)
		if aheadErr == nil {
			got = lang.WriteString(ahead)
		}
		if !strings.HasPrefix(got, c.want) {
			t.Errorf("%q: read ahead: %s, want %s", c.tail, got, c.want)
		}
		if fmt.Sprint(aheadErr) != fmt.Sprint(inLineErr) || lang.WriteString(ahead) != lang.WriteString(inLine) {
			t.Errorf("%q: read ahead: %s, %v; in line: %s, %v", c.tail, lang.WriteString(ahead), aheadErr, lang.WriteString(inLine), inLineErr)
		}
	}
}

func evalTextWith(text string, min int) (lang.Value, error) {
	saved := readAheadMin
	readAheadMin = min
	defer func() { readAheadMin = saved }()
	var out bytes.Buffer
	th := New(Options{Stdout: &out, Stderr: &out})
	v, err := th.EvalString(&lang.Source{Name: "long.scm"}, text)
	return v, err
}

// TestReadAheadModuleSource: a long module's source is read ahead too,
// with the same bindings, and the same error at the same position, as
// when read in line.
func TestReadAheadModuleSource(t *testing.T) {
	var long strings.Builder
	long.WriteString("(define-module (big mod) #:export (v7))\n")
	for i := 0; long.Len() < 2*readAheadMin; i++ {
		fmt.Fprintf(&long, "(define v%d '(a %d))\n", i, i)
	}
	n := strings.Count(long.String(), "\n")
	for _, c := range []struct{ tail, want string }{
		{"", "(a 7)"},
		{"  |no such|\n", fmt.Sprintf("big/mod.scm:%d:3: unbound variable `no such'", n+1)},
	} {
		src := fstest.MapFS{"big/mod.scm": {Data: []byte(long.String() + c.tail)}}
		var got [2]string
		for i, min := range []int{readAheadMin, 1 << 30} {
			saved := readAheadMin
			readAheadMin = min
			th := New(Options{Stdout: io.Discard, Sources: []fs.FS{src}})
			v, err := th.EvalString(&lang.Source{Name: "main.scm"}, "(use-modules (big mod)) v7")
			readAheadMin = saved
			got[i] = fmt.Sprint(err)
			if err == nil {
				got[i] = lang.WriteString(v)
			}
		}
		if !strings.HasPrefix(got[0], c.want) || got[0] != got[1] {
			t.Errorf("%q: read ahead: %s; in line: %s; want %s", c.tail, got[0], got[1], c.want)
		}
	}
}
