package stdlib

import (
	"bufio"
	"bytes"
	"io"
	"strings"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// Port is a Scheme port: a source of characters or bytes, a sink of
// them, or both. String and bytevector ports keep their data in memory;
// file and standard ports wrap the operating system's files. Output is
// written through at once, so what a program prints is never lost or
// reordered with what the commands print themselves.
type Port struct {
	name   string
	in     *bufio.Reader // nil for output-only ports
	out    io.Writer     // nil for input-only ports
	str    *strings.Builder
	bytes  *bytes.Buffer
	closer io.Closer
	binary bool

	inClosed, outClosed bool
	atLineStart         bool         // the last character written was a newline (or none was)
	reader              *lang.Reader // for read, created on first use
	line                int          // lines read so far, for port-line
}

// TypeName implements lang.Named.
func (*Port) TypeName() string { return "port" }

// PrintScheme implements lang.Printable.
func (p *Port) PrintScheme(pr *lang.Printer, write bool) {
	kind := "input-output"
	switch {
	case p.in == nil:
		kind = "output"
	case p.out == nil:
		kind = "input"
	}
	pr.WriteRaw("#<" + kind + "-port " + p.name + ">")
}

// newInputPort returns an input port reading from r.
func newInputPort(name string, r io.Reader, binary bool) *Port {
	return &Port{name: name, in: bufio.NewReader(r), binary: binary}
}

// newOutputPort returns an output port writing to w.
func newOutputPort(name string, w io.Writer, binary bool) *Port {
	return &Port{name: name, out: w, binary: binary, atLineStart: true}
}

// NewStringInputPort returns a textual input port over s.
func NewStringInputPort(s string) *Port {
	return newInputPort("string", strings.NewReader(s), false)
}

// NewStringOutputPort returns a textual output port accumulating text in
// memory; String returns it.
func NewStringOutputPort() *Port {
	sb := &strings.Builder{}
	p := newOutputPort("string", sb, false)
	p.str = sb
	return p
}

// String returns the text written so far to a string output port.
func (p *Port) String() string {
	if p.str != nil {
		return p.str.String()
	}
	return ""
}

// WriteString writes s to an output port.
func (p *Port) WriteString(s string) error {
	if len(s) == 0 {
		return nil
	}
	p.atLineStart = s[len(s)-1] == '\n'
	_, err := io.WriteString(p.out, s)
	return err
}

// Write writes b to an output port.
func (p *Port) Write(b []byte) (int, error) {
	if len(b) > 0 {
		p.atLineStart = b[len(b)-1] == '\n'
	}
	return p.out.Write(b)
}

func (p *Port) isInput() bool  { return p.in != nil }
func (p *Port) isOutput() bool { return p.out != nil }

// close closes the directions of the port named by in and out.
func (p *Port) close(in, out bool) error {
	if in && p.in != nil {
		p.inClosed = true
	}
	if out && p.out != nil {
		p.outClosed = true
	}
	if p.closer != nil && (p.in == nil || p.inClosed) && (p.out == nil || p.outClosed) {
		c := p.closer
		p.closer = nil
		return c.Close()
	}
	return nil
}

// portState is the per-Thread state of the port procedures: the standard
// ports and the parameters holding the current ones.
type portState struct {
	stdin, stdout, stderr *Port
	curIn, curOut, curErr *eval.Parameter
	// withParam is a compiled (lambda (p v thunk) (parameterize ((p v))
	// (thunk))), so that with-output-to-string and its kin bind the
	// current ports exactly as parameterize does, escapes included.
	withParam lang.Value
	module    *eval.Module // where withParam is compiled
}

type portStateKey struct{}

// ports returns the Thread's port state, creating it on first use.
func ports(th *eval.Thread) *portState {
	if st, ok := th.Local(portStateKey{}).(*portState); ok {
		return st
	}
	st := &portState{
		stdin:  newInputPort("stdin", th.Stdin(), false),
		stdout: newOutputPort("stdout", th.Stdout(), false),
		stderr: newOutputPort("stderr", th.Stderr(), false),
	}
	st.curIn, _ = th.MakeParameter(st.stdin, portChecker("current-input-port", true))
	st.curOut, _ = th.MakeParameter(st.stdout, portChecker("current-output-port", false))
	st.curErr, _ = th.MakeParameter(st.stderr, portChecker("current-error-port", false))
	th.SetLocal(portStateKey{}, st)
	return st
}

// CurrentOutputPort returns the port (current-output-port) names now.
func CurrentOutputPort(th *eval.Thread) *Port {
	st := ports(th)
	if p, ok := th.ParameterValue(st.curOut).(*Port); ok {
		return p
	}
	return st.stdout
}

// CurrentErrorPort returns the port (current-error-port) names now.
func CurrentErrorPort(th *eval.Thread) *Port {
	st := ports(th)
	if p, ok := th.ParameterValue(st.curErr).(*Port); ok {
		return p
	}
	return st.stderr
}

// currentInputPort returns the port (current-input-port) names now.
func currentInputPort(th *eval.Thread) *Port {
	st := ports(th)
	if p, ok := th.ParameterValue(st.curIn).(*Port); ok {
		return p
	}
	return st.stdin
}

// withParameter calls thunk with parameter p bound to v.
func withParameter(th *eval.Thread, p *eval.Parameter, v, thunk lang.Value) (lang.Value, error) {
	st := ports(th)
	if st.withParam == nil {
		m := st.module
		if m == nil {
			var err error
			if m, err = th.FindModule([]string{"guile"}); err != nil {
				return nil, err
			}
		}
		form := lang.List(lang.Intern("lambda"),
			lang.List(lang.Intern("p"), lang.Intern("v"), lang.Intern("thunk")),
			lang.List(lang.Intern("parameterize"),
				lang.List(lang.List(lang.Intern("p"), lang.Intern("v"))),
				lang.List(lang.Intern("thunk"))))
		proc, err := th.Eval(form, m)
		if err != nil {
			return nil, err
		}
		st.withParam = proc
	}
	return call(th, st.withParam, p, v, thunk)
}

// portChecker returns the converter of a current-port parameter: it
// refuses values that are not ports of the right direction, so that
// (parameterize ((current-output-port 5)) ...) fails where it is written.
func portChecker(name string, input bool) *eval.Builtin {
	want := "output port"
	if input {
		want = "input port"
	}
	return &eval.Builtin{Name: name, MinArgs: 1, MaxArgs: 1, Doc: "checks a new value of " + name,
		Fn: func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
			if p, ok := args[0].(*Port); ok && (input && p.isInput() || !input && p.isOutput()) {
				return p, nil
			}
			return nil, wrongType(name, 0, want, args[0])
		}}
}
