//go:build !linux

package batchheap

// adviseLargePages does nothing: FreeBSD promotes superpages without
// being asked (vm.pmap.pg_ps_enabled), and other systems are not targets.
func adviseLargePages(b []byte) {}
