package main

import (
	"runtime/debug"

	"fruix.dev/fruix/cmd/internal/batchheap"
)

// gcPercent is the garbage collector's target for fruix-eval once it
// collects: the heap may grow to three times the live data before a
// collection, instead of Go's default of twice. Scheme programs allocate
// a frame or a pair at almost every step and keep little of it, so
// collecting half as often cuts their CPU time by about a third (fib,
// deriv) for a peak RSS about twice as large; see docs/decisions.md.
const gcPercent = 200

// firstCollection is the heap size at which fruix-eval first collects,
// at the least: below it, a run never pays for the collector.
const firstCollection = 64 << 20

// tuneGC sets up the heap for a run evaluating programs of textBytes
// bytes in all. A large configuration's evaluation and lowering allocate
// about 48 bytes per byte of text and keep most of it until the graph is
// printed, so collecting along the way frees little: the first
// collection waits until twice that (or firstCollection), and the heap is
// backed with huge pages (batchheap). GOGC or GOMEMLIMIT in the
// environment leave the collector as they say.
func tuneGC(getenv func(string) string, textBytes int64) {
	expected := batchheap.ForPrograms(textBytes)
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		batchheap.Reserve(expected)
		return
	}
	debug.SetGCPercent(-1) // reserving would otherwise collect once more
	batchheap.Reserve(expected)
	batchheap.DeferCollection(max(2*int64(expected), firstCollection), gcPercent)
}
