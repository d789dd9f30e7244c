//go:build linux

package realize

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/store/sandbox"
	"github.com/ulikunitz/xz"
)

func TestDiamondBuildsEachDerivationOnce(t *testing.T) {
	e := newEnv(t)
	a := e.add(drv{name: "a", script: `echo a > $out`})
	b := e.add(drv{name: "b", script: `(cat $in0; echo b) > $out`, deps: []string{a}})
	c := e.add(drv{name: "c", script: `(cat $in0; echo c) > $out`, deps: []string{a}})
	d := e.add(drv{name: "d", script: `mkdir $out; cat $in0 $in1 > $out/all; echo $in0 $in1 > $out/refs`, deps: []string{b, c}})
	outs, err := e.realize(Options{Jobs: 2}, d, d, b)
	if err != nil {
		t.Fatalf("%v\n%s", err, e.progress.String())
	}
	if n := e.builds(); n != 4 {
		t.Errorf("%d builds, want 4 (each derivation once):\n%s", n, e.progress.String())
	}
	all, err := os.ReadFile(filepath.Join(outs[d]["out"], "all"))
	if err != nil || string(all) != "a\nb\na\nc\n" {
		t.Errorf("d's output: %q, %v", all, err)
	}
	info, err := e.st.QueryPathInfo(e.out(d))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{e.out(b), e.out(c)}
	if fmt.Sprint(info.References) != fmt.Sprint(sortedCopy(want)) {
		t.Errorf("references of d: %v, want %v", info.References, want)
	}
	if info.Deriver != d {
		t.Errorf("deriver %q, want %q", info.Deriver, d)
	}
	for _, p := range []string{a, b, c, d} {
		if !e.valid(e.out(p)) {
			t.Errorf("%s not valid", e.out(p))
		}
		if _, err := os.Stat(filepath.Join(e.stateDir, "log", filepath.Base(p)+".gz")); err != nil {
			t.Errorf("no log for %s: %v", p, err)
		}
	}
	st, _ := os.Stat(filepath.Join(outs[d]["out"], "all"))
	if st.Mode().Perm() != 0o444 || st.ModTime().Unix() != 1 {
		t.Errorf("output not canonical: %v %v", st.Mode(), st.ModTime())
	}
	// Everything is valid now: nothing is built again.
	if _, err := e.realize(Options{}, d); err != nil || e.builds() != 0 {
		t.Errorf("no-op realize built %d derivations (%v)", e.builds(), err)
	}
	assertNoStaging(t, e)
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	for i := range c {
		for j := i + 1; j < len(c); j++ {
			if c[j] < c[i] {
				c[i], c[j] = c[j], c[i]
			}
		}
	}
	return c
}

func assertNoStaging(t *testing.T, e *env) {
	t.Helper()
	left, _ := filepath.Glob(filepath.Join(e.storeDir, ".tmp-*"))
	if len(left) > 0 {
		t.Errorf("temporary entries left in the store: %v", left)
	}
}

// Two independent builds with -j 2 run at the same time: the scheduler
// starts the second while the first runs, and their logs' time spans overlap.
func TestParallelBuildsOverlap(t *testing.T) {
	e := newEnv(t)
	script := `date +%s.%N; sleep 1; date +%s.%N; echo $name > $out`
	x := e.add(drv{name: "x", script: script})
	y := e.add(drv{name: "y", script: script})
	top := e.add(drv{name: "top", script: `cat $in0 $in1 > $out`, deps: []string{x, y}})
	if _, err := e.realize(Options{Jobs: 2}, top); err != nil {
		t.Fatalf("%v\n%s", err, e.progress.String())
	}
	if !strings.Contains(e.progress.String(), "(also building: ") {
		t.Errorf("the second build did not start while the first ran:\n%s", e.progress.String())
	}
	span := func(drvPath string) (float64, float64) {
		lines := readLog(t, e, drvPath)
		var s, f float64
		fmt.Sscan(lines[0], &s)
		fmt.Sscan(lines[1], &f)
		return s, f
	}
	xs, xf := span(x)
	ys, yf := span(y)
	if !(xs < yf && ys < xf) {
		t.Errorf("builds did not overlap: x [%f, %f], y [%f, %f]", xs, xf, ys, yf)
	}
}

