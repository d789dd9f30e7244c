// Package dotcheck checks the Graphviz DOT text Fruix writes (the
// derivation graph of fruix-eval --format dot and Graph.DOT), so that
// tests can check it where Graphviz is not installed. It is test
// support: only tests import it.
package dotcheck

import (
	"fmt"
	"strings"
	"unicode"
)

// Check checks that text is a DOT digraph of the shape Graph.DOT and the
// commands' --format dot write, with the grammar Graphviz accepts:
// `digraph ID { stmt; ... }` where each statement is an attribute
// statement (graph, node, edge), an ID=ID assignment, a node
// (ID [attrs]) or an edge (ID -> ID [attrs]), and IDs are identifiers or
// double-quoted strings.
func Check(text string) error {
	toks, err := dotTokens(text)
	if err != nil {
		return err
	}
	i := 0
	next := func() string {
		if i >= len(toks) {
			return ""
		}
		i++
		return toks[i-1]
	}
	isID := func(t string) bool {
		if strings.HasPrefix(t, `"`) {
			return true
		}
		if t == "" {
			return false
		}
		for _, r := range t {
			if !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.') {
				return false
			}
		}
		return true
	}
	if t := next(); t != "digraph" {
		return fmt.Errorf("want digraph, got %q", t)
	}
	if t := next(); t != "{" {
		if !isID(t) {
			return fmt.Errorf("want the graph's name, got %q", t)
		}
		if t := next(); t != "{" {
			return fmt.Errorf("want {, got %q", t)
		}
	}
	attrs := func() error {
		for {
			t := next()
			if t == "]" {
				return nil
			}
			if !isID(t) {
				return fmt.Errorf("want an attribute name, got %q", t)
			}
			if u := next(); u != "=" {
				return fmt.Errorf("want = after attribute %s, got %q", t, u)
			}
			if t := next(); !isID(t) {
				return fmt.Errorf("want an attribute value, got %q", t)
			}
			if i < len(toks) && toks[i] == "," {
				i++
			}
		}
	}
	for {
		t := next()
		switch {
		case t == "}":
			if i != len(toks) {
				return fmt.Errorf("text after the closing }")
			}
			return nil
		case t == "":
			return fmt.Errorf("unterminated graph: no closing }")
		case !isID(t):
			return fmt.Errorf("want a statement, got %q", t)
		}
		switch u := next(); u {
		case "=":
			if v := next(); !isID(v) {
				return fmt.Errorf("want a value after %s =, got %q", t, v)
			}
			u = next()
			if u != ";" {
				return fmt.Errorf("want ; after an assignment, got %q", u)
			}
			continue
		case "->":
			if v := next(); !isID(v) {
				return fmt.Errorf("want a node after ->, got %q", v)
			}
			u = next()
			if u == "[" {
				if err := attrs(); err != nil {
					return err
				}
				u = next()
			}
			if u != ";" {
				return fmt.Errorf("want ; after an edge, got %q", u)
			}
		case "[":
			if err := attrs(); err != nil {
				return err
			}
			if v := next(); v != ";" {
				return fmt.Errorf("want ; after a node, got %q", v)
			}
		case ";":
		default:
			return fmt.Errorf("after %s: want =, ->, [ or ;, got %q", t, u)
		}
	}
}

// dotTokens splits DOT text into identifiers, quoted strings (kept with
// their quotes) and punctuation.
func dotTokens(text string) ([]string, error) {
	var toks []string
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"':
			j := i + 1
			for ; j < len(text) && text[j] != '"'; j++ {
				if text[j] == '\\' {
					j++
				}
			}
			if j >= len(text) {
				return nil, fmt.Errorf("unterminated string at byte %d", i)
			}
			toks = append(toks, text[i:j+1])
			i = j + 1
		case strings.HasPrefix(text[i:], "->"):
			toks = append(toks, "->")
			i += 2
		case strings.ContainsRune("{}[];,=", rune(c)):
			toks = append(toks, string(c))
			i++
		default:
			j := i
			for j < len(text) && !strings.ContainsRune(" \t\r\n\"{}[];,=", rune(text[j])) && !strings.HasPrefix(text[j:], "->") {
				j++
			}
			toks = append(toks, text[i:j])
			i = j
		}
	}
	return toks, nil
}
