package main

import (
	"strings"
	"testing"
)

func TestBuildSaysWhenJobsAreCapped(t *testing.T) {
	storeEnv(t)
	const note = "fruix build: -j 64: at most 32 builds run at once, one per build user\n"
	code, out, errOut := runStoreCmd(t, "", runBuild, "--sandbox", "none", "-j", "64", "-e", `(plain-file "jobs" "capped")`)
	if code != 0 || !strings.HasSuffix(strings.TrimSpace(out), "-jobs") {
		t.Fatalf("fruix build -j 64: status %d, stdout %q, stderr %q", code, out, errOut)
	}
	if strings.Count(errOut, note) != 1 {
		t.Errorf("-j 64: want the note once on stderr, got %q", errOut)
	}
	for _, args := range [][]string{
		{"-j", "32"},
		{"-j", "8"},
		{"-j", "64", "--quiet"},
	} {
		args = append(args, "--sandbox", "none", "-e", `(plain-file "jobs" "capped")`)
		code, _, errOut := runStoreCmd(t, "", runBuild, args...)
		if code != 0 || strings.Contains(errOut, "builds run at once") {
			t.Errorf("fruix build %q: status %d, stderr %q", args, code, errOut)
		}
	}
}
