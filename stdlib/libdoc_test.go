package stdlib

import (
	"os"
	"strings"
	"testing"

	"fruix.dev/fruix/eval"
)

// The library reference, docs/language-library.md, is generated from
// the builtin tables so that it lists every procedure with its
// documentation. Regenerate it with
//
//	FRUIX_UPDATE_DOCS=1 go test ./stdlib -run TestLibraryReference
const libraryDocPath = "../docs/language-library.md"

type docArea struct {
	title, intro string
	table        []*eval.Builtin
}

var docAreas = []docArea{
	{"Equivalence and booleans", "", equivalenceBuiltins},
	{"Numbers", "Exact integers of any size, exact rationals and inexact reals (Fruix has no complex numbers: the (scheme complex) procedures work on reals, and a result that would be complex is an error). Arithmetic on fixnums that overflows gives bignums.", numberBuiltins},
	{"Pairs and lists", "R7RS's list procedures. `length`, `append`, `reverse` and the rest report an improper or circular list as an error instead of looping.", pairBuiltins},
	{"car and cdr compositions", "", cxrBuiltins},
	{"SRFI-1", "The procedures of (srfi srfi-1). Those Guile has in its core (`cons*`, `iota`, `last-pair`, `append!`, `reverse!`, `delete`, `delete!`, `delete-duplicates`, `filter`, `filter!`, `list-index`, `partition`) are also in (guile); the others need `(use-modules (srfi srfi-1))`, as in Guile. `delete-duplicates` hashes when the equivalence is eq?, eqv? or equal?, so it is linear on long lists.", srfi1Builtins},
	{"Association lists", "Guile's alist procedures; note that the `-ref` procedures take the alist first.", alistBuiltins},
	{"Symbols and keywords", "", symbolBuiltins},
	{"Characters", "", charBuiltins},
	{"Strings", "Strings are mutable unless they come from `symbol->string`. Indices count characters, not bytes.", stringBuiltins},
	{"SRFI-13 strings", "The SRFI-13 procedures Guile has in its core. Where SRFI-13 takes a char/char-set/predicate argument, a character, a char-set or a procedure are accepted.", srfi13Builtins},
	{"Character sets", "A small SRFI-14: the standard sets `char-set:lower-case`, `char-set:upper-case`, `char-set:title-case`, `char-set:letter`, `char-set:digit`, `char-set:letter+digit`, `char-set:graphic`, `char-set:printing`, `char-set:whitespace`, `char-set:iso-control`, `char-set:punctuation`, `char-set:symbol`, `char-set:hex-digit`, `char-set:blank`, `char-set:ascii`, `char-set:empty` and `char-set:full` (Unicode classes), and these procedures.", charSetBuiltins},
	{"Vectors", "", vectorBuiltins},
	{"Bytevectors", "`bytevector-copy!` comes in two argument orders: (scheme base) has R7RS's `(bytevector-copy! to at from [start end])`; (guile) and (rnrs bytevectors) have R6RS's and Guile's `(bytevector-copy! source source-start target target-start count)`.", bytevectorBuiltins},
	{"Hash tables", "One hash table type serves SRFI-69 and Guile. Iteration (`hash-table->alist`, `hash-for-each`, `hash-fold`, `hash-map->list`, `hash-table-keys`, ...) visits entries in insertion order, so the same program prints the same output on every run. `make-hash-table` takes either SRFI-69's equivalence and hash function or Guile's size hint; a Guile table takes the equivalence of the first `hash-set!`, `hashq-set!` or `hashv-set!` used on it, and the others still work on it. Weak tables hold their entries strongly.", hashTableBuiltins},
	{"Ports", "Textual and binary ports over strings, bytevectors and files. `current-input-port`, `current-output-port` and `current-error-port` are parameters, so `parameterize` rebinds them; `with-output-to-string` and its kin bind them the same way and restore them when control escapes. Output to the standard ports is written through at once. Opening or deleting a missing file raises a file error (`file-error?` is true); `read` of bad syntax raises a read error (`read-error?`).", portBuiltins},
	{"format", "", formatBuiltins},
	{"Sorting", "All sorts are stable merge sorts. Guile's `sort` family takes the sequence first, SRFI-132's `list-sort` and `vector-sort` take the predicate first.", sortBuiltins},
	{"Process context, time and debugging", "`exit` does not end the process from inside the library: it unwinds the evaluation (running `dynamic-wind` after thunks; `guard` cannot catch it) and the command exits with the status.", processBuiltins},
	{"File names", "", pathBuiltins},
	{"R6RS-style ports", "The procedures of (ice-9 textual-ports) and (ice-9 binary-ports), also in (rnrs io ports), which take the port first.", textPortBuiltins},
	{"Regular expressions", "(ice-9 regex): Guile's regular expressions over Go's regexp package. Patterns use POSIX extended syntax (Go's syntax is a superset, without back-references) and match leftmost-longest, as POSIX requires. The flags `regexp/icase`, `regexp/newline`, `regexp/basic`, `regexp/extended`, `regexp/notbol` and `regexp/noteol` are defined; `regexp/basic` is accepted but patterns are always extended. Indices are character indices.", regexBuiltins},
	{"Other procedures", "", miscBuiltins},
}

