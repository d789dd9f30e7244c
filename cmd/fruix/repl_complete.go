package main

import (
	"sort"
	"strings"

	"fruix.dev/fruix/lang"
)

// Tab completion for the terminal REPL: the identifier before the cursor
// is completed from the names (guile) exports, the names the session has
// defined, and, at the start of a line, the meta-commands.

// identifierChars are the characters that may continue an identifier.
func isIdentifierChar(c byte) bool {
	return !strings.ContainsRune(" \t\n()[]'`,\";", rune(c))
}

// complete returns the completions of the identifier that ends at pos in
// line, as liner's WordCompleter wants: the text before the identifier,
// the candidates, and the text after the cursor.
func (r *repl) complete(line string, pos int) (head string, completions []string, tail string) {
	if pos > len(line) {
		pos = len(line)
	}
	start := pos
	for start > 0 && isIdentifierChar(line[start-1]) {
		start--
	}
	head, prefix, tail := line[:start], line[start:pos], line[pos:]
	if strings.TrimSpace(head) == "," {
		for _, c := range metaCommands {
			if strings.HasPrefix(c.names[0], prefix) {
				completions = append(completions, c.names[0]+" ")
			}
		}
		return head, completions, tail
	}
	if prefix == "" {
		return head, nil, tail
	}
	for _, name := range r.knownNames() {
		if strings.HasPrefix(name, prefix) {
			completions = append(completions, name)
		}
	}
	return head, completions, tail
}

// knownNames returns the names (guile) exports and those defined in the
// session, sorted.
func (r *repl) knownNames() []string {
	seen := map[string]bool{}
	var names []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	if m, err := r.th.FindModule([]string{"guile"}); err == nil {
		for _, n := range m.ExportedNames() {
			add(n)
		}
	}
	for n := range r.defined {
		add(n)
	}
	sort.Strings(names)
	return names
}

// noteDefinitions remembers the names a top-level form defines, for
// completion: (define name ...), (define (name ...) ...) and their kin.
func (r *repl) noteDefinitions(datum lang.Value) {
	p, ok := datum.(*lang.Pair)
	if !ok {
		return
	}
	head, ok := p.Car.(*lang.Symbol)
	if !ok || !strings.HasPrefix(head.Name, "define") {
		return
	}
	rest, ok := p.Cdr.(*lang.Pair)
	if !ok {
		return
	}
	target := rest.Car
	for {
		switch t := target.(type) {
		case *lang.Symbol:
			if r.defined == nil {
				r.defined = map[string]bool{}
			}
			r.defined[t.Name] = true
			return
		case *lang.Pair: // (define (name args) ...) or curried ((name a) b)
			target = t.Car
		default:
			return
		}
	}
}
