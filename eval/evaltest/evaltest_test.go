package evaltest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fruix.dev/fruix/eval"
)

// TestAssertionsReportFailures checks that the assertion library counts
// passes and reports failures with their position.
func TestAssertionsReportFailures(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "sample.scm")
	src := `(test-equal "same" '(1 2) '(1 2))
(test-equal "differs" 'a 'b)
(test-assert (if #f #f #t))
(test-error "raises" "boom" (error "boom!"))
(test-error "does not raise" 1)
(test-eqv 2 2)
`
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	th := eval.New(eval.Options{})
	Install(th)
	if err := th.UseModules([]string{"fruix", "evaltest"}); err != nil {
		t.Fatal(err)
	}
	if _, err := th.LoadFile(file); err != nil {
		t.Fatal(eval.FormatError(err))
	}
	res := results(th)
	if res.passed != 4 || len(res.failures) != 2 {
		t.Fatalf("passed %d, failures %q", res.passed, res.failures)
	}
	if !strings.Contains(res.failures[0], "sample.scm:2:1 (differs): test-equal: got b, want a") {
		t.Errorf("failure 0: %s", res.failures[0])
	}
	if !strings.Contains(res.failures[1], "sample.scm:5:1 (does not raise): test-error: no error raised") {
		t.Errorf("failure 1: %s", res.failures[1])
	}
}

func TestExpectErrorLine(t *testing.T) {
	m := expectErrorLine.FindStringSubmatch(";; expect-error: 7:3: unbound variable `x'")
	if m == nil || m[1] != "7" || m[2] != "3" || m[3] != "unbound variable `x'" {
		t.Fatalf("got %q", m)
	}
}
