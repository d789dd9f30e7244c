package tests

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestEvalExample(t *testing.T) {
	r := run(t, "", nil, "fruix-eval", "../examples/hello.scm")
	if r.code != 0 {
		t.Fatalf("exit status %d\nstderr:\n%s", r.code, r.stderr)
	}
	for _, want := range []string{
		"Host fruix-vm, FreeBSD 15.0-RELEASE\n",
		"  alice (uid 1001, /bin/sh; groups: wheel, operator)\n",
		"  /dev/gpt/swap\tnone\tswap\tsw\t0\t0\n",
		"  sshd_enable=\"YES\"\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.HasSuffix(r.stdout, "\n1\n") {
		t.Errorf("output does not end with the value of the last expression, 1:\n%s", r.stdout)
	}
}

// TestEvalAllExamples: every example evaluates without an error.
func TestEvalAllExamples(t *testing.T) {
	files, err := filepath.Glob("../examples/*.scm")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for _, f := range files {
		r := run(t, "", nil, "fruix-eval", f)
		if r.code != 0 || r.stderr != "" {
			t.Errorf("%s: exit status %d, stderr:\n%s", f, r.code, r.stderr)
		}
	}
	r := run(t, "", nil, "fruix-eval", "../examples/services.scm")
	for _, want := range []string{
		"  devd     /etc/rc.d/devd start\n",
		"error: unknown service required: (dns by mail)\n",
		"error: services form a cycle: ((a b a))\n",
		"(devd network syslogd sshd nginx ntpd)\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("services.scm: output lacks %q:\n%s", want, r.stdout)
		}
	}
}

// TestEvalPrograms runs the programs of testdata/programs, which combine
// many parts of the language, and compares their output byte for byte
// with the .out file next to them. The .out files are what Guile 3.0.8
// prints for the same programs (guile --no-auto-compile FILE), so these
// tests check Fruix against Guile, not against itself.
func TestEvalPrograms(t *testing.T) {
	files, err := filepath.Glob("testdata/programs/*.scm")
	if err != nil || len(files) == 0 {
		t.Fatalf("no programs: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			want, err := os.ReadFile(strings.TrimSuffix(f, ".scm") + ".out")
			if err != nil {
				t.Fatal(err)
			}
			r := run(t, "", nil, "fruix-eval", f)
			if r.code != 0 || r.stderr != "" {
				t.Errorf("exit status %d, stderr:\n%s", r.code, r.stderr)
			}
			if r.stdout != string(want) {
				t.Errorf("output differs from Guile's:\n--- got\n%s--- want\n%s", r.stdout, want)
			}
		})
	}
}

func TestEvalPrintsLastValue(t *testing.T) {
	tests := []struct {
		expr, want string
	}{
		{"(+ 1 2)", "3\n"},
		{`(string-append "a" "b")`, "\"ab\"\n"},
		{"'(a #\\b \"c\" 1.5)", "(a #\\b \"c\" 1.5)\n"},
		{"(values 1 'two \"three\")", "1\ntwo\n\"three\"\n"},
		{"(values)", ""},
		{"(if #f #f)", ""},
		{"(define x 5)", ""},
		{"(display \"hi\")", "hi"},
		{"(begin (write 'a) (newline) 'b)", "a\nb\n"},
	}
	for _, tt := range tests {
		r := run(t, "", nil, "fruix-eval", "-e", tt.expr)
		if r.code != 0 || r.stdout != tt.want {
			t.Errorf("fruix-eval -e %q: status %d, output %q, want %q\nstderr: %s", tt.expr, r.code, r.stdout, tt.want, r.stderr)
		}
	}
}

func TestEvalFilesInOrderThenExpressions(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.scm", "(define greeting \"hello\")\n")
	b := writeFile(t, dir, "b.scm", "(define (greet who) (string-append greeting \", \" who))\n")
	r := run(t, "", nil, "fruix-eval", a, b, "-e", `(greet "world")`, "-e", "(string-length (greet \"x\"))")
	if r.code != 0 || r.stdout != "8\n" {
		t.Errorf("status %d, output %q, want \"8\\n\"\nstderr: %s", r.code, r.stdout, r.stderr)
	}
}

