package dotcheck

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	good := []string{
		"digraph { }",
		"digraph g {\n  rankdir=LR;\n  node [shape=box, label=\"a \\\"q\\\"\"];\n  \"x\" -> \"y\" [label=\"out\"];\n  \"z\";\n}\n",
	}
	for _, text := range good {
		if err := Check(text); err != nil {
			t.Errorf("Check(%q): %v", text, err)
		}
	}
	bad := map[string]string{
		"graph { }":                   "want digraph",
		"digraph { \"a\" -> ; }":      "want a node after ->",
		"digraph { \"a\" [label=x }":  "want an attribute name",
		"digraph { \"a\" -> \"b\" }":  "want ; after an edge",
		"digraph { \"a\";":            "no closing }",
		"digraph { \"a\"; } extra":    "text after the closing }",
		"digraph { \"unterminated; }": "unterminated string",
		"digraph { rankdir=; }":       "want a value after rankdir =",
	}
	for text, want := range bad {
		if err := Check(text); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Check(%q) = %v, want an error with %q", text, err, want)
		}
	}
}
