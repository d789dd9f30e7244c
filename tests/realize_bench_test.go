package tests

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/store/realize"
)

// BenchmarkFruixBuildPerDerivation measures what one build costs with the
// real fruix binary (whose re-execution starts every Linux sandbox): it
// builds 20 independent trivial derivations with -j 1 under each sandbox
// and reports milliseconds per derivation. The difference between
// linux and none is the sandbox's set-up and teardown.
func BenchmarkFruixBuildPerDerivation(b *testing.B) {
	if os.Geteuid() != 0 {
		b.Skip("needs root for the Linux sandbox")
	}
	fruix := realizeFruix(b)
	for _, sb := range []string{"none", "linux"} {
		b.Run(sb, func(b *testing.B) {
			const n = 20
			var total, cpu time.Duration
			for i := 0; i < b.N; i++ {
				tmp := b.TempDir()
				storeDir, stateDir := filepath.Join(tmp, "store"), filepath.Join(tmp, "state")
				var drvs []string
				for k := 0; k < n; k++ {
					d := derivation.New(fmt.Sprintf("trivial-%d-%d", i, k), realize.HostSystem(), "/bin/sh")
					d.Args = []string{"-c", "echo > $out"}
					d.Env["__hostPaths"] = "/bin /lib /lib64 /usr"
					d.Outputs["out"] = derivation.Output{}
					if err := d.FillOutputPaths(derivation.StoreDir(storeDir), derivation.NewModuloHasher(nil)); err != nil {
						b.Fatal(err)
					}
					f := filepath.Join(tmp, fmt.Sprintf("d%d.drv", k))
					os.WriteFile(f, d.ATerm(), 0o644)
					drvs = append(drvs, f)
				}
				start, startCPU := time.Now(), childrenCPU()
				cmd := exec.Command(fruix, append([]string{"build", "--quiet", "-j", "1", "--sandbox", sb, "--store-dir", storeDir, "--state-dir", stateDir}, drvs...)...)
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v\n%s", err, out)
				}
				total += time.Since(start)
				cpu += childrenCPU() - startCPU
			}
			b.ReportMetric(float64(total.Milliseconds())/float64(b.N*n), "ms/derivation")
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N*n), "cpu-ms/derivation")
		})
	}
}

// childrenCPU is the CPU time used by the finished child processes.
func childrenCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
