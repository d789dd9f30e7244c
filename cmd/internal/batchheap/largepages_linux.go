package batchheap

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

const hugePage = 2 << 20

// adviseLargePages asks Linux to back the 2 MiB pages wholly inside b
// with transparent huge pages. Where they are disabled the advice is
// ignored, and so is an error: it only ever costs speed.
func adviseLargePages(b []byte) {
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	end := start + uintptr(len(b))
	first := (start + hugePage - 1) &^ (hugePage - 1)
	last := end &^ (hugePage - 1)
	if last <= first {
		return
	}
	_ = unix.Madvise(b[first-start:last-start], unix.MADV_HUGEPAGE)
}
