package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestProgramFileWithModules builds a program-file whose gexp imports
// (fruix build utils) and runs it: its #! line gives fruix-eval the
// modules' tree and -s, so every argument, even one that looks like
// fruix-eval's own option, is the program's.
func TestProgramFileWithModules(t *testing.T) {
	canBuild(t)
	env, _, _ := tempStoreEnv(t)
	dir := t.TempDir()
	file := writeFile(t, dir, "tool.scm", `(use-modules (fruix gexp))
(program-file "tool"
  (with-imported-modules '((fruix build utils))
    #~(begin
        (use-modules (fruix build utils))
        (mkdir-p (cadr (command-line)))
        (display (string-join (cddr (command-line)) ","))
        (newline))))
`)
	r := run(t, "", env, "fruix-eval", "--build", file)
	noCrash(t, r)
	if r.code != 0 {
		t.Fatalf("fruix-eval --build: status %d\n%s", r.code, r.stderr)
	}
	tool := strings.TrimSpace(r.stdout)
	text, err := os.ReadFile(tool)
	if err != nil || !strings.HasPrefix(string(text), "#!/usr/bin/env -S fruix-eval -L ") || !strings.Contains(strings.SplitN(string(text), "\n", 2)[0], "-module-import -s") {
		t.Fatalf("the program's #! line: %q (%v)", strings.SplitN(string(text), "\n", 2)[0], err)
	}
	made := filepath.Join(dir, "a/b")
	cmd := exec.Command(tool, made, "x", "-e", "--", "y")
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(command(t, "fruix-eval"))+":"+os.Getenv("PATH"))
	if out, err := cmd.CombinedOutput(); err != nil || string(out) != "x,-e,--,y\n" {
		t.Errorf("running the program: %q (%v), want \"x,-e,--,y\\n\"", out, err)
	}
	if fi, err := os.Stat(made); err != nil || !fi.IsDir() {
		t.Errorf("mkdir-p from the shipped module did not run: %v", err)
	}
}
