package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildExample evaluates and builds an example with fruix-eval --build in
// a private store and returns the one output path it prints.
func buildExample(t *testing.T, name string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("builds run in the Linux sandbox, which needs root")
	}
	root := t.TempDir()
	env := []string{"FRUIX_STORE_DIR=" + filepath.Join(root, "store"), "FRUIX_STATE_DIR=" + filepath.Join(root, "state")}
	r := run(t, "", env, "fruix-eval", "--build", filepath.Join("..", "examples", name))
	noCrash(t, r)
	if r.code != 0 {
		t.Fatalf("fruix-eval --build %s: exit %d\n%s", name, r.code, r.stderr)
	}
	lines := strings.Fields(r.stdout)
	if len(lines) != 1 || !strings.HasPrefix(lines[0], filepath.Join(root, "store")+"/") {
		t.Fatalf("fruix-eval --build %s: want one output path in the store, got:\n%s", name, r.stdout)
	}
	return lines[0]
}

func readBuilt(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestExampleEtcFiles: a file union of configuration files.
func TestExampleEtcFiles(t *testing.T) {
	out := buildExample(t, "etc-files.scm")
	if got := readBuilt(t, filepath.Join(out, "rc.conf")); got != "hostname=\"fruix-vm\"\nifconfig_vtnet0=\"DHCP\"\nsshd_enable=\"YES\"\n" {
		t.Errorf("rc.conf = %q", got)
	}
	if got := readBuilt(t, filepath.Join(out, "hosts")); !strings.Contains(got, "127.0.0.1\tlocalhost fruix-vm\n") {
		t.Errorf("hosts = %q", got)
	}
	want, _ := os.ReadFile("../examples/etc/motd")
	if got := readBuilt(t, filepath.Join(out, "motd")); got != string(want) {
		t.Errorf("motd = %q, want the content of examples/etc/motd", got)
	}
}

// TestExampleBuildStep: a computed file whose build step substitutes
// values into a template.
func TestExampleBuildStep(t *testing.T) {
	out := buildExample(t, "build-step.scm")
	want := "Port 22\nPermitRootLogin no\nPasswordAuthentication no\n"
	if got := readBuilt(t, out); got != want {
		t.Errorf("sshd_config = %q, want %q", got, want)
	}
}

// TestExampleAssembled: a directory assembled from several inputs.
func TestExampleAssembled(t *testing.T) {
	out := buildExample(t, "assembled.scm")
	if got := readBuilt(t, filepath.Join(out, "etc/site.conf")); got != "mirror=https://pkg.example.org\n" {
		t.Errorf("etc/site.conf = %q", got)
	}
	readme := readBuilt(t, filepath.Join(out, "share/doc/site/README"))
	if !strings.Contains(readme, "assembled by directory-union") || !strings.Contains(readme, "-site-config") {
		t.Errorf("README = %q", readme)
	}
	fi, err := os.Stat(filepath.Join(out, "bin/greet"))
	if err != nil || fi.Mode()&0o111 == 0 {
		t.Fatalf("bin/greet is not an executable file: %v %v", fi, err)
	}
	// The program runs with fruix-eval found on PATH, as its #! line
	// says; its arguments are the program's, and nothing else is printed.
	greet := exec.Command(filepath.Join(out, "bin/greet"), "Fruix", "extra")
	greet.Env = append(os.Environ(), "PATH="+filepath.Dir(command(t, "fruix-eval"))+":"+os.Getenv("PATH"))
	if got, err := greet.CombinedOutput(); err != nil || string(got) != "hello, Fruix\n" {
		t.Errorf("bin/greet Fruix extra: %q (%v), want \"hello, Fruix\\n\"", got, err)
	}
}
