package tests

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestReplSession drives `fruix repl` through standard input as a script
// would: definitions, uses, an error and going on, multi-line input,
// meta-commands and ,quit.
func TestReplSession(t *testing.T) {
	dir := t.TempDir()
	lib := writeFile(t, dir, "lib.scm", "(define (triple x) (* 3 x))\n")
	session := strings.Join([]string{
		"(define (square x) (* x x))",
		"(square 7)",
		"(car '())",
		"(+ 1",
		"   2",
		"   3)",
		"\"a string\" 'sym",
		"(values 10 20)",
		"$1",
		",describe car",
		",describe square",
		",time (length (iota 1000))",
		",use (ice-9 match)",
		"(match '(1 (2 3)) ((a (b c)) (list c b a)))",
		",load " + lib,
		"(triple 5)",
		"(if #f #f)",
		",help",
		",nonsense",
		",quit",
		"(display \"never evaluated\")",
	}, "\n") + "\n"
	r := run(t, session, nil, "fruix", "repl")
	if r.code != 0 {
		t.Errorf("exit status %d", r.code)
	}
	noCrash(t, r)
	wantOut := []string{
		"$1 = 49\n",
		"$2 = 6\n",
		"$3 = \"a string\"\n$4 = sym\n",
		"$5 = 10\n$6 = 20\n",
		"$7 = 49\n",
		"car: #<procedure car>\n  a procedure taking 1 argument\n",
		"square: #<procedure square (x)>\n  a procedure taking 1 argument\n",
		"$8 = 1000\n;; ",
		" s real time, ",
		"$9 = (3 2 1)\n",
		"$10 = 15\n",
		",describe NAME",
	}
	for _, w := range wantOut {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("output lacks %q:\n%s", w, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "never evaluated") {
		t.Errorf("input after ,quit was evaluated")
	}
	if strings.Contains(r.stdout, "fruix@") {
		t.Errorf("prompts shown although standard input is not a terminal:\n%s", r.stdout)
	}
	for _, w := range []string{
		"<repl>:3:1: car: argument 1: want pair, got empty list",
		"unknown meta-command ,nonsense",
	} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("error output lacks %q:\n%s", w, r.stderr)
		}
	}
}

func TestReplEndOfInput(t *testing.T) {
	// Ctrl-D (end of input) ends the session normally; an unfinished datum
	// is reported, not lost silently.
	r := run(t, "(+ 1 2)\n(list 1\n", nil, "fruix", "repl")
	if r.code != 0 || !strings.Contains(r.stdout, "$1 = 3\n") {
		t.Errorf("status %d, output %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "<repl>:3:1: unterminated list") || !strings.Contains(r.stderr, "opened at 2:1") {
		t.Errorf("unfinished input not reported at its session line:\n%s", r.stderr)
	}
}

func TestReplExit(t *testing.T) {
	r := run(t, "(display \"bye\")\n(exit 4)\n(display \"not reached\")\n", nil, "fruix", "repl")
	if r.code != 4 || strings.Contains(r.stdout, "not reached") {
		t.Errorf("status %d, output %q", r.code, r.stdout)
	}
}

func TestReplBadUsage(t *testing.T) {
	r := run(t, "", nil, "fruix", "repl", "--bogus")
	if r.code != 2 {
		t.Errorf("status %d, want 2; stderr:\n%s", r.code, r.stderr)
	}
	r = run(t, "", nil, "fruix", "repl", "--help")
	if r.code != 0 || !strings.Contains(r.stderr, "usage: fruix repl") {
		t.Errorf("--help: status %d, stderr:\n%s", r.code, r.stderr)
	}
}

// TestReplInterrupt sends SIGINT (Ctrl-C) while an endless loop runs:
// the evaluation stops with an error and the REPL goes on.
func TestReplInterrupt(t *testing.T) {
	cmd := exec.Command(command(t, "fruix"), "repl")
	cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+t.TempDir())
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdoutPipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(stdoutPipe)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	io.WriteString(stdin, "(display \"looping\") (newline) (let loop ((i 0)) (loop (+ i 1)))\n")
	select {
	case l := <-lines:
		if l != "looping" {
			t.Fatalf("unexpected output %q", l)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the REPL did not start evaluating")
	}
	time.Sleep(100 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	io.WriteString(stdin, "(+ 40 2)\n,quit\n")
	stdin.Close()
	var rest []string
	timeout := time.After(30 * time.Second)
collect:
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				break collect
			}
			rest = append(rest, l)
		case <-timeout:
			t.Fatalf("the REPL did not go on after Ctrl-C; output so far %q, stderr:\n%s", rest, stderr.String())
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("repl: %v", err)
	}
	if got := strings.Join(rest, "\n"); !strings.Contains(got, "= 42") {
		t.Errorf("output after Ctrl-C %q, want the next result", got)
	}
	if !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("error output does not say the evaluation was interrupted:\n%s", stderr.String())
	}
}

// TestReplLoadPath: -L reaches the modules a session uses.
func TestReplLoadPath(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "acme/util.scm", "(define-module (acme util) #:export (double))\n(define (double x) (* 2 x))\n")
	r := run(t, ",use (acme util)\n(double 21)\n", nil, "fruix", "repl", "-L", dir)
	if !strings.Contains(r.stdout, "$1 = 42") {
		t.Errorf("status %d, output %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

// lockedBuffer is a bytes.Buffer safe to write from a command's copying
// goroutine while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
