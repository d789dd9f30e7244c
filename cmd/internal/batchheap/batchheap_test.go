package batchheap

import (
	"bufio"
	"math"
	"os"
	"os/exec"
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
	before, fallbacks := anonHugeKB(t), vmstat(t, "thp_fault_fallback")
	start := time.Now()
	Reserve(64 << 20)
	t.Logf("Reserve(64 MiB) took %v", time.Since(start))
	// The range fills in the background, populateLead ahead of what is
	// allocated: here, with nothing allocated, 8 huge pages and no more.
	lead := populateLead / 1024
	deadline := time.Now().Add(10 * time.Second)
	for anonHugeKB(t)-before < lead {
		if time.Now().After(deadline) {
			if vmstat(t, "thp_fault_fallback") > fallbacks {
				t.Skip("the kernel had no huge pages to give (thp_fault_fallback went up): memory too fragmented to check")
			}
			t.Fatalf("huge pages backing anonymous memory went from %d kB to %d kB in 10 s; want %d kB more", before, anonHugeKB(t), lead)
		}
		time.Sleep(time.Millisecond)
	}
	t.Logf("populated %d kB in %v", lead, time.Since(start))
	time.Sleep(100 * time.Millisecond)
	if got := anonHugeKB(t) - before; got > lead+2*2048 {
		t.Errorf("%d kB populated with nothing allocated; want about %d kB", got, lead)
	}
	// Objects allocated in the range while it fills keep their bytes.
	keep := make([][]byte, 0, 1<<15)
	for i := range 1 << 15 {
		b := make([]byte, 1024)
		b[0], b[1023] = byte(i), byte(i>>8)
		keep = append(keep, b)
	}
	for i, b := range keep {
		if b[0] != byte(i) || b[1023] != byte(i>>8) || b[500] != 0 {
			t.Fatalf("object %d changed: %d %d %d", i, b[0], b[1023], b[500])
		}
	}
}

// TestPopulateKeepsConcurrentWrites fills a reserved range while objects
// are being allocated and written in it.
func TestPopulateKeepsConcurrentWrites(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	Reserve(32 << 20)
	keep := make([][]uint64, 0, 1<<14)
	for i := range 1 << 14 {
		b := make([]uint64, 256)
		for j := range b {
			b[j] = uint64(i*256 + j)
		}
		keep = append(keep, b)
	}
	time.Sleep(50 * time.Millisecond)
	for i, b := range keep {
		for j, v := range b {
			if v != uint64(i*256+j) {
				t.Fatalf("object %d word %d = %d, want %d", i, j, v, i*256+j)
			}
		}
	}
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
