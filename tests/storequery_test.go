package tests

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"fruix.dev/fruix/tests/treesnap"
)

// treeListing describes every file under root (treesnap.Listing).
func treeListing(t *testing.T, root string) []string {
	t.Helper()
	l, err := treesnap.Listing(root)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// sameTree fails the test if root differs from the listing before.
func sameTree(t *testing.T, what, root string, before []string) {
	t.Helper()
	if after := treeListing(t, root); !reflect.DeepEqual(before, after) {
		t.Errorf("%s changed the store:\nbefore:\n%s\nafter:\n%s", what, strings.Join(before, "\n"), strings.Join(after, "\n"))
	}
}

// etcConfig is a file union of a local file, which the test adds to the
// store first, and a plain file, which is not in the store.
const etcConfig = `(use-modules (fruix gexp))
(file-union "etc" (list (list "motd" (local-file "motd")) (list "issue" (plain-file "issue" "hello\n"))))
`

// Looking at a store — the graph, its JSON, both dry runs — leaves every
// file under the store and state directories as it was: same names,
// sizes, modes, times and contents, the index's own files included.
func TestDryRunChangesNothing(t *testing.T) {
	env, storeDir, stateDir := tempStoreEnv(t)
	dir := t.TempDir()
	motd := writeFile(t, dir, "motd", "welcome\n")
	file := writeFile(t, dir, "etc.scm", etcConfig)
	r := run(t, "", env, "fruix", "store", "add", "--flat", motd)
	if r.code != 0 {
		t.Fatalf("fruix store add: %s", r.stderr)
	}
	motdPath := strings.TrimSpace(r.stdout)
	root := filepath.Dir(stateDir)
	before := treeListing(t, root)
	time.Sleep(20 * time.Millisecond) // so that a rewrite would show in the times

	for _, args := range [][]string{
		{"fruix-eval", file},
		{"fruix-eval", "--format", "json", file},
		{"fruix-eval", "--dry-run", file},
		{"fruix", "build", "--dry-run", "-f", file},
	} {
		r := run(t, "", env, args[0], args[1:]...)
		noCrash(t, r)
		if r.code != 0 || strings.Contains(r.stdout, "could not check") || r.stderr != "" {
			t.Errorf("%q: status %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
		if args[1] == "--dry-run" || args[1] == "build" {
			if !strings.HasSuffix(r.stdout, "1 derivation will be built, 0 are valid; 3 source files will be added, 1 is valid\n") {
				t.Errorf("%q does not count the source added as valid:\n%s", args, r.stdout)
			}
		}
		if args[1] == file && !strings.Contains(r.stdout, "valid  "+motdPath) {
			t.Errorf("%q does not mark %s valid:\n%s", args, motdPath, r.stdout)
		}
		sameTree(t, strings.Join(args, " "), root, before)
	}
	if !strings.HasPrefix(motdPath, storeDir+"/") {
		t.Errorf("fruix store add printed %q", motdPath)
	}
}

// While another process owns the store, a dry run says so and changes
// nothing; after that owner is killed, it says that the store must be
// recovered, still without changing it, until a command that changes the
// store has opened it.
func TestDryRunOwnedAndKilledOwner(t *testing.T) {
	canBuild(t)
	env, _, stateDir := tempStoreEnv(t)
	dir := t.TempDir()
	writeFile(t, dir, "motd", "welcome\n")
	file := writeFile(t, dir, "etc.scm", etcConfig)
	builder := startOwningBuild(t, env)
	root := filepath.Dir(stateDir)

	dryRuns := [][]string{{"fruix", "build", "--dry-run", "-f", file}, {"fruix-eval", "--dry-run", file}}
	for _, args := range dryRuns {
		// The owner is writing the index meanwhile, so there is nothing
		// to compare: the reader is refused before it opens a file of it.
		r := run(t, "", env, args[0], args[1:]...)
		noCrash(t, r)
		want := "could not check the store: it is in use by pid " + strconv.Itoa(builder.Process.Pid)
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("%q while the store is owned: status %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}

	builder.Process.Kill()
	builder.Wait()
	before := treeListing(t, root)
	for _, args := range dryRuns {
		r := run(t, "", env, args[0], args[1:]...)
		noCrash(t, r)
		if r.code != 0 || !strings.Contains(r.stdout, "could not check the store: store "+stateDir+" was left open by a process that stopped without closing it") {
			t.Errorf("%q after the owner was killed: status %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
		sameTree(t, strings.Join(args, " ")+" (owner killed)", root, before)
	}

	// Any owner recovers the index; then the store is checked again.
	if r := run(t, "", env, "fruix", "store", "add", "--flat", filepath.Join(dir, "motd")); r.code != 0 {
		t.Fatalf("fruix store add after the kill: %s", r.stderr)
	}
	r := run(t, "", env, "fruix", "build", "--dry-run", "-f", file)
	if r.code != 0 || !strings.HasSuffix(r.stdout, "3 source files will be added, 1 is valid\n") {
		t.Errorf("dry run after recovery: status %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestValidPathsLetsOwnersIn checks the store query fruix-eval starts
// before it lowers a graph: it opens the store at once, but while the
// paths are slow to come it lets the store go, so that an owner (here
// fruix store add) gets in without waiting for it; then it answers from
// the store as it is when the paths come, and ends its answer with ".".
func TestValidPathsLetsOwnersIn(t *testing.T) {
	env, _, stateDir := tempStoreEnv(t)
	dir := t.TempDir()
	first := writeFile(t, dir, "first", "one\n")
	second := writeFile(t, dir, "second", "two\n")
	r := run(t, "", env, "fruix", "store", "add", "--flat", first)
	if r.code != 0 {
		t.Fatalf("fruix store add: %s", r.stderr)
	}
	firstPath := strings.TrimSpace(r.stdout)

	query := exec.Command(command(t, "fruix"), "__valid-paths", "--state-dir", stateDir)
	query.Env = append(os.Environ(), env...)
	stdin, err := query.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	query.Stdout, query.Stderr = &stdout, &stderr
	if err := query.Start(); err != nil {
		t.Fatal(err)
	}
	defer query.Process.Kill()
	time.Sleep(1500 * time.Millisecond) // longer than it holds the store while waiting

	start := time.Now()
	r = run(t, "", env, "fruix", "store", "add", "--flat", second)
	if r.code != 0 {
		t.Fatalf("fruix store add while the query waits: %s", r.stderr)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("the owner waited %v for the query", waited)
	}
	secondPath := strings.TrimSpace(r.stdout)

	io.WriteString(stdin, firstPath+"\n"+secondPath+"\n"+filepath.Dir(firstPath)+"/00000000000000000000000000000000-absent\n")
	stdin.Close()
	if err := query.Wait(); err != nil {
		t.Fatalf("fruix __valid-paths: %v: %s", err, stderr.String())
	}
	// The valid paths in the order asked, then the end line.
	if got := stdout.String(); got != firstPath+"\n"+secondPath+"\n.\n" {
		t.Errorf("answer %q, want the two paths added and a final %q", got, ".")
	}
}
