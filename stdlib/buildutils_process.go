package stdlib

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// Running programs: system* of Guile's core, and invoke and which of
// (fruix build utils), whose failures are conditions a build can catch
// and whose uncaught message names the command and how it ended.

// InvokeErrorKind is the kind of the error objects invoke raises.
const InvokeErrorKind = "invoke-error"

// InvokeError is why a command run by invoke failed: the cause of the
// error object invoke raises, read by invoke-error-program and its kin.
type InvokeError struct {
	Program string
	Args    []string
	Status  int // the exit status; 127 when the program could not be run
	Signal  int // the signal that killed it, or 0
	Reason  string
}

func (e *InvokeError) Error() string {
	words := make([]string, 0, 1+len(e.Args))
	for _, w := range append([]string{e.Program}, e.Args...) {
		words = append(words, lang.WriteString(lang.NewString(w)))
	}
	cmd := strings.Join(words, " ")
	switch {
	case e.Reason != "":
		return "invoke: command " + cmd + " could not run: " + e.Reason
	case e.Signal != 0:
		return fmt.Sprintf("invoke: command %s was killed by signal %d (%s)", cmd, e.Signal, syscall.Signal(e.Signal))
	}
	return fmt.Sprintf("invoke: command %s failed with status %d", cmd, e.Status)
}

// commandArgs reads (program arg ...) for proc.
func commandArgs(proc string, args []lang.Value) (string, []string, error) {
	words := make([]string, len(args))
	for i := range args {
		s, err := argString(proc, args, i)
		if err != nil {
			return "", nil, err
		}
		words[i] = s.String()
	}
	return words[0], words[1:], nil
}

// lookProgram finds program as exec would: in PATH unless it has a slash.
func lookProgram(program string) (string, error) {
	if strings.Contains(program, "/") {
		st, err := os.Stat(program)
		if err != nil {
			return "", err
		}
		if st.IsDir() || st.Mode().Perm()&0o111 == 0 {
			return "", fmt.Errorf("%s is not an executable file", program)
		}
		return program, nil
	}
	path, err := exec.LookPath(program)
	if err != nil {
		return "", fmt.Errorf("not found in PATH (%s)", os.Getenv("PATH"))
	}
	return path, nil
}

// portWriter returns where a child process should write for port p: the
// file itself when p is a file port (so the child writes to it
// directly), else p.
func portWriter(p *Port) io.Writer {
	if f, ok := p.out.(*os.File); ok {
		return f
	}
	return p
}

// runCommand runs program with args, its standard input empty and its
// output on the current output and error ports, and returns how it ended.
func runCommand(th *eval.Thread, program string, args []string) (status, signal int, reason string) {
	path, err := lookProgram(program)
	if err != nil {
		return 127, 0, err.Error()
	}
	cmd := exec.Command(path, args...)
	cmd.Args[0] = program
	cmd.Stdout = portWriter(CurrentOutputPort(th))
	cmd.Stderr = portWriter(CurrentErrorPort(th))
	err = cmd.Run()
	if status, signal, ok := howItEnded(err); ok {
		return status, signal, ""
	}
	return 127, 0, err.Error()
}

// howItEnded reads what exec's Run or Wait returned: the program's exit
// status, or the signal that killed it; ok is false when err says
// something else went wrong.
func howItEnded(err error) (status, signal int, ok bool) {
	if err == nil {
		return 0, 0, true
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		return 0, 0, false
	}
	if ws, isWS := exit.Sys().(syscall.WaitStatus); isWS && ws.Signaled() {
		return 0, int(ws.Signal()), true
	}
	return exit.ExitCode(), 0, true
}

// waitStatus encodes how a program ended as system* and close-pipe
// return it: the signal number, or the exit status times 256.
func waitStatus(status, signal int) int {
	if signal != 0 {
		return signal
	}
	return status << 8
}

