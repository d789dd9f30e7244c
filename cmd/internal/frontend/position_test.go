package frontend

import "testing"

func TestLastFormPosOfAtoms(t *testing.T) {
	for _, tt := range []struct{ name, text, want string }{
		{"a constant", "(define x 1)\n\n  42\n", "f.scm:3:3"},
		{"a symbol", "(define x 1)\nx\n", "f.scm:2:1"},
		{"a string", "(define x 1) \"text\"", "f.scm:1:14"},
		{"a vector", "(define x 1)\n   #(1 2 (3))\n", "f.scm:2:4"},
		{"a bytevector", "1\n#u8(1 2)", "f.scm:2:1"},
		{"a character", "1 #\\x", "f.scm:1:3"},
		{"the only datum", "42", "f.scm:1:1"},
		{"datum comments after it", "(define x 1)\n x #;(y z)\n#; w\n", "f.scm:2:2"},
		{"datum comments before it", "(define x 1) #;(y\n z) #; #;a b\n c", "f.scm:3:2"},
		{"a line comment before it", "(define x 1)\n; (not this)\n  x", "f.scm:3:3"},
		{"a nested block comment before it", "1 #| a #| b |# (c) |#\n 2", "f.scm:2:2"},
		{"a file ending in a comment", "(define x 1)\n\t42 ; the answer", "f.scm:2:2"},
		{"a directive before it", "1\n#!fold-case X", "f.scm:2:13"},
		{"a script header before it", "#!/usr/bin/env fruix-eval\n  7\n", "f.scm:2:3"},
		{"a #! !# header before it", "#! fruix-eval\n-s\n!# 7", "f.scm:3:4"},
		{"columns in characters", "\"héllo\" 'é\n\"ü\" ü", "f.scm:2:5"},
		{"a quoted symbol (a list)", "1\n 'x", "f.scm:2:2"},
		{"a list", "(define x 1)\n  (list x\n 2)\n", "f.scm:2:3"},
		{"text that does not read", "(define x", ""},
		{"no datum", "; nothing\n", ""},
	} {
		if got := LastFormPos("f.scm", []byte(tt.text)); got != tt.want {
			t.Errorf("%s: LastFormPos(%q) = %q, want %q", tt.name, tt.text, got, tt.want)
		}
	}
}

func TestLastFormPosCommandLine(t *testing.T) {
	if got := LastFormPos("<command line>", []byte("1")); got != "<command line>:1:1" {
		t.Errorf("-e 1: %q", got)
	}
}
