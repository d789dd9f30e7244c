package stdlib_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
)

// generateFileLikes writes a configuration with n file-like objects, in
// groups of 100: 90 plain-files, 9 computed-files each reading 10 of them,
// and a file-union of the 99; a directory-union joins the unions. So
// n = 100,000 makes 90,000 texts and 10,000 derivations (plus one).
// Every object is written out, as a large hand-written file would be.
func generateFileLikes(n int) string {
	var b strings.Builder
	b.WriteString("(use-modules (fruix gexp))\n")
	groups := n / 100
	if groups == 0 {
		groups = 1
	}
	for g := 0; g < groups; g++ {
		for i := 0; i < 90; i++ {
			fmt.Fprintf(&b, "(define f%d-%d (plain-file \"file-%d-%d\" \"content of file %d in group %d\\n\"))\n", g, i, g, i, i, g)
		}
		for c := 0; c < 9; c++ {
			fmt.Fprintf(&b, "(define c%d-%d (computed-file \"step-%d-%d\" #~(call-with-output-file #$output (lambda (port) (for-each (lambda (f) (display f port)) (list", g, c, g, c)
			for i := c * 10; i < c*10+10; i++ {
				fmt.Fprintf(&b, " #$f%d-%d", g, i)
			}
			b.WriteString("))))))\n")
		}
		fmt.Fprintf(&b, "(define u%d (file-union \"group-%d\" (list", g, g)
		for i := 0; i < 90; i++ {
			fmt.Fprintf(&b, " (list \"etc/f%d\" f%d-%d)", i, g, i)
		}
		for c := 0; c < 9; c++ {
			fmt.Fprintf(&b, " (list \"lib/c%d\" c%d-%d)", c, g, c)
		}
		b.WriteString(")))\n")
	}
	b.WriteString("(directory-union \"all\" (list")
	for g := 0; g < groups; g++ {
		fmt.Fprintf(&b, " u%d", g)
	}
	b.WriteString("))\n")
	return b.String()
}

// TestGeneratedConfigLowers checks the generator's output on a small
// size: the shape the benchmarks rely on.
func TestGeneratedConfigLowers(t *testing.T) {
	th := newQuietThread()
	l := lowerProgram(t, th, generateFileLikes(200))
	g, err := stdlib.GraphOf(th, l)
	if err != nil {
		t.Fatal(err)
	}
	// 2 groups: 18 computed-files, 2 file-unions, the directory-union.
	if n := len(g.Derivations.Nodes); n != 21 {
		t.Errorf("%d derivations, want 21", n)
	}
	// 180 plain-files, 21 builder scripts, one module tree per module set.
	if n := len(g.Sources); n < 201 {
		t.Errorf("%d sources, want at least 201", n)
	}
}

// BenchmarkLowerFileLikes evaluates generated configurations and lowers
// them to their full graph, reporting evaluation, lowering with the
// graph walk, lowering the same value again (memoized), and walking the
// graph again without the memo.
func BenchmarkLowerFileLikes(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		if n == 100000 && testing.Short() {
			continue
		}
		src := generateFileLikes(n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var evalT, lowerT, againT, walkT time.Duration
			cpu0 := cpuTime()
			for b.Loop() {
				th := newQuietThread()
				t0 := time.Now()
				v, err := th.EvalString(&lang.Source{Name: "generated.scm"}, src)
				if err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				l, err := stdlib.Lower(th, v)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := stdlib.GraphOf(th, l); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				l2, err := stdlib.Lower(th, v)
				if err != nil || l2 != l {
					b.Fatal("second lowering differs", err)
				}
				if _, err := stdlib.GraphOf(th, l2); err != nil {
					b.Fatal(err)
				}
				t3 := time.Now()
				// Two roots: the graph is walked again, not looked up.
				if _, err := stdlib.GraphOf(th, l, l2); err != nil {
					b.Fatal(err)
				}
				t4 := time.Now()
				evalT += t1.Sub(t0)
				lowerT += t2.Sub(t1)
				againT += t3.Sub(t2)
				walkT += t4.Sub(t3)
			}
			k := float64(b.N)
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/k/1000, "cpu-ms/op")
			b.ReportMetric(float64(evalT.Microseconds())/k/1000, "eval-ms/op")
			b.ReportMetric(float64(lowerT.Microseconds())/k/1000, "lower-ms/op")
			b.ReportMetric(float64(againT.Microseconds())/k/1000, "relower-ms/op")
			b.ReportMetric(float64(walkT.Microseconds())/k/1000, "rewalk-ms/op")
		})
	}
}

