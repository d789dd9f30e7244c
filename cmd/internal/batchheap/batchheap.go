// Package batchheap prepares the Go heap of a batch command that is about
// to allocate tens of megabytes in a fraction of a second, such as
// fruix-eval printing the graph of a large configuration.
//
// Such a run spends a surprising share of its time not computing but
// taking page faults: every fresh 4 KiB page of heap costs a trap into
// the kernel the first time it is written, and on a virtual machine each
// trap costs several microseconds. A configuration of 2,500 derivations
// touches about 40 MB of heap, 10,000 pages, which measured 70 ms of a
// 220 ms run. Backing the heap with 2 MiB pages instead takes 512 times
// fewer faults. FreeBSD promotes such superpages by itself; Linux does so
// for anonymous memory only where a program asks (madvise), when
// transparent huge pages are set to "madvise", as on Debian.
package batchheap

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"sync/atomic"
)

// Reserve prepares the heap for a run expected to allocate about n
// bytes: it grows the heap by n bytes at once, asks the system to back
// that range with large pages and gives it back, so that the allocations
// that follow reuse it. It costs a collection of the still small heap (2
// to 5 ms on the machine of docs/performance.md, most of it waiting for
// the collector's phases) and address space, not memory: pages are only
// used when written.
func Reserve(n int) {
	if n < minReserve {
		return
	}
	region := make([]byte, n)
	adviseLargePages(region)
	region = nil
	// Freed by a collection now, the range is where the allocations
	// that follow go; left to a later one, they would go elsewhere.
	// Returned to the system as well (its pages were never touched, so
	// that is cheap), it is known to read as zeros, and the allocator
	// does not clear it again after the kernel has.
	debug.FreeOSMemory()
}

// minReserve is the smallest reservation worth its collection: below a
// few huge pages the faults saved cost less than the work.
const minReserve = 8 << 20

// ForPrograms is the reservation for evaluating programs of the given
// total size in bytes: evaluating a configuration and lowering it to its
// derivation graph allocates about 48 bytes per byte of its text (46 MB
// for the 971 KB of bench/eval-graph.sh's 2,400-package configuration),
// bounded so that a huge input does not reserve without limit.
func ForPrograms(textBytes int64) int {
	const perByte, most = 48, 1 << 30
	if textBytes > most/perByte {
		return most
	}
	return int(textBytes) * perByte
}

// DeferCollection turns the garbage collector off until the heap reaches
// limit bytes, and from the first collection on sets its usual target,
// gcPercent (as GOGC does). A batch run that allocates less than limit
// in all never collects: no marking, no write barriers, no assists, which
// measured 30 % of the CPU time of printing a large graph. A longer run
// collects once at limit, then as usual, so memory stays bounded.
//
// Only the latest call's first collection restores the target: the
// finalizer of an earlier call, which runs whenever the finalizer
// goroutine gets to it, leaves a later call's settings alone.
func DeferCollection(limit int64, gcPercent int) {
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(limit)
	call := deferrals.Add(1)
	sentinel := new(collectionSentinel)
	runtime.SetFinalizer(sentinel, func(*collectionSentinel) {
		if deferrals.Load() == call {
			debug.SetGCPercent(gcPercent)
			debug.SetMemoryLimit(math.MaxInt64)
		}
	})
}

// deferrals counts the calls of DeferCollection.
var deferrals atomic.Int64

// collectionSentinel is an object nothing refers to, whose finalizer
// runs after the first collection.
type collectionSentinel struct{ _ *byte } // a pointer: not packed with others by the tiny allocator

// firstCollection is the heap size at which a prepared run first
// collects, at the least: below it, a run never pays for the collector.
// A run that reserved nothing (a small program) thus first collects
// about where GOGC 200 would have, and its peak memory stays as it was.
const firstCollection = 16 << 20

// PrepareForPrograms sets the heap up for a run evaluating programs of
// textBytes bytes in all, such as a system configuration, and lowering
// it to its derivation graph. That allocates about ForPrograms(textBytes)
// bytes and keeps most of it until the graph is printed or built, so
// collecting along the way frees little: the heap is backed with large
// pages (Reserve) and the first collection waits until twice that, or
// firstCollection, after which the collector's target is gcPercent.
// GOGC or GOMEMLIMIT in the environment leave the collector as they say.
func PrepareForPrograms(textBytes int64, gcPercent int, getenv func(string) string) {
	expected := ForPrograms(textBytes)
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		Reserve(expected)
		return
	}
	debug.SetGCPercent(-1) // reserving would otherwise collect once more
	Reserve(expected)
	DeferCollection(max(2*int64(expected), firstCollection), gcPercent)
}

// ProgramBytes is the total size of the regular files among paths, as
// far as it is known before reading them.
func ProgramBytes(paths []string) int64 {
	var n int64
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			n += st.Size()
		}
	}
	return n
}
