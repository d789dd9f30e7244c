//go:build linux

package realize

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/store"
	"fruix.dev/fruix/store/sandbox"
)

// crashChildArg makes the test binary run a realization of the .drv paths
// that follow (crashChild) instead of the tests: the crash test kills that
// process at random points.
const crashChildArg = "__realize-crash-child"

func crashChild(args []string) int {
	storeDir, stateDir, drvs := args[0], args[1], args[2:]
	st, err := store.Open(store.Options{StoreDir: derivation.StoreDir(storeDir), StateDir: stateDir})
	for deadline := time.Now().Add(5 * time.Second); errors.Is(err, store.ErrInUse) && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		st, err = store.Open(store.Options{StoreDir: derivation.StoreDir(storeDir), StateDir: stateDir})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer st.Close()
	// Build directories go next to the store, so that those a kill leaves
	// are removed with the test's temporary directory.
	builds := filepath.Join(filepath.Dir(stateDir), "builds")
	os.MkdirAll(builds, 0o755)
	r, err := New(st, Options{Jobs: 2, Sandbox: sandbox.Linux{}, Progress: io.Discard, TempDir: builds})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if _, _, err := r.Realize(context.Background(), drvs...); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// TestCrashAtRandomPoints kills a realizing process with SIGKILL at random
// moments (opening the store, planning, building, registering), many
// times, and checks after each kill that the store is consistent; at the
// end a last run completes everything.
func TestCrashAtRandomPoints(t *testing.T) {
	e := newEnv(t)
	// 12 kills by default keep the suite fast; FRUIX_CRASH_ITERATIONS=30
	// (or more) runs a longer campaign.
	iterations := 12
	if n, err := strconv.Atoi(os.Getenv("FRUIX_CRASH_ITERATIONS")); err == nil && n > 0 {
		iterations = n
	}
	if testing.Short() {
		iterations = 5
	}
	// Generations of the same graph (a diamond and a chain): most
	// iterations start a fresh generation, every third one resumes the
	// previous, possibly half-built one.
	var tops []string
	var outputs []string
	for gen := 0; gen < iterations; gen++ {
		g := map[string]string{"generation": fmt.Sprint(gen)}
		a := e.add(drv{name: "a", env: g, script: `mkdir $out; for i in 1 2 3 4 5 6 7 8; do echo $i > $out/f$i; done`})
		b := e.add(drv{name: "b", env: g, deps: []string{a}, script: `mkdir $out; cp -r $in0 $out/copy; echo $in0 > $out/ref`})
		c := e.add(drv{name: "c", env: g, deps: []string{a}, script: `sleep 0.05; echo $in0 > $out`})
		d := e.add(drv{name: "d", env: g, deps: []string{b, c}, script: `mkdir $out; echo $in0 $in1 > $out/refs`})
		f := e.add(drv{name: "f", env: g, deps: []string{d}, script: `cat $in0/refs > $out`})
		tops = append(tops, f)
		for _, p := range []string{a, b, c, d, f} {
			outputs = append(outputs, e.out(p))
		}
	}
	isOutput := map[string]bool{}
	for _, o := range outputs {
		isOutput[filepath.Base(o)] = true
	}
	e.st.Close()

	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(3))
	deadline := time.Now().Add(time.Duration(iterations) * 5 * time.Second)
	killed, completed := 0, 0
	for i := 0; i < iterations && time.Now().Before(deadline); i++ {
		top := tops[i]
		if i%3 == 2 {
			top = tops[i-1]
		}
		cmd := exec.Command(self, crashChildArg, e.storeDir, e.stateDir, top)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("iteration %d: the realizer failed without being killed: %v\n%s", i, err, stderr.String())
			}
			completed++
		case <-time.After(time.Duration(rng.Intn(300)) * time.Millisecond):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			killed++
		}
		t0 := time.Now()
		checkStoreInvariants(t, e, isOutput, false)
		if testing.Verbose() {
			t.Logf("iteration %d: check took %v", i, time.Since(t0))
		}
	}
	t.Logf("%d runs killed, %d completed before the kill", killed, completed)

	// A last, uninterrupted run completes every generation; afterwards
	// nothing in the store is left invalid.
	cmd := exec.Command(self, append([]string{crashChildArg, e.storeDir, e.stateDir}, tops...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("final run: %v\n%s", err, out)
	}
	checkStoreInvariants(t, e, isOutput, true)
	if left, _ := os.ReadDir(filepath.Join(e.stateDir, "sandbox-roots")); len(left) > 0 {
		t.Errorf("sandbox root mount points left after a complete run: %d", len(left))
	}
}

