package lang

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// FuzzRead checks that the reader never panics or hangs, that reading
// from a port gives the same data and errors as reading from memory, and
// that what it reads, written with `write`, reads back Equal. Its seed
// corpus (testdata/fuzz/FuzzRead and the seeds below) runs in the normal
// test suite; `go test -fuzz FuzzRead ./lang` explores further.
func FuzzRead(f *testing.F) {
	for _, seed := range []string{
		"(define (f x) (+ x 1))",
		"(a . b) [c d] #(1 2) #u8(1 255) '(q) `(a ,b ,@c)",
		"#~(a #$b #$@c #+d #+@e) #'x #`y #,z #,@w",
		`"str\x41;\n\t\\\"" #\a #\space #\x41 #\x |sym bol| #:key`,
		"1 -2 3.5 .5 1e10 1/3 #xff #b101 #e1.5 #i1/2 +inf.0 -nan.0 -0.0 123456789012345678901234567890",
		"; comment\n#| nested #| block |# |# #;(datum comment) x",
		"#0=(a . #0#) #1=#(#1#)",
		"#!fold-case ABC #!no-fold-case #!eof",
		"#!/bin/sh\n!#\n(x)",
		"(a", ")", "(a]", "\"abc", "#q", `#\foo`, "#u8(300)", "(. a)", "(a . b c)", "#|",
		"(((((((((())))))))))", "'''''x", "#;#;a b c", "|a\\|b|", "#{odd}#",
		"\"a\\\n   b\"", "a\xffb \"\xfe\"", "#0=#0#", "#0=(#0=x)", "(#0=(1) #0#)",
		"(#0=(a a) #1=(#0# #0#) #2=(#1# #1#) #3=(#2# #2#) #4=(#3# #3#) #5=(#4# #4#) #6=(#5# #5#) #7=(#6# #6#) #8=(#7# #7#) #9=(#8# #8#) #10=(#9# #9#) #11=(#10# #10#) #12=(#11# #11#) #13=(#12# #12#) #14=(#13# #13#) #15=(#14# #14#) #16=(#15# #15#) #17=(#16# #16#) #18=(#17# #17#) #19=(#18# #18#) #20=(#19# #19#) #21=(#20# #20#) #22=(#21# #21#) #23=(#22# #22#) #24=(#23# #23#) #25=(#24# #24#) #26=(#25# #25#) #27=(#26# #26#) #28=(#27# #27#) #29=(#28# #28#) #30=(#29# #29#))",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		data, err := ReadAll(testSrc, text)
		checkPortReaderAgrees(t, text, data, err)
		for _, v := range data {
			if containsUnreadable(v) {
				continue
			}
			// Data with shared structure (from datum labels) can unfold to
			// exponential size, so they round-trip through write-shared.
			shared := hasSharing(v)
			var written string
			if shared {
				written = string(AppendWriteShared(nil, v))
			} else {
				written = WriteString(v)
				DisplayString(v)
			}
			back, err := ReadString(testSrc, written)
			if err != nil {
				t.Fatalf("%q read as %s, which does not read back: %v", text, written, err)
			}
			if !Equal(v, back) {
				t.Fatalf("%q read as %s, which reads back as %s", text, written, WriteString(back))
			}
			HashEqual(v)
		}
	})
}

// checkPortReaderAgrees reads text through a port and compares with the
// in-memory result.
func checkPortReaderAgrees(t *testing.T, text []byte, data []Value, memErr error) {
	r := NewPortReader(testSrc, strings.NewReader(string(text)))
	for i := 0; ; i++ {
		v, err := r.Read()
		if err == io.EOF {
			if memErr != nil || i != len(data) {
				t.Fatalf("%q: port reader ended after %d data, memory reader read %d then %v", text, i, len(data), memErr)
			}
			return
		}
		if err != nil {
			var re *ReadError
			if !errors.As(err, &re) || memErr == nil || i != len(data) || err.Error() != memErr.Error() {
				t.Fatalf("%q: port reader: datum %d: %v; memory reader: %d data, %v", text, i, err, len(data), memErr)
			}
			return
		}
		if i >= len(data) || !Equal(v, data[i]) && !containsUnreadable(v) {
			t.Fatalf("%q: port reader datum %d is %s", text, i, WriteString(v))
		}
	}
}

// containsUnreadable reports whether v holds a value whose written form
// cannot be read back (#<eof> from #!eof).
func containsUnreadable(v Value) bool {
	seen := map[Value]bool{}
	stack := []Value{v}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch c := x.(type) {
		case *EOFObject, *labelPlaceholder:
			return true
		case *Pair:
			if !seen[c] {
				seen[c] = true
				stack = append(stack, c.Car, c.Cdr)
			}
		case *Vector:
			if !seen[c] {
				seen[c] = true
				stack = append(stack, c.Items...)
			}
		}
	}
	return false
}

// hasSharing reports whether some pair or vector of v is reachable by
// two paths.
func hasSharing(v Value) bool {
	seen := map[Value]bool{}
	stack := []Value{v}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch c := x.(type) {
		case *Pair:
			if seen[c] {
				return true
			}
			seen[c] = true
			stack = append(stack, c.Car, c.Cdr)
		case *Vector:
			if seen[c] {
				return true
			}
			seen[c] = true
			stack = append(stack, c.Items...)
		}
	}
	return false
}
