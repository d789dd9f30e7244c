package realize

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/store"
	"fruix.dev/fruix/store/sandbox"
)

// noopGraph is a store holding a 10,000-derivation graph whose outputs
// are all valid, made once for the no-op benchmarks.
var noopGraph struct {
	once sync.Once
	st   *store.Store
	drvs []string
	err  error
}

const noopGraphSize = 10000

func makeNoopGraph(b *testing.B) (*store.Store, []string) {
	noopGraph.once.Do(func() {
		tmp, err := os.MkdirTemp("", "fruix-noop-bench-")
		if err != nil {
			noopGraph.err = err
			return
		}
		dir := derivation.StoreDir(filepath.Join(tmp, "store"))
		st, err := store.Open(store.Options{StoreDir: dir, StateDir: filepath.Join(tmp, "state"), NoSync: true})
		if err != nil {
			noopGraph.err = err
			return
		}
		hasher := derivation.NewModuloHasher(st.ReadDerivation)
		rng := rand.New(rand.NewSource(1))
		var pending []store.PathInfo
		flush := func() error {
			err := st.Register(pending...)
			pending = pending[:0]
			return err
		}
		outs := make([]string, 0, noopGraphSize)
		for i := 0; i < noopGraphSize; i++ {
			d := derivation.New(fmt.Sprintf("pkg-%05d", i), "x86_64-linux", "/bin/sh")
			d.Args = []string{"-c", "echo > $out"}
			d.Outputs["out"] = derivation.Output{}
			var refs []string
			for k := 0; k < 3 && i > 0; k++ {
				j := rng.Intn(i)
				d.InputDrvs[noopGraph.drvs[j]] = []string{"out"}
				refs = append(refs, outs[j])
			}
			if err := d.FillOutputPaths(dir, hasher); err != nil {
				noopGraph.err = err
				return
			}
			// Input derivations' outputs must be valid before the .drv
			// that names them is registered... only the .drv files'
			// references matter, and those are .drv paths.
			p, err := st.AddDerivation(d)
			if err != nil {
				noopGraph.err = err
				return
			}
			out := d.Outputs["out"].Path
			if err := os.WriteFile(out, []byte(fmt.Sprintln(refs)), 0o444); err != nil {
				noopGraph.err = err
				return
			}
			h, size, err := store.NarHash(out)
			if err != nil {
				noopGraph.err = err
				return
			}
			pending = append(pending, store.PathInfo{Path: out, NarHash: h, NarSize: size, References: dedupStrings(refs), Deriver: p})
			if len(pending) == 500 {
				if err := flush(); err != nil {
					noopGraph.err = err
					return
				}
			}
			noopGraph.drvs = append(noopGraph.drvs, p)
			outs = append(outs, out)
		}
		if err := flush(); err != nil {
			noopGraph.err = err
			return
		}
		noopGraph.st = st
	})
	if noopGraph.err != nil {
		b.Fatal(noopGraph.err)
	}
	return noopGraph.st, noopGraph.drvs
}

func dedupStrings(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// BenchmarkNoopRealizeTop realizes the last derivation of a valid
// 10,000-derivation graph: only its own outputs are looked at.
func BenchmarkNoopRealizeTop(b *testing.B) {
	st, drvs := makeNoopGraph(b)
	b.ResetTimer()
	defer reportCPU(b, cpuTime())
	for i := 0; i < b.N; i++ {
		benchNoop(b, st, drvs[len(drvs)-1:])
	}
}

// BenchmarkNoopRealizeAll asks for all 10,000 derivations at once: each
// .drv file is read and parsed, each output checked in the index.
func BenchmarkNoopRealizeAll(b *testing.B) {
	st, drvs := makeNoopGraph(b)
	b.ResetTimer()
	defer reportCPU(b, cpuTime())
	for i := 0; i < b.N; i++ {
		benchNoop(b, st, drvs)
	}
}

func benchNoop(b *testing.B, st *store.Store, drvs []string) {
	r, err := New(st, Options{Sandbox: sandbox.None{}})
	if err != nil {
		b.Fatal(err)
	}
	outs, _, err := r.Realize(context.Background(), drvs...)
	if err != nil || len(outs) != len(drvs) {
		b.Fatalf("%v (%d outputs for %d derivations)", err, len(outs), len(drvs))
	}
}

// cpuTime is the CPU time this process used: on a loaded machine it says
// more than wall-clock time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
}