func readLog(t *testing.T, e *env, drvPath string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(e.stateDir, "log", filepath.Base(drvPath)+".gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(zr)
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

func TestFailureInTheMiddle(t *testing.T) {
	for _, keepGoing := range []bool{false, true} {
		t.Run(fmt.Sprint("keep-going=", keepGoing), func(t *testing.T) {
			e := newEnv(t)
			a := e.add(drv{name: "a", script: `echo a > $out`})
			b := e.add(drv{name: "b", script: `echo half > $out; for i in $(seq 1 30); do echo line $i; done; echo something went wrong >&2; exit 3`, deps: []string{a}})
			c := e.add(drv{name: "c", script: `cat $in0 > $out`, deps: []string{b}})
			// slow, independent of b: without --keep-going it is interrupted
			// or never started; with it, it is built.
			d := e.add(drv{name: "d", script: `sleep 3; echo d > $out`})
			top := e.add(drv{name: "top", script: `cat $in0 $in1 > $out`, deps: []string{c, d}})
			var live bytes.Buffer
			_, err := e.realize(Options{Jobs: 2, KeepGoing: keepGoing, BuildLogs: &live}, top)
			if !strings.Contains(live.String(), "b> line 30\nb> something went wrong\n") {
				t.Errorf("build logs not shown live with their prefix:\n%s", live.String())
			}
			var failures Failures
			if !errors.As(err, &failures) {
				t.Fatalf("want build failures, got %v", err)
			}
			var bErr *BuildError
			for _, f := range failures {
				if f.Drv == b {
					bErr = f
				}
			}
			if bErr == nil {
				t.Fatalf("b's failure not reported: %v", failures)
			}
			if bErr.Reason != "builder exited with status 3" {
				t.Errorf("reason %q", bErr.Reason)
			}
			report := bErr.Report()
			for _, want := range []string{"build of " + b + " failed", "something went wrong", "line 30", "full log: " + filepath.Join(e.stateDir, "log")} {
				if !strings.Contains(report, want) {
					t.Errorf("report lacks %q:\n%s", want, report)
				}
			}
			if strings.Contains(report, "line 5\n") {
				t.Errorf("report shows more than the log's tail:\n%s", report)
			}
			if !strings.Contains(e.progress.String(), "something went wrong") {
				t.Errorf("the terminal did not show the failure:\n%s", e.progress.String())
			}
			if _, err := os.Lstat(e.out(b)); err == nil || e.valid(e.out(b)) {
				t.Errorf("the failed build's output is on disk or valid")
			}
			if !e.valid(e.out(a)) {
				t.Errorf("a was not built")
			}
			if e.valid(e.out(c)) || e.valid(e.out(top)) {
				t.Errorf("dependents of the failure were built")
			}
			if got := e.valid(e.out(d)); got != keepGoing {
				t.Errorf("independent d built=%v with keep-going=%v", got, keepGoing)
			}
			if keepGoing {
				because := map[string]string{}
				for _, f := range failures {
					because[f.Drv] = f.Because
				}
				if because[c] != b || because[top] != b {
					t.Errorf("dependents not reported as failing because of b: %v", because)
				}
			}
			assertNoStaging(t, e)
		})
	}
}

func TestKeepFailedKeepsBuildDirectory(t *testing.T) {
	e := newEnv(t)
	a := e.add(drv{name: "a", script: `echo evidence > notes; exit 1`})
	_, err := e.realize(Options{KeepFailed: true, TempDir: t.TempDir()}, a)
	var failures Failures
	if !errors.As(err, &failures) || failures[0].Kept == "" {
		t.Fatalf("want a kept build directory, got %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(failures[0].Kept, "notes")); err != nil || string(b) != "evidence\n" {
		t.Errorf("kept directory lacks the build's files: %q %v", b, err)
	}
	if !strings.Contains(e.progress.String(), "build directory kept in "+failures[0].Kept) {
		t.Errorf("the terminal was not told where:\n%s", e.progress.String())
	}
}

func TestTimeoutAndSilence(t *testing.T) {
	e := newEnv(t)
	slow := e.add(drv{name: "slow", script: `echo working; sleep 30 & sleep 30; echo > $out`})
	start := time.Now()
	_, err := e.realize(Options{Timeout: 300 * time.Millisecond}, slow)
	if err == nil || !strings.Contains(err.Error(), "timed out after 300ms") {
		t.Errorf("want a timeout, got %v", err)
	}
	_, err = e.realize(Options{MaxSilent: 300 * time.Millisecond}, slow)
	if err == nil || !strings.Contains(err.Error(), "without output") {
		t.Errorf("want a silence kill, got %v", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("the builds were not killed promptly (%v)", d)
	}
	if e.valid(e.out(slow)) {
		t.Errorf("killed build registered")
	}
}

func TestFixedOutputHashMismatch(t *testing.T) {
	e := newEnv(t)
	want := sha256.Sum256([]byte("expected\n"))
	fod := e.add(drv{name: "fetched", script: `echo actual > $out`,
		fixed: &derivation.Output{HashAlgo: "sha256", Hash: hex.EncodeToString(want[:])}})
	_, err := e.realize(Options{}, fod)
	got := sha256.Sum256([]byte("actual\n"))
	msg := fmt.Sprintf("hash mismatch in fixed-output derivation %s: wanted sha256:%s, got sha256:%s",
		fod, derivation.Base32Encode(want[:]), derivation.Base32Encode(got[:]))
	if err == nil || !strings.Contains(err.Error(), msg) {
		t.Fatalf("want %q, got %v", msg, err)
	}
	if _, err := os.Lstat(e.out(fod)); err == nil {
		t.Errorf("the mismatching output was left in the store")
	}
	// The right content builds and is registered with its content address.
	ok := e.add(drv{name: "fetched", script: `echo expected > $out`,
		fixed: &derivation.Output{HashAlgo: "sha256", Hash: hex.EncodeToString(want[:])}})
	if _, err := e.realize(Options{}, ok); err != nil {
		t.Fatal(err)
	}
	info, _ := e.st.QueryPathInfo(e.out(ok))
	if info.CA != "fixed:sha256:"+derivation.Base32Encode(want[:]) {
		t.Errorf("content address %q", info.CA)
	}
}

func TestBuiltinFetchurl(t *testing.T) {
	e := newEnv(t)
	content := []byte("tarball bytes\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(content) }))
	defer srv.Close()
	sum := sha256.Sum256(content)
	fixed := &derivation.Output{HashAlgo: "sha256", Hash: hex.EncodeToString(sum[:])}
	viaHTTP := e.add(drv{name: "src.tar", script: "builtin:fetchurl", fixed: fixed, env: map[string]string{"url": srv.URL + "/src.tar"}})
	if _, err := e.realize(Options{}, viaHTTP); err != nil {
		t.Fatalf("%v\n%s", err, e.progress.String())
	}
	if b, _ := os.ReadFile(e.out(viaHTTP)); !bytes.Equal(b, content) {
		t.Errorf("fetched %q", b)
	}

	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "local.tar"), content, 0o644)
	viaFile := e.add(drv{name: "local.tar", script: "builtin:fetchurl", fixed: fixed,
		env: map[string]string{"url": "file://" + dir + "/local.tar", HostPathsVar: dir}})
	if _, err := e.realize(Options{}, viaFile); err != nil {
		t.Fatalf("%v\n%s", err, e.progress.String())
	}

	bad := sha256.Sum256([]byte("other"))
	wrong := e.add(drv{name: "wrong.tar", script: "builtin:fetchurl", env: map[string]string{"url": srv.URL + "/src.tar"},
		fixed: &derivation.Output{HashAlgo: "sha256", Hash: hex.EncodeToString(bad[:])}})
	_, err := e.realize(Options{}, wrong)
	if err == nil || !strings.Contains(err.Error(), "hash mismatch in fixed-output derivation "+wrong) {
		t.Errorf("want a hash mismatch, got %v\n%s", err, e.progress.String())
	}
}

func TestBuiltinUnpack(t *testing.T) {
	e := newEnv(t)
	var plain bytes.Buffer
	tw := tar.NewWriter(&plain)
	tw.WriteHeader(&tar.Header{Name: "usr/src/", Typeflag: tar.TypeDir, Mode: 0o755})
	tw.WriteHeader(&tar.Header{Name: "usr/src/Makefile", Typeflag: tar.TypeReg, Mode: 0o644, Size: 5})
	tw.Write([]byte("all:\n"))
	tw.WriteHeader(&tar.Header{Name: "usr/src/build.sh", Typeflag: tar.TypeReg, Mode: 0o755, Size: 3})
	tw.Write([]byte("#!\n"))
	tw.WriteHeader(&tar.Header{Name: "usr/src/README", Typeflag: tar.TypeSymlink, Linkname: "Makefile"})
	tw.Close()
	var gz, xzb bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain.Bytes())
	zw.Close()
	xw, _ := xz.NewWriter(&xzb)
	xw.Write(plain.Bytes())
	xw.Close()
	for name, data := range map[string][]byte{"src.tar.gz": gz.Bytes(), "src.txz": xzb.Bytes()} {
		file := filepath.Join(t.TempDir(), name)
		os.WriteFile(file, data, 0o644)
		src, err := e.st.AddPath(file, storeAddFlat())
		if err != nil {
			t.Fatal(err)
		}
		u := e.add(drv{name: "unpacked-" + name, script: "builtin:unpack", srcs: []string{src}, env: map[string]string{"src": src}})
		if _, err := e.realize(Options{}, u); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, e.progress.String())
		}
		out := e.out(u)
		if b, _ := os.ReadFile(filepath.Join(out, "usr/src/Makefile")); string(b) != "all:\n" {
			t.Errorf("%s: Makefile %q", name, b)
		}
		if st, err := os.Stat(filepath.Join(out, "usr/src/build.sh")); err != nil || st.Mode().Perm() != 0o555 {
			t.Errorf("%s: build.sh lost its execute bit: %v", name, st)
		}
		if l, _ := os.Readlink(filepath.Join(out, "usr/src/README")); l != "Makefile" {
			t.Errorf("%s: symlink %q", name, l)
		}
	}
}