// checkStoreInvariants opens the store (which removes a crash's temporary
// names) and checks: every valid path is on disk with the recorded NAR
// hash, every reference is valid, nothing temporary is left, and the only
// invalid entries are outputs of the graph (moved into place by a build
// killed before registering them; the next build of it removes them).
// With complete, there may be no invalid entry at all.
func checkStoreInvariants(t *testing.T, e *env, isOutput map[string]bool, complete bool) {
	t.Helper()
	e.open()
	defer e.st.Close()
	valid, err := e.st.ValidPaths()
	if err != nil {
		t.Fatal(err)
	}
	isValid := map[string]bool{}
	for _, p := range valid {
		isValid[filepath.Base(p)] = true
	}
	for _, p := range valid {
		info, err := e.st.QueryPathInfo(p)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := store.NarHash(p)
		if err != nil {
			t.Fatalf("valid path %s is not readable on disk: %v", p, err)
		}
		if !got.Equal(info.NarHash) {
			t.Fatalf("valid path %s: NAR hash %s on disk, %s recorded", p, got, info.NarHash)
		}
		for _, r := range info.References {
			if !isValid[filepath.Base(r)] {
				t.Fatalf("valid path %s refers to %s, which is not valid", p, r)
			}
		}
	}
	entries, err := os.ReadDir(e.storeDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, ent := range entries {
		name := ent.Name()
		switch {
		case isValid[name]:
		case strings.HasPrefix(name, "."):
			t.Fatalf("temporary entry %s left in the store after Open", name)
		case !isOutput[name]:
			t.Fatalf("unknown invalid entry %s in the store", name)
		case complete:
			t.Fatalf("stray output %s left after a complete run", name)
		}
	}
}

// TestKilledRealizerLeavesNoBuilder kills a realizer with SIGKILL while
// its builder runs: the builder (PID 1 of its PID namespace, with
// Pdeathsig) must die with it, and the next realizer must build the same
// derivation in a fresh sandbox.
func TestKilledRealizerLeavesNoBuilder(t *testing.T) {
	e := newEnv(t)
	const marker = "61.2345"
	slow := e.add(drv{name: "slow", script: `sleep ` + marker + `; echo done > $out`})
	quick := e.add(drv{name: "quick", script: `echo done > $out`})
	e.st.Close()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, crashChildArg, e.storeDir, e.stateDir, slow)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	deadline := time.Now().Add(20 * time.Second)
	for len(processesWithArg(marker)) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the builder did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	deadline = time.Now().Add(5 * time.Second)
	for {
		left := processesWithArg(marker)
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("builder processes survived their realizer: %v", left)
		}
		time.Sleep(20 * time.Millisecond)
	}
	out, err := exec.Command(self, crashChildArg, e.storeDir, e.stateDir, quick).CombinedOutput()
	if err != nil {
		t.Fatalf("the next realizer failed: %v\n%s", err, out)
	}
	if left, _ := os.ReadDir(filepath.Join(e.stateDir, "sandbox-roots")); len(left) > 0 {
		t.Errorf("sandbox root mount points left after the next run: %d", len(left))
	}
}

// processesWithArg lists the host pids of the processes one of whose
// arguments is arg.
func processesWithArg(arg string) []string {
	var pids []string
	entries, _ := os.ReadDir("/proc")
	for _, ent := range entries {
		if _, err := strconv.Atoi(ent.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + ent.Name() + "/cmdline")
		if err != nil {
			continue
		}
		for _, a := range strings.Split(string(b), "\x00") {
			if a == arg {
				pids = append(pids, ent.Name())
				break
			}
		}
	}
	return pids
}
