package tests

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalGraphBenchConfig: the configuration bench/eval-graph.sh
// measures is the one stdlib's TestSystemLikePaths pins (written there by
// a Go generator, here by awk): at N = 100 its root is the same .drv.
func TestEvalGraphBenchConfig(t *testing.T) {
	text, err := exec.Command("sh", filepath.Join("..", "bench", "eval-graph.sh"), "--print-config", "100").Output()
	if err != nil {
		t.Fatalf("bench/eval-graph.sh --print-config 100: %v", err)
	}
	file := writeFile(t, t.TempDir(), "config-100.scm", string(text))
	env := []string{"FRUIX_STORE_DIR=/frx/store", "FRUIX_STATE_DIR=" + t.TempDir()}
	r := run(t, "", env, "fruix-eval", "--derivations-only", file)
	drvs := strings.Fields(r.stdout)
	const root = "/frx/store/wlgb6ni4qib30mx4mz9p8bcala8rcgz9-system.drv" // as in TestSystemLikePaths
	if r.code != 0 || len(drvs) != 103 || drvs[len(drvs)-1] != root {
		t.Errorf("fruix-eval --derivations-only of the script's configuration: status %d, %d derivations, last %q; want 103, last %s\n%s",
			r.code, len(drvs), drvs[len(drvs)-1:], root, r.stderr)
	}
}