func TestCheckRebuild(t *testing.T) {
	e := newEnv(t)
	same := e.add(drv{name: "same", script: `mkdir $out; echo stable > $out/f`})
	varying := e.add(drv{name: "varying", script: `date +%s%N > $out`})
	if _, err := e.realize(Options{}, same, varying); err != nil {
		t.Fatal(err)
	}
	r := e.realizer(Options{Check: true})
	_, checks, err := r.Realize(context.Background(), same, varying)
	if err != nil {
		t.Fatalf("%v\n%s", err, e.progress.String())
	}
	got := map[string]bool{}
	for _, c := range checks {
		got[c.Drv] = c.Identical
	}
	if len(checks) != 2 || !got[same] || got[varying] {
		t.Errorf("check results %+v", checks)
	}
	if !strings.Contains(e.progress.String(), "NOT bit-identical") {
		t.Errorf("progress:\n%s", e.progress.String())
	}
	assertNoStaging(t, e)
	_, _, err = e.realizer(Options{Check: true, Sandbox: sandbox.None{}}).Realize(context.Background(), same)
	if err == nil {
		t.Errorf("--check with --sandbox=none should refuse")
	}
}

func TestUnknownBuiltinAndForeignSystem(t *testing.T) {
	e := newEnv(t)
	u := e.add(drv{name: "u", script: "builtin:nonesuch"})
	_, err := e.realize(Options{}, u)
	if err == nil || !strings.Contains(err.Error(), "unknown builder builtin:nonesuch") {
		t.Errorf("got %v", err)
	}
	foreign := e.add(drv{name: "world", system: "x86_64-freebsd", script: "echo > $out"})
	_, err = e.realize(Options{}, foreign)
	if err == nil || !strings.Contains(err.Error(), "the derivation is for x86_64-freebsd; this machine builds for "+HostSystem()) {
		t.Errorf("got %v", err)
	}
}

