package main

import "fruix.dev/fruix/cmd/internal/batchheap"

// gcPercent is the garbage collector's target for fruix-eval once it
// collects: the heap may grow to three times the live data before a
// collection, instead of Go's default of twice. Scheme programs allocate
// a frame or a pair at almost every step and keep little of it, so
// collecting half as often cuts their CPU time by about a third (fib,
// deriv) for a peak RSS about twice as large; see docs/decisions.md.
const gcPercent = 200

// tuneGC sets up the heap for evaluating inv's program files (see
// batchheap.PrepareForPrograms).
func tuneGC(inv *invocation, getenv func(string) string) {
	var files []string
	for _, f := range inv.files {
		if f != "-" {
			files = append(files, f)
		}
	}
	batchheap.PrepareForPrograms(batchheap.ProgramBytes(files), gcPercent, getenv)
}
