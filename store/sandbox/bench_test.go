//go:build linux

package sandbox

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// BenchmarkNoneRun is the baseline for BenchmarkLinuxSetupTeardown: the
// same /bin/true build without isolation (process start, pipes, waiting).
// cpuTime is the CPU time used by this process and its waited-for
// children: on a loaded machine it says more than wall-clock time.
func cpuTime() time.Duration {
	var self, children syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(children.Utime) + tv(children.Stime)
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
}

// selfCPU is the CPU time of this process alone: the sandbox's parent side.
func selfCPU() time.Duration {
	var self syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	return time.Duration(self.Utime.Nano() + self.Stime.Nano())
}

func BenchmarkNoneRun(b *testing.B) {
	defer reportCPU(b, cpuTime())
	tmp := b.TempDir()
	store := filepath.Join(tmp, "store")
	os.MkdirAll(store, 0o755)
	devnull, _ := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	stderr := os.Stderr
	os.Stderr = devnull // the loud warning, once per build
	defer func() { os.Stderr = stderr }()
	for i := 0; i < b.N; i++ {
		build := filepath.Join(tmp, fmt.Sprint("build", i))
		os.Mkdir(build, 0o700)
		spec := &Spec{Builder: "/bin/true", BuildDir: build, StoreDir: store, StateDir: tmp}
		res, err := None{}.Run(context.Background(), spec)
		if err != nil || !res.OK() {
			b.Fatal(err, res)
		}
		os.RemoveAll(build)
	}
}