func TestInterruptStopsEverything(t *testing.T) {
	e := newEnv(t)
	slow := e.add(drv{name: "slow", script: `echo started; sleep 30; echo > $out`})
	after := e.add(drv{name: "after", script: `cat $in0 > $out`, deps: []string{slow}})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(500*time.Millisecond, cancel)
	start := time.Now()
	_, _, err := e.realizer(Options{}).Realize(ctx, after)
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("want an interruption, got %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("interruption took %v", d)
	}
	if e.valid(e.out(slow)) || e.valid(e.out(after)) {
		t.Errorf("interrupted builds registered outputs")
	}
	if strings.Contains(e.progress.String(), "building "+after) {
		t.Errorf("a build started after the interruption:\n%s", e.progress.String())
	}
	assertNoStaging(t, e)
}

// A derivation can be realized from memory, without its .drv file in the
// store; its outputs still name it as their deriver.
func TestInMemoryDerivation(t *testing.T) {
	e := newEnv(t)
	dep := e.add(drv{name: "dep", script: `echo dep > $out`})
	d := derivation.New("in-memory", HostSystem(), "/bin/sh")
	d.Args = []string{"-c", `cat $in0 > $out; echo built in memory >> $out`}
	d.Env["PATH"] = "/bin:/usr/bin"
	d.Env[HostPathsVar] = hostShell
	d.Env["in0"] = e.out(dep)
	d.InputDrvs[dep] = []string{"out"}
	d.Outputs["out"] = derivation.Output{}
	if err := d.FillOutputPaths(e.dir, e.hasher); err != nil {
		t.Fatal(err)
	}
	path, err := d.Path(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	r := e.realizer(Options{})
	r.Add(path, d)
	outs, _, err := r.Realize(context.Background(), path)
	if err != nil {
		t.Fatalf("%v\n%s", err, e.progress.String())
	}
	out := outs[path]["out"]
	if b, _ := os.ReadFile(out); string(b) != "dep\nbuilt in memory\n" {
		t.Errorf("output %q", b)
	}
	if _, err := os.Stat(path); err == nil {
		t.Errorf("the .drv file was written to the store")
	}
	info, err := e.st.QueryPathInfo(out)
	if err != nil || info.Deriver != path || len(info.References) != 0 {
		t.Errorf("path info %+v, %v", info, err)
	}
}
