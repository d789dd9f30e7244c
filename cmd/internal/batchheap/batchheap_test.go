package batchheap

import (
	"bufio"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestReserveBacksAllocationsWithLargePages allocates 32 MB of small
// objects after reserving 64 MB and checks that the kernel backs the
// heap with transparent huge pages, where Linux offers them on request.
// It runs in a process of its own, whose heap is fresh.
func TestReserveBacksAllocationsWithLargePages(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("large pages are asked for on Linux only")
	}
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || !(strings.Contains(string(mode), "[madvise]") || strings.Contains(string(mode), "[always]")) {
		t.Skipf("transparent huge pages are not offered on request here (%q)", strings.TrimSpace(string(mode)))
	}
	if os.Getenv("BATCHHEAP_FRESH_PROCESS") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestReserveBacksAllocationsWithLargePages$", "-test.v")
		cmd.Env = append(os.Environ(), "BATCHHEAP_FRESH_PROCESS=1")
		out, err := cmd.CombinedOutput()
		t.Logf("in a fresh process:\n%s", out)
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	before, fallbacks := anonHugeKB(t), vmstat(t, "thp_fault_fallback")
	start := time.Now()
	Reserve(64 << 20)
	t.Logf("Reserve(64 MiB) took %v", time.Since(start))
	const allocated = 32 << 20
	keep := make([][]byte, 0, allocated/1024)
	for i := range allocated / 1024 {
		b := make([]byte, 1024)
		b[0] = byte(i)
		keep = append(keep, b)
	}
	// Most of what was allocated lies in whole 2 MiB pages of the
	// reserved range; half of it is a margin for what does not.
	got := anonHugeKB(t) - before
	t.Logf("huge pages grew by %d kB for %d kB allocated", got, allocated/1024)
	if got < allocated/1024/2 {
		if vmstat(t, "thp_fault_fallback") > fallbacks {
			t.Skip("the kernel had no huge pages to give (thp_fault_fallback went up): memory too fragmented to check")
		}
		t.Errorf("huge pages backing anonymous memory grew by %d kB for %d kB allocated; want at least half", got, allocated/1024)
	}
	runtime.KeepAlive(keep)
}

func TestReserveIgnoresSmallSizes(t *testing.T) {
	// With the collector off, any collection would be Reserve's.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	Reserve(minReserve - 1)
	runtime.ReadMemStats(&after)
	if after.NumGC != before.NumGC {
		t.Errorf("Reserve(%d) collected; want nothing done below %d bytes", minReserve-1, minReserve)
	}
}

func TestForPrograms(t *testing.T) {
	for _, c := range []struct {
		in   int64
		want int
	}{{0, 0}, {1000, 48000}, {971806, 971806 * 48}, {1 << 40, 1 << 30}} {
		if got := ForPrograms(c.in); got != c.want {
			t.Errorf("ForPrograms(%d) = %d, want %d", c.in, got, c.want)
		}
	}
}

// gcPercentNow reads the collector's target without setting it, which
// would race with the finalizer that sets it.
func gcPercentNow() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
}

// vmstat is a counter of /proc/vmstat.
func vmstat(t *testing.T, name string) int {
	b, err := os.ReadFile("/proc/vmstat")
	if err != nil {
		t.Skipf("cannot read /proc/vmstat: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			n, _ := strconv.Atoi(rest)
			return n
		}
	}
	return 0
}

// anonHugeKB is the AnonHugePages total of this process's mappings.
func anonHugeKB(t *testing.T) int {
	f, err := os.Open("/proc/self/smaps_rollup")
	if err != nil {
		t.Skipf("cannot read smaps_rollup: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "AnonHugePages:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				t.Fatalf("smaps_rollup: %q", sc.Text())
			}
			return n
		}
	}
	t.Skip("no AnonHugePages in smaps_rollup")
	return 0
}

// TestDeferCollection checks that nothing is collected below the limit,
// and that the first collection, at the limit, restores the target.
func TestDeferCollection(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	runtime.GC()
	var before, mid runtime.MemStats
	runtime.ReadMemStats(&before)
	DeferCollection(int64(before.Sys-before.HeapReleased)+64<<20, 150)
	var keep [][]byte
	for range 16 { // 16 MiB, well below the limit
		keep = append(keep, make([]byte, 1<<20))
	}
	runtime.ReadMemStats(&mid)
	if mid.NumGC != before.NumGC {
		t.Fatalf("%d collections below the limit; want none", mid.NumGC-before.NumGC)
	}
	keep = nil
	for range 256 { // 256 MiB of garbage: past the limit
		keep = append(keep[:0], make([]byte, 1<<20))
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := gcPercentNow()
		if got == 150 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GC percent is %d after passing the limit; want 150", got)
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
	if limit := debug.SetMemoryLimit(-1); limit != math.MaxInt64 { // -1 reads it
		t.Errorf("memory limit %d after the first collection; want none", limit)
	}
	runtime.KeepAlive(keep)
}

// TestPrepareForPrograms checks both ways a run is prepared: without
// GOGC or GOMEMLIMIT the collector waits for firstCollection (a small
// program) and then takes the target given; with GOGC set it is left as
// the environment says.
func TestPrepareForPrograms(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	// Earlier tests' data collected and their memory given back, the
	// process is under the 16 MiB limit, which would otherwise start the
	// first collection at once (the limit counts all the memory the Go
	// runtime holds, not only live data).
	debug.FreeOSMemory()
	PrepareForPrograms(1000, 250, func(string) string { return "" })
	if got := debug.SetGCPercent(-1); got != -1 { // -1 again: reading it changes nothing
		t.Errorf("GC percent %d after preparing; want the collector off", got)
	}
	if limit := debug.SetMemoryLimit(-1); limit != firstCollection {
		t.Errorf("memory limit %d after preparing a small program; want %d", limit, firstCollection)
	}
	// The first collection restores the target; wait for it, so that the
	// finalizer does not change the settings under a later test.
	runtime.GC()
	deadline := time.Now().Add(5 * time.Second)
	for gcPercentNow() != 250 {
		if time.Now().After(deadline) {
			t.Fatalf("GC percent %d after the first collection; want 250", gcPercentNow())
		}
		time.Sleep(time.Millisecond)
	}

	debug.SetGCPercent(100)
	debug.SetMemoryLimit(math.MaxInt64)
	PrepareForPrograms(1000, 250, func(name string) string {
		if name == "GOGC" {
			return "100"
		}
		return ""
	})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set, GC percent %d; want it left at 100", got)
	}
	if limit := debug.SetMemoryLimit(-1); limit != math.MaxInt64 {
		t.Errorf("with GOGC set, memory limit %d; want none", limit)
	}
}

func TestProgramBytes(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.scm"), filepath.Join(dir, "b.scm")
	if err := os.WriteFile(a, []byte("(a)"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte("(b b)"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := ProgramBytes([]string{a, dir, filepath.Join(dir, "missing.scm"), b}); got != 8 {
		t.Errorf("ProgramBytes = %d, want 8: the two files, not the directory or the missing one", got)
	}
}

// TestDeferCollectionLatestWins prepares twice: the first preparation's
// finalizer, whenever it runs, must not undo the second's target.
func TestDeferCollectionLatestWins(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	DeferCollection(1<<40, 111)
	DeferCollection(1<<40, 222)
	for range 3 { // both sentinels are garbage: their finalizers run
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if got := gcPercentNow(); got != 222 {
		t.Errorf("GC percent %d after both first collections; want the latest call's 222", got)
	}
}