func builtinSystemStar(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	program, rest, err := commandArgs("system*", args)
	if err != nil {
		return nil, err
	}
	status, signal, reason := runCommand(th, program, rest)
	if reason != "" {
		fmt.Fprintf(CurrentErrorPort(th), "system*: %s: %s\n", program, reason)
	}
	return lang.MakeInt(int64(waitStatus(status, signal))), nil
}

func waitStatusArg(proc string, args []lang.Value) (int, error) {
	n, err := argInt(proc, args, 0)
	if err == nil && (n < 0 || n > 0xffff) {
		err = rangeErrorf(proc, 0, "%d is not a wait status", n)
	}
	return n, err
}

func builtinStatusExitVal(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	n, err := waitStatusArg("status:exit-val", args)
	if err != nil {
		return nil, err
	}
	if n&0x7f != 0 {
		return lang.False, nil
	}
	return lang.MakeInt(int64(n >> 8)), nil
}

func builtinStatusTermSig(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	n, err := waitStatusArg("status:term-sig", args)
	if err != nil {
		return nil, err
	}
	if n&0x7f == 0 {
		return lang.False, nil
	}
	return lang.MakeInt(int64(n & 0x7f)), nil
}

func builtinInvoke(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	program, rest, err := commandArgs("invoke", args)
	if err != nil {
		return nil, err
	}
	status, signal, reason := runCommand(th, program, rest)
	if status == 0 && signal == 0 && reason == "" {
		return lang.True, nil
	}
	ie := &InvokeError{Program: program, Args: rest, Status: status, Signal: signal, Reason: reason}
	return nil, &eval.ErrorObject{Kind: InvokeErrorKind, Message: ie.Error(), Cause: ie}
}

func intOrFalse(n int) lang.Value {
	if n == 0 {
		return lang.False
	}
	return lang.MakeInt(int64(n))
}

var invokeBuiltins = []*eval.Builtin{
	{Name: "invoke", MinArgs: 1, MaxArgs: -1, Fn: builtinInvoke, Doc: "(invoke program arg ...): run program (searched in PATH unless it contains a slash) and return #t if it exits with status 0; otherwise raise an invoke error whose message names the command line and its exit status (invoke-error? is true of it)."},
	causePredicate[*InvokeError]("invoke-error?", "(invoke-error? obj): whether obj is the condition invoke raises."),
	causeField("invoke-error-program", "(invoke-error-program c): the program invoke ran.", "invoke error", func(e *InvokeError) lang.Value { return lang.NewString(e.Program) }),
	causeField("invoke-error-arguments", "(invoke-error-arguments c): its arguments, a list of strings.", "invoke error", func(e *InvokeError) lang.Value { return stringList(e.Args) }),
	causeField("invoke-error-exit-status", "(invoke-error-exit-status c): its exit status, #f if a signal killed it (127 if it could not be run).", "invoke error", func(e *InvokeError) lang.Value {
		if e.Signal != 0 {
			return lang.False
		}
		return lang.MakeInt(int64(e.Status))
	}),
	causeField("invoke-error-term-signal", "(invoke-error-term-signal c): the signal that killed it, or #f.", "invoke error", func(e *InvokeError) lang.Value { return intOrFalse(e.Signal) }),
	{Name: "which", MinArgs: 1, MaxArgs: 1, Fn: builtinWhich, Doc: "(which program): the absolute file name of the executable program found in PATH, or #f."},
}

func builtinWhich(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("which", args, 0)
	if err != nil {
		return nil, err
	}
	if p := which(s.String()); p != "" {
		return lang.NewString(p), nil
	}
	return lang.False, nil
}

// which is the absolute file name of the executable regular file name in
// the directories of PATH (an empty one meaning the current directory),
// or "".
func which(name string) string {
	if name == "" {
		return ""
	}
	dirs := filepath.SplitList(os.Getenv("PATH"))
	for i, dir := range dirs {
		if dir == "" {
			dirs[i] = "."
		}
	}
	p := findExecutable(name, dirs)
	if p == "" {
		return ""
	}
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return p
}
