// Package eval compiles Scheme data read by package lang into an
// executable form with lexical addressing and runs it: proper tail calls,
// escapes and dynamic-wind, conditions with Scheme backtraces,
// syntax-rules macros and modules. A Thread holds all per-run state, so
// several evaluations can run in one process.
package eval
