package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

// startProfile writes a CPU profile of the whole run to the file named by
// FRUIX_CPUPROFILE, for `go tool pprof`; it returns the function that
// stops it. Without the variable it does nothing.
func startProfile(getenv func(string) string, stderr io.Writer) (stop func()) {
	path := getenv("FRUIX_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(stderr, "fruix-eval: FRUIX_CPUPROFILE: %v\n", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(stderr, "fruix-eval: FRUIX_CPUPROFILE: %v\n", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
