package batchheap

import (
	"runtime/metrics"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

const hugePage = 2 << 20

// adviseLargePages asks Linux to back the 2 MiB pages wholly inside b
// with transparent huge pages, and returns that range. Where they are
// disabled the advice is ignored, and so is an error: it only ever costs
// speed.
func adviseLargePages(b []byte) (first, last uintptr) {
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	end := start + uintptr(len(b))
	first = (start + hugePage - 1) &^ (hugePage - 1)
	last = end &^ (hugePage - 1)
	if last <= first {
		return 0, 0
	}
	_ = unix.Madvise(b[first-start:last-start], unix.MADV_HUGEPAGE)
	return first, last
}

// populate has Linux put memory behind [first, last) ahead of the
// allocator, one huge page at a time from the bottom, where the
// allocator starts, on a goroutine of its own: the pages are cleared on
// the other core instead of when the evaluation first writes them. It
// keeps populateLead bytes ahead of what the program has allocated, so
// that a reservation larger than the run needs costs nothing. The range
// is free heap the allocator may hand out meanwhile; MADV_POPULATE_WRITE
// faults pages in as a write would but writes nothing, so an object
// already there keeps its bytes. Kernels before 5.14 refuse it, and
// nothing happens.
func populate(first, last uintptr) {
	if first >= last {
		return
	}
	go func() {
		allocated := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
		metrics.Read(allocated)
		base := allocated[0].Value.Uint64()
		for p := first; p < last; p += hugePage {
			// While the program allocates little (a build running after
			// the evaluation), it looks less and less often.
			for wait := populatePoll; ; wait = min(2*wait, populatePollMax) {
				metrics.Read(allocated)
				if uint64(p-first) < allocated[0].Value.Uint64()-base+populateLead {
					break
				}
				time.Sleep(wait)
			}
			_, _, errno := unix.Syscall(unix.SYS_MADVISE, p, hugePage, unix.MADV_POPULATE_WRITE)
			if errno != 0 {
				return
			}
		}
	}()
}