func generateLibraryDoc() string {
	var b strings.Builder
	b.WriteString(`# The Fruix library

This is the reference of the procedures Fruix provides in Go, by area, and
of the modules that export them. (It is generated from the builtin tables
in ` + "`stdlib/`" + ` by ` + "`FRUIX_UPDATE_DOCS=1 go test ./stdlib -run TestLibraryReference`" + `;
a test fails when it is out of date.) The core syntax and the control
procedures (` + "`apply`, `call/cc`, `dynamic-wind`, `values`, `error`, `raise`, `make-parameter`, `force`, `eval`" + `...)
are the evaluator's and are described with the forms.

A program starts in module (guile-user), which uses (guile). As in Guile,
most of what follows is visible there at once; the rest is imported from
its module: SRFI-1 beyond Guile's core subset from (srfi srfi-1), the
SRFI-69 names from (srfi srfi-69), regular expressions from (ice-9 regex),
the R6RS-style port procedures from (ice-9 textual-ports) and
(ice-9 binary-ports). The table of modules below says which is where.

` + "```scheme" + `
(use-modules (srfi srfi-1) (srfi srfi-69) (ice-9 regex) (ice-9 match))
(import (scheme base) (scheme write))   ; R7RS style works too
` + "```" + `

Errors follow one pattern. A wrong type names the procedure, the argument
(counted from 1), what it wanted and what it got:
` + "`car: argument 1: want pair, got integer`" + `. A value out of range says
what was wrong: ` + "`vector-ref: argument 2: index 10 out of range for vector of length 3`" + `.
Both are error objects that ` + "`guard`" + ` can catch (` + "`error-object-message`" + `
gives the text above); uncaught, they print with the file, line and column
of the call and a backtrace.

`)
	b.WriteString("## Modules\n\n| module | what it holds |\n|---|---|\n")
	// Only the modules of install.go: files that add modules of their
	// own (records, derivations) document them where they are.
	for _, m := range modules[:libraryModules] {
		if len(m.tables)+len(m.names) == 0 {
			continue
		}
		name := "(" + strings.Join(m.name, " ") + ")"
		b.WriteString("| " + name + " | " + moduleSummary(m) + " |\n")
	}
	b.WriteString("| (ice-9 match) | `match`, `match-lambda`, `match-lambda*`, `match-let`, `match-let*`, `match-letrec` |\n")
	b.WriteString("| (srfi srfi-26) | `cut`, `cute` |\n")
	b.WriteString("| (srfi srfi-2) | `and-let*` (written in Scheme, loaded on first use) |\n\n")
	for _, a := range docAreas {
		b.WriteString("## " + a.title + "\n\n")
		if a.intro != "" {
			b.WriteString(a.intro + "\n\n")
		}
		for _, bi := range a.table {
			doc := bi.Doc
			sig, rest, ok := strings.Cut(doc, "): ")
			if ok && strings.HasPrefix(sig, "(") {
				b.WriteString("- `" + sig + ")` — " + rest + "\n")
			} else {
				b.WriteString("- `" + bi.Name + "` — " + doc + "\n")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

func moduleSummary(m moduleSpec) string {
	var parts []string
	for _, t := range m.tables {
		for _, a := range docAreas {
			if len(t) > 0 && len(a.table) > 0 && &t[0] == &a.table[0] {
				parts = append(parts, strings.ToLower(a.title))
			}
		}
	}
	if len(m.names) > 0 {
		names := make([]string, len(m.names))
		for i, n := range m.names {
			names[i] = "`" + n + "`"
		}
		if len(parts) > 0 {
			parts = append(parts, "and "+strings.Join(names, " "))
		} else {
			parts = append(parts, strings.Join(names, " "))
		}
	}
	if m.name[0] == "guile" {
		parts = append(parts, "the standard ports, char-sets and `the-eof-object`; plus the core syntax")
	}
	return strings.Join(parts, ", ")
}

func TestLibraryReference(t *testing.T) {
	for name, b := range builtinsByName {
		if b.Doc == "" {
			t.Errorf("builtin %s has no documentation", name)
		}
	}
	want := generateLibraryDoc()
	if os.Getenv("FRUIX_UPDATE_DOCS") != "" {
		if err := os.WriteFile(libraryDocPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(libraryDocPath)
	if err != nil || string(got) != want {
		t.Errorf("%s is out of date; regenerate it with FRUIX_UPDATE_DOCS=1 go test ./stdlib -run TestLibraryReference", libraryDocPath)
	}
}
