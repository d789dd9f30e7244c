package main

import "runtime/debug"

// gcPercent is the garbage collector's target for fruix-eval: the heap may
// grow to three times the live data before a collection, instead of Go's
// default of twice. Scheme programs allocate a frame or a pair at almost
// every step and keep little of it, so collecting half as often cuts
// their CPU time by about a third (fib, deriv) for a peak RSS about twice
// as large; see docs/decisions.md. For printing a configuration's graph
// (bench/eval-graph.sh, 2,449 derivations) no other setting measured
// better: 100 spends more CPU collecting, 400 and off touch more fresh
// memory (page faults), and the wall time does not improve with either.
// GOGC in the environment overrides it.
const gcPercent = 200

func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}
