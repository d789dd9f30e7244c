package stdlib

import (
	"embed"
	"io/fs"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

//go:embed scm
var embedded embed.FS

// Sources returns the Scheme half of the standard library: module (a b)
// is the file a/b.scm. Give it to eval.Options.Sources.
func Sources() fs.FS {
	sub, err := fs.Sub(embedded, "scm")
	if err != nil {
		panic("stdlib: embedded scm directory missing: " + err.Error())
	}
	return sub
}

// New returns an evaluator with the whole standard library installed:
// opts with the embedded Scheme modules added to its sources, then
// Install.
func New(opts eval.Options) *eval.Thread {
	opts.Sources = append([]fs.FS{Sources()}, opts.Sources...)
	th := eval.New(opts)
	Install(th)
	return th
}

// Install registers the standard library's modules with th. Nothing is
// evaluated now: each module is filled when a program first uses it,
// which keeps start-up fast.
func Install(th *eval.Thread) {
	for _, m := range modules {
		registerModuleSpec(th, m)
	}
	InstallMatch(th)
	th.SuggestModules(hintModules...)
}

// hintModules are the modules an unbound variable's error suggests
// importing when they export it, the configuration's first: the public
// ones, not the build side's primitives nor match's support.
var hintModules = [][]string{
	{"fruix", "gexp"}, {"fruix", "records"}, {"fruix", "derivations"},
	{"srfi", "srfi-1"}, {"srfi", "srfi-13"}, {"srfi", "srfi-26"}, {"srfi", "srfi-69"},
	{"ice-9", "match"}, {"ice-9", "format"}, {"ice-9", "pretty-print"}, {"ice-9", "rdelim"},
	{"ice-9", "regex"}, {"ice-9", "ftw"}, {"ice-9", "popen"},
}

// moduleSpec says what one module holds: whole tables, single builtins
// by name, and values defined by extra.
type moduleSpec struct {
	name   []string
	tables [][]*eval.Builtin
	names  []string
	extra  func(th *eval.Thread, m *eval.Module)
}

// registerModuleSpec registers one module of the library with th, filled
// when a program first uses it.
func registerModuleSpec(th *eval.Thread, m moduleSpec) {
	th.RegisterNativeModule(m.name, func(th *eval.Thread, mod *eval.Module) error {
		n := len(m.names)
		for _, t := range m.tables {
			n += len(t)
		}
		mod.ExpectDefinitions(n)
		for _, t := range m.tables {
			mod.DefineBuiltins(t)
		}
		if len(m.names) > 0 {
			defineNamed(mod, m.names)
		}
		if m.extra != nil {
			m.extra(th, mod)
		}
		return nil
	})
}

// allTables is every builtin table, for the modules that list names.
var allTables = [][]*eval.Builtin{
	equivalenceBuiltins, numberBuiltins, pairBuiltins, cxrBuiltins,
	srfi1Builtins, alistBuiltins, symbolBuiltins, charBuiltins,
	stringBuiltins, srfi13Builtins, charSetBuiltins, vectorBuiltins,
	bytevectorBuiltins, hashTableBuiltins, portBuiltins, formatBuiltins,
	sortBuiltins, processBuiltins, miscBuiltins, pathBuiltins,
	textPortBuiltins, regexBuiltins,
}

var builtinsByName = func() map[string]*eval.Builtin {
	n := 0
	for _, t := range allTables {
		n += len(t)
	}
	m := make(map[string]*eval.Builtin, n) // sized: growing it was a tenth of start-up's package set-up
	for _, t := range allTables {
		for _, b := range t {
			if m[b.Name] != nil {
				panic("stdlib: builtin " + b.Name + " defined twice")
			}
			m[b.Name] = b
		}
	}
	return m
}()

func defineNamed(m *eval.Module, names []string) {
	for _, n := range names {
		b := builtinsByName[n]
		if b == nil {
			panic("stdlib: module lists unknown builtin " + n)
		}
		m.Define(n, b)
	}
}

// guileCoreSRFI1 are the SRFI-1 procedures Guile has without importing
// (srfi srfi-1).
var guileCoreSRFI1 = []string{
	"cons*", "iota", "last-pair", "append!", "reverse!", "delete", "delete!",
	"delete-duplicates", "filter", "filter!", "list-index", "partition",
}

// guileHashNames are the hash table procedures of Guile's core; the
// SRFI-69 names need (srfi srfi-69).
var guileHashNames = []string{
	"make-hash-table", "make-strong-eqv-hash-table", "make-weak-key-hash-table",
	"make-weak-value-hash-table", "make-doubly-weak-hash-table", "hash-table?",
	"hash-ref", "hashq-ref", "hashv-ref", "hash-set!", "hashq-set!", "hashv-set!",
	"hash-remove!", "hashq-remove!", "hashv-remove!", "hash-get-handle",
	"hashq-get-handle", "hashv-get-handle", "hash-clear!", "hash-count",
	"hash-fold", "hash-for-each", "hash-map->list", "hash", "string-hash",
	"string-ci-hash",
}

var srfi69Names = []string{
	"make-hash-table", "hash-table?", "hash-table-ref", "hash-table-ref/default",
	"hash-table-set!", "hash-table-delete!", "hash-table-exists?",
	"hash-table-contains?", "hash-table-update!", "hash-table-update!/default",
	"hash-table-size", "hash-table-count", "hash-table-keys", "hash-table-values",
	"hash-table-walk", "hash-table-fold", "hash-table->alist", "alist->hash-table",
	"hash-table-copy", "hash-table-clear!", "hash-table-merge!",
	"hash-table-equivalence-function", "hash-table-hash-function", "hash",
	"string-hash", "string-ci-hash", "hash-by-identity",
}

func defineStandardPorts(th *eval.Thread, m *eval.Module) {
	st := ports(th)
	if st.module == nil {
		st.module = m
	}
	m.Define("current-input-port", st.curIn)
	m.Define("current-output-port", st.curOut)
	m.Define("current-error-port", st.curErr)
}

func guileExtra(th *eval.Thread, m *eval.Module) {
	defineStandardPorts(th, m)
	defineCharSets(m)
	m.Define("the-eof-object", lang.EOF)
	m.Define("bytevector-copy!", r6rsBytevectorCopy)
}

var r7rsBase = []string{
	"*", "+", "-", "/", "<", "<=", "=", ">", ">=", "abs", "append", "assoc",
	"assq", "assv", "binary-port?", "boolean=?", "boolean?", "bytevector",
	"bytevector-append", "bytevector-copy", "bytevector-copy!",
	"bytevector-length", "bytevector-u8-ref", "bytevector-u8-set!",
	"bytevector?", "call-with-port", "car", "cdr", "caar", "cadr", "cdar",
	"cddr", "ceiling", "char->integer", "char-ready?", "char<=?", "char<?",
	"char=?", "char>=?", "char>?", "char?", "close-input-port",
	"close-output-port", "close-port", "complex?", "cons", "denominator",
	"eof-object", "eof-object?", "eq?", "equal?", "eqv?", "even?", "exact",
	"exact-integer-sqrt", "exact-integer?", "exact?", "expt", "features",
	"floor", "floor-quotient", "floor-remainder", "floor/",
	"flush-output-port", "for-each", "gcd", "get-output-bytevector",
	"get-output-string", "inexact", "inexact?", "input-port-open?",
	"input-port?", "integer->char", "integer?", "lcm", "length", "list",
	"list->string", "list->vector", "list-copy", "list-ref", "list-set!",
	"list-tail", "list?", "make-bytevector", "make-list", "make-string",
	"make-vector", "map", "max", "member", "memq", "memv", "min", "modulo",
	"negative?", "newline", "not", "null?", "number->string", "number?",
	"numerator", "odd?", "open-input-bytevector", "open-input-string",
	"open-output-bytevector", "open-output-string", "output-port-open?",
	"output-port?", "pair?", "peek-char", "peek-u8", "positive?", "quotient",
	"rational?", "rationalize", "read-bytevector", "read-bytevector!",
	"read-char", "read-line", "read-string", "read-u8", "real?", "remainder",
	"reverse", "round", "set-car!", "set-cdr!", "square", "string",
	"string->list", "string->number", "string->symbol", "string->utf8",
	"string->vector", "string-append", "string-copy", "string-copy!",
	"string-fill!", "string-for-each", "string-length", "string-map",
	"string-ref", "string-set!", "string<=?", "string<?", "string=?",
	"string>=?", "string>?", "string?", "substring", "symbol->string",
	"symbol=?", "symbol?", "textual-port?", "truncate", "truncate-quotient",
	"truncate-remainder", "truncate/", "u8-ready?", "utf8->string", "vector",
	"vector->list", "vector->string", "vector-append", "vector-copy",
	"vector-copy!", "vector-fill!", "vector-for-each", "vector-length",
	"vector-map", "vector-ref", "vector-set!", "vector?", "write-bytevector",
	"write-char", "write-string", "write-u8", "zero?",
}

var r7rsChar = []string{
	"char-alphabetic?", "char-ci<=?", "char-ci<?", "char-ci=?", "char-ci>=?",
	"char-ci>?", "char-downcase", "char-foldcase", "char-lower-case?",
	"char-numeric?", "char-upcase", "char-upper-case?", "char-whitespace?",
	"digit-value", "string-ci<=?", "string-ci<?", "string-ci=?", "string-ci>=?",
	"string-ci>?", "string-downcase", "string-foldcase", "string-upcase",
}

// cxr3and4 are the names of (scheme cxr): the compositions of three and
// four car/cdr.
func cxr3and4() []string {
	var out []string
	for _, b := range cxrBuiltins {
		if len(b.Name) >= 5 {
			out = append(out, b.Name)
		}
	}
	return out
}

var modules = []moduleSpec{
	{name: []string{"guile"}, extra: guileExtra, tables: [][]*eval.Builtin{
		equivalenceBuiltins, numberBuiltins, pairBuiltins, cxrBuiltins,
		alistBuiltins, symbolBuiltins, charBuiltins, stringBuiltins,
		srfi13Builtins, charSetBuiltins, vectorBuiltins, bytevectorBuiltins,
		portBuiltins, formatBuiltins, sortBuiltins, processBuiltins, miscBuiltins,
		pathBuiltins,
	}, names: append(append([]string{}, guileCoreSRFI1...), guileHashNames...)},
	{name: []string{"scheme", "base"}, names: r7rsBase, extra: defineStandardPorts},
	{name: []string{"scheme", "char"}, names: r7rsChar},
	{name: []string{"scheme", "cxr"}, names: cxr3and4()},
	{name: []string{"scheme", "inexact"}, names: []string{"acos", "asin", "atan", "cos", "exp", "finite?", "infinite?", "log", "nan?", "sin", "sqrt", "tan"}},
	{name: []string{"scheme", "complex"}, names: []string{"angle", "imag-part", "magnitude", "make-polar", "make-rectangular", "real-part"}},
	{name: []string{"scheme", "read"}, names: []string{"read"}},
	{name: []string{"scheme", "write"}, names: []string{"display", "write", "write-shared", "write-simple"}},
	{name: []string{"scheme", "file"}, names: []string{"call-with-input-file", "call-with-output-file", "delete-file", "file-exists?", "open-binary-input-file", "open-binary-output-file", "open-input-file", "open-output-file", "with-input-from-file", "with-output-to-file"}},
	{name: []string{"scheme", "process-context"}, names: []string{"command-line", "emergency-exit", "exit", "get-environment-variable", "get-environment-variables"}},
	{name: []string{"scheme", "time"}, names: []string{"current-jiffy", "current-second", "jiffies-per-second"}},
	{name: []string{"srfi", "srfi-1"}, tables: [][]*eval.Builtin{srfi1Builtins}},
	{name: []string{"srfi", "srfi-13"}, tables: [][]*eval.Builtin{srfi13Builtins}},
	{name: []string{"srfi", "srfi-14"}, tables: [][]*eval.Builtin{charSetBuiltins}, extra: func(th *eval.Thread, m *eval.Module) { defineCharSets(m) }},
	{name: []string{"srfi", "srfi-28"}, names: []string{"format"}},
	{name: []string{"srfi", "srfi-69"}, names: srfi69Names},
	{name: []string{"ice-9", "format"}, names: []string{"format"}},
	{name: []string{"ice-9", "rdelim"}, names: []string{"read-line", "read-delimited", "read-string", "write-line"}},
	{name: []string{"ice-9", "hash-table"}, names: []string{"alist->hash-table"}},
	{name: []string{"ice-9", "pretty-print"}, names: []string{"pretty-print"}},
	{name: []string{"ice-9", "textual-ports"}, names: textualPortNames},
	{name: []string{"ice-9", "binary-ports"}, names: binaryPortNames},
	{name: []string{"rnrs", "io", "ports"}, names: append(append([]string{"eof-object", "eof-object?", "port?", "input-port?", "output-port?", "textual-port?", "binary-port?", "close-port", "call-with-port"}, textualPortNames...), binaryPortNames...)},
	{name: []string{"rnrs", "bytevectors"}, names: rnrsBytevectorNames, extra: func(th *eval.Thread, m *eval.Module) { m.Define("bytevector-copy!", r6rsBytevectorCopy) }},
	{name: []string{"ice-9", "regex"}, tables: [][]*eval.Builtin{regexBuiltins}, extra: func(th *eval.Thread, m *eval.Module) { defineRegexpFlags(m) }},
	{name: []string{"scheme", "r5rs"}, names: r5rsNames(), extra: defineStandardPorts},
}

// libraryModules is the number of modules above; other files of the
// package append theirs to modules in init functions, which run after.
var libraryModules = len(modules)

var textualPortNames = []string{"get-char", "lookahead-char", "get-line", "get-string-all", "get-string-n", "put-char", "put-string"}

var binaryPortNames = []string{"open-bytevector-input-port", "get-u8", "lookahead-u8", "get-bytevector-n", "get-bytevector-all", "put-u8", "put-bytevector"}

var rnrsBytevectorNames = []string{
	"bytevector?", "make-bytevector", "bytevector-length", "bytevector-u8-ref",
	"bytevector-u8-set!", "bytevector-copy", "bytevector=?", "bytevector-fill!",
	"utf8->string", "string->utf8", "bytevector->u8-list", "u8-list->bytevector",
}

// r5rsNames are the procedures of (scheme r5rs) that the standard library
// provides: R7RS's base, char, cxr, inexact, read, write and file names
// that R5RS had.
func r5rsNames() []string {
	lists := [][]string{r7rsBase, r7rsChar, cxr3and4(), {"acos", "asin", "atan", "cos", "exp", "log", "sin", "sqrt", "tan", "angle", "imag-part", "magnitude", "make-polar", "make-rectangular", "real-part", "read", "display", "write", "call-with-input-file", "call-with-output-file", "open-input-file", "open-output-file", "with-input-from-file", "with-output-to-file", "exact->inexact", "inexact->exact"}}
	n := 0
	for _, list := range lists {
		n += len(list)
	}
	seen := make(map[string]bool, n) // sized: this runs at every start
	out := make([]string, 0, n)
	for _, list := range lists {
		for _, n := range list {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}