// cpuTime is the CPU time the process has used (user and system, every
// thread: the garbage collector's work counts), which a loaded machine
// disturbs less than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// generateSystemLike writes the configuration bench/eval-graph.sh
// generates (keep the two in step): n computed-files, each writing its
// own plain-file source and linking to three earlier ones (i-1, i/2,
// i/3), gathered 50 at a time into file-unions, and those into one
// directory-union. n = 2400 gives 2,449 derivations, about the size of
// Guix's bare-bones system.
func generateSystemLike(n int) string {
	var b strings.Builder
	b.WriteString("(use-modules (fruix gexp))\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "(define p%d\n  (computed-file \"pkg-%d\"\n    #~(begin\n        (mkdir #$output)\n", i, i)
		fmt.Fprintf(&b, "        (copy-file #$(plain-file \"pkg-%d.tar\" \"source of package %d\\n\") (string-append #$output \"/src\"))\n", i, i)
		if i > 0 {
			seen := map[int]bool{}
			for _, d := range []int{i - 1, i / 2, i / 3} {
				if !seen[d] {
					seen[d] = true
					fmt.Fprintf(&b, "        (symlink #$p%d (string-append #$output \"/dep-%d\"))\n", d, d)
				}
			}
		}
		b.WriteString("        #t)))\n")
	}
	groups := (n + 49) / 50
	for g := 0; g < groups; g++ {
		fmt.Fprintf(&b, "(define u%d (file-union \"group-%d\" `(", g, g)
		for i := g * 50; i < n && i < (g+1)*50; i++ {
			fmt.Fprintf(&b, "(\"pkg-%d\" ,p%d) ", i, i)
		}
		b.WriteString(")))\n")
	}
	b.WriteString("(directory-union \"system\" (list")
	for g := 0; g < groups; g++ {
		fmt.Fprintf(&b, " u%d", g)
	}
	b.WriteString("))\n")
	return b.String()
}

// BenchmarkEvalGraph is fruix-eval's work on the configuration of
// bench/eval-graph.sh, phase by phase, in a fresh thread each time:
// reading the text alone, evaluating it (reading included), lowering the
// last value and walking its graph.
func BenchmarkEvalGraph(b *testing.B) {
	for _, n := range []int{2400} {
		src := generateSystemLike(n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var readT, evalT, lowerT time.Duration
			cpu0 := cpuTime()
			for b.Loop() {
				t0 := time.Now()
				if _, err := lang.ReadAll(&lang.Source{Name: "config.scm"}, []byte(src)); err != nil {
					b.Fatal(err)
				}
				th := newQuietThread()
				t1 := time.Now()
				v, err := th.EvalString(&lang.Source{Name: "config.scm"}, src)
				if err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				l, err := stdlib.Lower(th, v)
				if err != nil {
					b.Fatal(err)
				}
				g, err := stdlib.GraphOf(th, l)
				if err != nil {
					b.Fatal(err)
				}
				if len(g.Derivations.Nodes) != n+(n+49)/50+1 {
					b.Fatalf("%d derivations", len(g.Derivations.Nodes))
				}
				t3 := time.Now()
				readT += t1.Sub(t0)
				evalT += t2.Sub(t1)
				lowerT += t3.Sub(t2)
			}
			k := float64(b.N)
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/k/1000, "cpu-ms/op")
			b.ReportMetric(float64(readT.Microseconds())/k/1000, "read-ms/op")
			b.ReportMetric(float64(evalT.Microseconds())/k/1000, "eval-ms/op")
			b.ReportMetric(float64(lowerT.Microseconds())/k/1000, "lower-ms/op")
		})
	}
}

// BenchmarkLowerOnly lowers the value of the configuration of
// bench/eval-graph.sh again and again from scratch, evaluated once: the
// lowering alone, for profiles.
func BenchmarkLowerOnly(b *testing.B) {
	const n = 2400
	th := newQuietThread()
	v, err := th.EvalString(&lang.Source{Name: "config.scm"}, generateSystemLike(n))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		stdlib.ForgetLowering(th)
		l, err := stdlib.Lower(th, v)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := stdlib.GraphOf(th, l); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSystemLikePaths pins the paths of the configuration of
// bench/eval-graph.sh with N = 100, as Fruix computed them before the
// lowering was made faster (commit 612a7d2), and again when the text of
// the shipped modules (fruix build utils) and (fruix build union)
// changed (the commit giving directory-union its options, checked to
// change nothing else): a change of speed must not change a single .drv
// text, builder program or source.
func TestSystemLikePaths(t *testing.T) {
	th := newQuietThread()
	l := lowerProgram(t, th, generateSystemLike(100))
	g, err := stdlib.GraphOf(th, l)
	if err != nil {
		t.Fatal(err)
	}
	if l.Drv.File != "/frx/store/wlgb6ni4qib30mx4mz9p8bcala8rcgz9-system.drv" || l.Outputs["out"] != "/frx/store/1l4ns3qrnlnh14wa2jxa3f2zzwkb6b49-system" {
		t.Errorf("root %s -> %s", l.Drv.File, l.Outputs["out"])
	}
	var paths []string
	for p := range g.Derivations.Nodes {
		paths = append(paths, p)
	}
	for p := range g.Sources {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	sum := sha256.Sum256([]byte(strings.Join(paths, "\n")))
	if len(g.Derivations.Nodes) != 103 || len(g.Sources) != 205 || hex.EncodeToString(sum[:]) != "fd986e13dbc7c8e7fc00d246f2f95f255b299b3cf13e43ec03d390ba39f46659" {
		t.Errorf("%d derivations, %d sources, paths hash %x", len(g.Derivations.Nodes), len(g.Sources), sum)
	}
}
