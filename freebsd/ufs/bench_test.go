package ufs

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestBenchVsCp measures Build against `cp -a` of the same tree on the same
// disk, side by side, and Build's peak memory. It is a measurement, not a
// check: it runs only with FRUIX_UFS_BENCH=1 and logs its figures (see
// docs/performance.md). FRUIX_UFS_BENCH_MB sets the tree size (default
// 1024), FRUIX_UFS_BENCH_DIR where it is made (default a temporary
// directory).
//
//	FRUIX_UFS_BENCH=1 go test -run BenchVsCp -v -timeout 1h ./freebsd/ufs
func TestBenchVsCp(t *testing.T) {
	if os.Getenv("FRUIX_UFS_BENCH") != "1" {
		t.Skip("a measurement; set FRUIX_UFS_BENCH=1")
	}
	mb := 1024
	if v := os.Getenv("FRUIX_UFS_BENCH_MB"); v != "" {
		mb, _ = strconv.Atoi(v)
	}
	base := os.Getenv("FRUIX_UFS_BENCH_DIR")
	if base == "" {
		base = t.TempDir()
	} else {
		var err error
		base, err = os.MkdirTemp(base, "ufsbench")
		must(t, err)
		defer os.RemoveAll(base)
	}
	tree := filepath.Join(base, "tree")
	var files int
	var bytes int64
	if v := os.Getenv("FRUIX_UFS_BENCH_FILES"); v != "" {
		n, _ := strconv.Atoi(v)
		files, bytes = makeSmallFiles(t, tree, n)
	} else {
		files, bytes = makeMixedTree(t, tree, int64(mb)<<20)
	}
	t.Logf("tree: %d files, %d bytes (%.0f MiB)", files, bytes, float64(bytes)/(1<<20))
	// Warm the page cache for both contenders alike.
	run(t, "cat-warm", "sh", "-c", "find "+tree+" -type f -exec cat {} + > /dev/null")
	exe, err := os.Executable()
	must(t, err)
	for round := 1; round <= 2; round++ {
		cpDst := filepath.Join(base, fmt.Sprintf("cp%d", round))
		cpTime, cpRSS := run(t, "cp -a", "cp", "-a", tree, cpDst)
		img := filepath.Join(base, fmt.Sprintf("img%d", round))
		cmd := []string{exe, "-test.run=^TestBenchChild$"}
		bTime, bRSS := runEnv(t, "ufs.Build", []string{"FRUIX_UFS_BENCH_CHILD=" + tree, "FRUIX_UFS_BENCH_IMG=" + img}, cmd...)
		t.Logf("round %d: cp -a %.2fs (%.0f MiB/s, max RSS %d MiB); ufs.Build %.2fs (%.0f MiB/s, max RSS %d MiB); Build/cp throughput %.2f",
			round, cpTime.Seconds(), float64(bytes)/(1<<20)/cpTime.Seconds(), cpRSS>>20,
			bTime.Seconds(), float64(bytes)/(1<<20)/bTime.Seconds(), bRSS>>20,
			cpTime.Seconds()/bTime.Seconds())
		os.RemoveAll(cpDst)
		os.Remove(img)
	}
}

// TestBenchChild is the Build half of TestBenchVsCp, in its own process so
// that its peak memory can be measured alone.
func TestBenchChild(t *testing.T) {
	v := os.Getenv("FRUIX_UFS_BENCH_CHILD")
	if v == "" {
		t.Skip("run by TestBenchVsCp")
	}
	tree, img := v, os.Getenv("FRUIX_UFS_BENCH_IMG")
	f, err := os.Create(img)
	must(t, err)
	res, err := Build(f, tree, nil, Options{Timestamp: testTime})
	must(t, err)
	must(t, f.Close())
	fmt.Fprintf(os.Stderr, "built %+v\n", *res)
}

func run(t *testing.T, what string, args ...string) (time.Duration, int64) {
	return runEnv(t, what, nil, args...)
}

func runEnv(t *testing.T, what string, env []string, args ...string) (time.Duration, int64) {
	t.Helper()
	// GNU time reports the peak resident set of the command alone (the
	// rusage of a child forked from this process would include this
	// process's own pages).
	out := filepath.Join(t.TempDir(), "time")
	if _, err := os.Stat("/usr/bin/time"); err == nil {
		args = append([]string{"/usr/bin/time", "-f", "%M", "-o", out}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	elapsed := time.Since(start)
	var rss int64
	if b, err := os.ReadFile(out); err == nil {
		kb, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		rss = kb * 1024
	}
	return elapsed, rss
}

// makeMixedTree writes about total bytes of incompressible data: half in
// files of a few KiB, a quarter in files of 64 to 512 KiB, a quarter in
// files of 16 to 64 MiB, spread over directories of 200 entries.
func makeMixedTree(t *testing.T, dir string, total int64) (files int, written int64) {
	rng := rand.New(rand.NewSource(1))
	buf := make([]byte, 64<<20)
	rng.Read(buf)
	write := func(size int64) {
		d := filepath.Join(dir, fmt.Sprintf("d%04d", files/200))
		if files%200 == 0 {
			must(t, os.MkdirAll(d, 0755))
		}
		off := rng.Int63n(int64(len(buf)) - size + 1)
		must(t, os.WriteFile(filepath.Join(d, fmt.Sprintf("f%06d", files)), buf[off:off+size], 0644))
		files++
		written += size
	}
	for written < total/2 {
		write(rng.Int63n(16 << 10))
	}
	for written < total*3/4 {
		write(64<<10 + rng.Int63n(448<<10))
	}
	for written < total {
		write(min(16<<20+rng.Int63n(48<<20), int64(len(buf))))
	}
	return files, written
}

// makeSmallFiles writes n files of 0 to 4 KiB, 1,000 per directory.
func makeSmallFiles(t *testing.T, dir string, n int) (files int, written int64) {
	rng := rand.New(rand.NewSource(2))
	buf := make([]byte, 4096)
	rng.Read(buf)
	for i := 0; i < n; i++ {
		d := filepath.Join(dir, fmt.Sprintf("d%03d", i/1000))
		if i%1000 == 0 {
			must(t, os.MkdirAll(d, 0755))
		}
		size := rng.Intn(4097)
		must(t, os.WriteFile(filepath.Join(d, fmt.Sprintf("f%06d", i)), buf[:size], 0644))
		written += int64(size)
	}
	return n, written
}
