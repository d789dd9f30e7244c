//go:build !linux

package batchheap

// adviseLargePages does nothing: FreeBSD promotes superpages without
// being asked (vm.pmap.pg_ps_enabled), and other systems are not targets.
func adviseLargePages(b []byte) (first, last uintptr) { return 0, 0 }

// populate does nothing where adviseLargePages does nothing.
func populate(first, last uintptr) {}
