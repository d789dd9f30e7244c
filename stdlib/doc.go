// Package stdlib is Fruix's standard library: the builtins written in Go
// (numbers, lists, strings, characters, vectors, bytevectors, hash tables,
// ports, format, sorting, the process context) declared as tables of
// eval.Builtin, one file per area, and the library modules written in
// Scheme under scm/, embedded and loaded only when a program uses them.
//
// Install wires the whole library into an evaluator: it registers the
// (guile) module that Fruix programs see by default, the R7RS (scheme ...)
// libraries and the SRFI and (ice-9 ...) modules Guile programs import.
package stdlib