func TestEvalStandardInput(t *testing.T) {
	r := run(t, "(define (square x) (* x x))\n(square 12)\n", nil, "fruix-eval", "-")
	if r.code != 0 || r.stdout != "144\n" {
		t.Errorf("status %d, output %q\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "(car '())\n", nil, "fruix-eval", "-")
	if r.code != 1 || !strings.HasPrefix(r.stderr, "<stdin>:1:1: car: argument 1: want pair, got empty list") {
		t.Errorf("error on standard input: status %d, stderr:\n%s", r.code, r.stderr)
	}
}

func TestEvalLoadPath(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "lib"), "acme/greet.scm", `(define-module (acme greet)
  #:export (greet))
(define (greet who) (string-append "hello, " who))
`)
	writeFile(t, filepath.Join(dir, "env"), "acme/shout.scm", `(define-module (acme shout)
  #:use-module (acme greet)
  #:export (shout))
(define (shout who) (string-upcase (greet who)))
`)
	prog := `(use-modules (acme shout)) (shout "fruix")`
	r := run(t, "", []string{"FRUIX_LOAD_PATH=" + filepath.Join(dir, "env")}, "fruix-eval", "-L", filepath.Join(dir, "lib"), "-e", prog)
	if r.code != 0 || r.stdout != "\"HELLO, FRUIX\"\n" {
		t.Errorf("status %d, output %q\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	// Without -L the first module is not found, and the error says so.
	r = run(t, "", []string{"FRUIX_LOAD_PATH=" + filepath.Join(dir, "env")}, "fruix-eval", "-e", prog)
	if r.code != 1 || !strings.Contains(r.stderr, "no code for module (acme greet)") {
		t.Errorf("missing module: status %d, stderr:\n%s", r.code, r.stderr)
	}
	noCrash(t, r)
}

func TestEvalCommandLine(t *testing.T) {
	dir := t.TempDir()
	prog := writeFile(t, dir, "args.scm", "(command-line)\n")
	r := run(t, "", nil, "fruix-eval", prog, "--", "-x", "two words")
	want := `("` + prog + `" "-x" "two words")` + "\n"
	if r.code != 0 || r.stdout != want {
		t.Errorf("status %d, output %q, want %q\nstderr: %s", r.code, r.stdout, want, r.stderr)
	}
}

func TestEvalExit(t *testing.T) {
	tests := []struct {
		expr string
		code int
	}{
		{"(exit 3)", 3},
		{"(exit)", 0},
		{"(exit #t)", 0},
		{"(exit #f)", 1},
		{"(begin (display \"before\") (exit 7) (display \"after\"))", 7},
		{"(dynamic-wind (lambda () #f) (lambda () (exit 4)) (lambda () (display \"unwound\")))", 4},
	}
	for _, tt := range tests {
		r := run(t, "", nil, "fruix-eval", "-e", tt.expr)
		if r.code != tt.code {
			t.Errorf("fruix-eval -e %q: status %d, want %d\nstderr: %s", tt.expr, r.code, tt.code, r.stderr)
		}
		if strings.Contains(r.stdout, "after") {
			t.Errorf("fruix-eval -e %q went on after exit: %q", tt.expr, r.stdout)
		}
		if strings.Contains(tt.expr, "before") && r.stdout != "before" {
			t.Errorf("fruix-eval -e %q: output %q, want what was written before exit", tt.expr, r.stdout)
		}
	}
}

func TestEvalBadUsage(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--no-such-option", "x.scm"},
		{"-L"},
		{"-e"},
	} {
		r := run(t, "", nil, "fruix-eval", args...)
		if r.code != 2 || !strings.Contains(r.stderr, "usage: fruix-eval") {
			t.Errorf("fruix-eval %q: status %d, want 2 with a usage message; stderr:\n%s", args, r.code, r.stderr)
		}
	}
	r := run(t, "", nil, "fruix-eval", "--help")
	if r.code != 0 || !strings.Contains(r.stdout, "usage: fruix-eval") {
		t.Errorf("fruix-eval --help: status %d, output:\n%s", r.code, r.stdout)
	}
}

func TestEvalMissingFile(t *testing.T) {
	r := run(t, "", nil, "fruix-eval", "no-such-file.scm")
	if r.code != 1 || !strings.Contains(r.stderr, "no-such-file.scm: no such file or directory") {
		t.Errorf("status %d, stderr:\n%s", r.code, r.stderr)
	}
	noCrash(t, r)
	r = run(t, "", nil, "fruix-eval", "testdata")
	if r.code != 1 || !strings.Contains(r.stderr, "cannot read testdata: it is a directory") {
		t.Errorf("directory: status %d, stderr:\n%s", r.code, r.stderr)
	}
}

// TestEvalErrors runs each file of testdata/errors, whose first line says
// `;; expect: LINE:COL: MESSAGE`: the command must exit 1 and print
// file:LINE:COL: MESSAGE first on standard error, with no Go crash.
func TestEvalErrors(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.scm")
	if err != nil || len(files) == 0 {
		t.Fatalf("no error files: %v", err)
	}
	expectLine := regexp.MustCompile(`^;; expect: (\d+:\d+): (.*)`)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			text, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			m := expectLine.FindStringSubmatch(strings.SplitN(string(text), "\n", 2)[0])
			if m == nil {
				t.Fatalf("first line is not `;; expect: LINE:COL: MESSAGE`")
			}
			r := run(t, "", nil, "fruix-eval", file)
			if r.code != 1 {
				t.Errorf("exit status %d, want 1", r.code)
			}
			want := file + ":" + m[1] + ": " + m[2]
			if !strings.HasPrefix(r.stderr, want) {
				t.Errorf("error output does not start with %q:\n%s", want, r.stderr)
			}
			noCrash(t, r)
			if lines := strings.Count(r.stderr, "\n"); lines > 40 {
				t.Errorf("error output has %d lines; long backtraces must be trimmed", lines)
			}
		})
	}
}

// TestEvalDeepRecursion: non-tail recursion 100,000 deep works (past the
// limit it fails cleanly: see testdata/errors/recursion.scm), and a long
// tail-recursive loop runs in constant space.
func TestEvalDeepRecursion(t *testing.T) {
	r := run(t, "", nil, "fruix-eval", "-e", `(define (build n) (if (= n 0) '() (cons n (build (- n 1))))) (length (build 100000))`)
	if r.code != 0 || r.stdout != "100000\n" {
		t.Errorf("status %d, output %q\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	noCrash(t, r)

	r = run(t, "", nil, "fruix-eval", "-e", `(let loop ((i 0)) (if (< i 3000000) (loop (+ i 1)) i))`)
	if r.code != 0 || r.stdout != "3000000\n" {
		t.Errorf("tail loop: status %d, output %q\nstderr: %s", r.code, r.stdout, r.stderr)
	}
}

// TestEvalOutputBeforeError: what a program printed before failing is
// not lost, and comes before the error.
func TestEvalOutputBeforeError(t *testing.T) {
	r := run(t, "", nil, "fruix-eval", "-e", `(display "step 1") (newline) (vector-ref (vector 1 2) 5)`)
	if r.code != 1 || r.stdout != "step 1\n" || !strings.Contains(r.stderr, "vector-ref") {
		t.Errorf("status %d, output %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	noCrash(t, r)
}
