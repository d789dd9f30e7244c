package stdlib

import (
	"io"
	"os/exec"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// (ice-9 popen): ports connected to a program's standard input or
// output, as build code uses to read what a command prints (FreeBSD's
// `make -V VARIABLE`, `uname -r`). close-pipe waits for the program and
// returns its wait status, as system* does.

var popenBuiltins = []*eval.Builtin{
	{Name: "open-pipe*", MinArgs: 2, MaxArgs: -1, Fn: builtinOpenPipeStar, Doc: "(open-pipe* mode program arg ...): run program (searched in PATH unless it contains a slash) and return a port reading its standard output (mode OPEN_READ) or writing its standard input (OPEN_WRITE); its other output goes to the current ports. close-pipe waits for it."},
	{Name: "open-pipe", MinArgs: 2, MaxArgs: 2, Fn: builtinOpenPipe, Doc: "(open-pipe command mode): like open-pipe*, running the shell command line with sh -c."},
	{Name: "open-input-pipe", MinArgs: 1, MaxArgs: 1, Fn: builtinOpenInputPipe, Doc: "(open-input-pipe command): a port reading what the shell command line prints."},
	{Name: "open-output-pipe", MinArgs: 1, MaxArgs: 1, Fn: builtinOpenOutputPipe, Doc: "(open-output-pipe command): a port writing to the shell command line's standard input."},
	{Name: "close-pipe", MinArgs: 1, MaxArgs: 1, Fn: builtinClosePipe, Doc: "(close-pipe port): close a port made by open-pipe* or its kin, wait for the program and return its wait status (see status:exit-val)."},
}

func init() {
	modules = append(modules, moduleSpec{name: []string{"ice-9", "popen"}, tables: [][]*eval.Builtin{popenBuiltins}, extra: func(th *eval.Thread, m *eval.Module) {
		m.Define("OPEN_READ", lang.NewString("r"))
		m.Define("OPEN_WRITE", lang.NewString("w"))
	}})
}

// pipeProcess is the program behind a pipe port.
type pipeProcess struct {
	cmd    *exec.Cmd
	pipe   io.Closer
	status int // the wait status, once waited for
	waited bool
}

// Close closes the pipe and waits for the program, once.
func (p *pipeProcess) Close() error {
	if p.waited {
		return nil
	}
	p.waited = true
	p.pipe.Close()
	err := p.cmd.Wait()
	status, signal, ok := howItEnded(err)
	if !ok {
		return err
	}
	p.status = waitStatus(status, signal)
	return nil
}

type pipeTableKey struct{}

// pipes maps the pipe ports of th to their programs.
func pipes(th *eval.Thread) map[*Port]*pipeProcess {
	if m, ok := th.Local(pipeTableKey{}).(map[*Port]*pipeProcess); ok {
		return m
	}
	m := map[*Port]*pipeProcess{}
	th.SetLocal(pipeTableKey{}, m)
	return m
}

func openPipe(th *eval.Thread, proc, mode, program string, args []string) (lang.Value, error) {
	path, err := lookProgram(program)
	if err != nil {
		return nil, procErrorf(proc, "cannot run %s: %v", lang.WriteString(lang.NewString(program)), err)
	}
	cmd := exec.Command(path, args...)
	cmd.Args[0] = program
	cmd.Stderr = portWriter(CurrentErrorPort(th))
	pp := &pipeProcess{cmd: cmd}
	var port *Port
	switch mode {
	case "r":
		cmd.Stdin = nil
		out, err := cmd.StdoutPipe()
		if err != nil {
			return nil, procErrorf(proc, "%v", err)
		}
		pp.pipe = out
		port = newInputPort("pipe "+program, out, false)
	case "w":
		cmd.Stdout = portWriter(CurrentOutputPort(th))
		in, err := cmd.StdinPipe()
		if err != nil {
			return nil, procErrorf(proc, "%v", err)
		}
		pp.pipe = in
		port = newOutputPort("pipe "+program, in, false)
	default:
		return nil, procErrorf(proc, "mode %s: want OPEN_READ or OPEN_WRITE", lang.WriteString(lang.NewString(mode)))
	}
	if err := cmd.Start(); err != nil {
		return nil, procErrorf(proc, "cannot run %s: %v", lang.WriteString(lang.NewString(program)), err)
	}
	port.closer = pp
	pipes(th)[port] = pp
	return port, nil
}

func builtinOpenPipeStar(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	mode, err := argString("open-pipe*", args, 0)
	if err != nil {
		return nil, err
	}
	program, rest, err := commandArgs("open-pipe*", args[1:])
	if err != nil {
		return nil, err
	}
	return openPipe(th, "open-pipe*", mode.String(), program, rest)
}

func shellPipe(name, mode string) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		command, err := argString(name, args, 0)
		if err != nil {
			return nil, err
		}
		m := mode
		if m == "" {
			s, err := argString(name, args, 1)
			if err != nil {
				return nil, err
			}
			m = s.String()
		}
		return openPipe(th, name, m, "sh", []string{"-c", command.String()})
	}
}

var (
	builtinOpenPipe       = shellPipe("open-pipe", "")
	builtinOpenInputPipe  = shellPipe("open-input-pipe", "r")
	builtinOpenOutputPipe = shellPipe("open-output-pipe", "w")
)

func builtinClosePipe(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := argPort("close-pipe", args, 0)
	if err != nil {
		return nil, err
	}
	pp := pipes(th)[p]
	if pp == nil {
		return nil, wrongType("close-pipe", 0, "pipe port", args[0])
	}
	delete(pipes(th), p)
	if err := p.close(true, true); err != nil {
		return nil, fileErr("close-pipe", err)
	}
	if err := pp.Close(); err != nil {
		return nil, fileErr("close-pipe", err)
	}
	return lang.MakeInt(int64(pp.status)), nil
}
