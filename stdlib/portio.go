package stdlib

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// The port procedures of (scheme base), (scheme read), (scheme write) and
// (scheme file), with Guile's string-port helpers and (ice-9 rdelim).
var portBuiltins = []*eval.Builtin{
	{Name: "port?", MinArgs: 1, MaxArgs: 1, Fn: builtinPortP, Doc: "(port? v): whether v is a port."},
	{Name: "input-port?", MinArgs: 1, MaxArgs: 1, Fn: portPred(func(p *Port) bool { return p.isInput() }), Doc: "(input-port? v): whether v is an input port."},
	{Name: "output-port?", MinArgs: 1, MaxArgs: 1, Fn: portPred(func(p *Port) bool { return p.isOutput() }), Doc: "(output-port? v): whether v is an output port."},
	{Name: "textual-port?", MinArgs: 1, MaxArgs: 1, Fn: portPred(func(p *Port) bool { return !p.binary }), Doc: "(textual-port? v): whether v is a textual port."},
	{Name: "binary-port?", MinArgs: 1, MaxArgs: 1, Fn: portPred(func(p *Port) bool { return p.binary }), Doc: "(binary-port? v): whether v is a binary port."},
	{Name: "input-port-open?", MinArgs: 1, MaxArgs: 1, Fn: portCheck("input-port-open?", func(p *Port) bool { return p.isInput() && !p.inClosed }), Doc: "(input-port-open? port): whether port can still be read."},
	{Name: "output-port-open?", MinArgs: 1, MaxArgs: 1, Fn: portCheck("output-port-open?", func(p *Port) bool { return p.isOutput() && !p.outClosed }), Doc: "(output-port-open? port): whether port can still be written."},
	{Name: "close-port", MinArgs: 1, MaxArgs: 1, Fn: closer("close-port", true, true), Doc: "(close-port port): close port."},
	{Name: "close-input-port", MinArgs: 1, MaxArgs: 1, Fn: closer("close-input-port", true, false), Doc: "(close-input-port port): close port for input."},
	{Name: "close-output-port", MinArgs: 1, MaxArgs: 1, Fn: closer("close-output-port", false, true), Doc: "(close-output-port port): close port for output."},
	{Name: "eof-object", MinArgs: 0, MaxArgs: 0, Fn: builtinEOFObject, Doc: "(eof-object): the end-of-file object."},
	{Name: "eof-object?", MinArgs: 1, MaxArgs: 1, Fn: builtinEOFObjectP, Doc: "(eof-object? v): whether v is the end-of-file object."},

	{Name: "open-input-string", MinArgs: 1, MaxArgs: 1, Fn: builtinOpenInputString, Doc: "(open-input-string string): a textual input port reading string."},
	{Name: "open-output-string", MinArgs: 0, MaxArgs: 0, Fn: builtinOpenOutputString, Doc: "(open-output-string): a textual output port accumulating a string."},
	{Name: "get-output-string", MinArgs: 1, MaxArgs: 1, Fn: builtinGetOutputString, Doc: "(get-output-string port): the text written so far to a string output port."},
	{Name: "open-input-bytevector", MinArgs: 1, MaxArgs: 1, Fn: builtinOpenInputBytevector, Doc: "(open-input-bytevector bv): a binary input port reading bv."},
	{Name: "open-output-bytevector", MinArgs: 0, MaxArgs: 0, Fn: builtinOpenOutputBytevector, Doc: "(open-output-bytevector): a binary output port accumulating bytes."},
	{Name: "get-output-bytevector", MinArgs: 1, MaxArgs: 1, Fn: builtinGetOutputBytevector, Doc: "(get-output-bytevector port): the bytes written so far to a bytevector output port."},
	{Name: "call-with-output-string", MinArgs: 1, MaxArgs: 1, Fn: builtinCallWithOutputString, Doc: "(call-with-output-string proc): call (proc port) with a string output port; return its text."},
	{Name: "with-output-to-string", MinArgs: 1, MaxArgs: 1, Fn: builtinWithOutputToString, Doc: "(with-output-to-string thunk): call thunk with the current output port bound to a string port; return its text."},
	{Name: "with-error-to-string", MinArgs: 1, MaxArgs: 1, Fn: builtinWithErrorToString, Doc: "(with-error-to-string thunk): call thunk with the current error port bound to a string port; return its text."},
	{Name: "with-input-from-string", MinArgs: 2, MaxArgs: 2, Fn: builtinWithInputFromString, Doc: "(with-input-from-string string thunk): call thunk with the current input port reading string."},
	{Name: "call-with-input-string", MinArgs: 2, MaxArgs: 2, Fn: builtinCallWithInputString, Doc: "(call-with-input-string string proc): call (proc port) with a port reading string."},
	{Name: "call-with-port", MinArgs: 2, MaxArgs: 2, Fn: builtinCallWithPort, Doc: "(call-with-port port proc): call (proc port), then close port."},

	{Name: "open-input-file", MinArgs: 1, MaxArgs: 1, Fn: openFile("open-input-file", false, false), Doc: "(open-input-file filename): a textual input port reading the file."},
	{Name: "open-binary-input-file", MinArgs: 1, MaxArgs: 1, Fn: openFile("open-binary-input-file", false, true), Doc: "(open-binary-input-file filename): a binary input port reading the file."},
	{Name: "open-output-file", MinArgs: 1, MaxArgs: 1, Fn: openFile("open-output-file", true, false), Doc: "(open-output-file filename): a textual output port writing the file, created or truncated."},
	{Name: "open-binary-output-file", MinArgs: 1, MaxArgs: 1, Fn: openFile("open-binary-output-file", true, true), Doc: "(open-binary-output-file filename): a binary output port writing the file, created or truncated."},
	{Name: "call-with-input-file", MinArgs: 2, MaxArgs: 2, Fn: callWithFile("call-with-input-file", false), Doc: "(call-with-input-file filename proc): call (proc port) with a port reading the file; close it after."},
	{Name: "call-with-output-file", MinArgs: 2, MaxArgs: 2, Fn: callWithFile("call-with-output-file", true), Doc: "(call-with-output-file filename proc): call (proc port) with a port writing the file; close it after."},
	{Name: "with-input-from-file", MinArgs: 2, MaxArgs: 2, Fn: withFile("with-input-from-file", false), Doc: "(with-input-from-file filename thunk): call thunk with the current input port reading the file."},
	{Name: "with-output-to-file", MinArgs: 2, MaxArgs: 2, Fn: withFile("with-output-to-file", true), Doc: "(with-output-to-file filename thunk): call thunk with the current output port writing the file."},
	{Name: "file-exists?", MinArgs: 1, MaxArgs: 1, Fn: builtinFileExists, Doc: "(file-exists? filename): whether a file of that name exists."},
	{Name: "delete-file", MinArgs: 1, MaxArgs: 1, Fn: builtinDeleteFile, Doc: "(delete-file filename): delete the file; an error if that fails."},

	{Name: "read-char", MinArgs: 0, MaxArgs: 1, Fn: builtinReadChar, Doc: "(read-char [port]): the next character, or the eof object."},
	{Name: "peek-char", MinArgs: 0, MaxArgs: 1, Fn: builtinPeekChar, Doc: "(peek-char [port]): the next character without consuming it, or the eof object."},
	{Name: "char-ready?", MinArgs: 0, MaxArgs: 1, Fn: builtinCharReady, Doc: "(char-ready? [port]): whether a character can be read without blocking."},
	{Name: "read-line", MinArgs: 0, MaxArgs: 2, Fn: builtinReadLine, Doc: "(read-line [port [handle-delim]]): the next line without its newline, or the eof object; handle-delim 'trim (default), 'concat, 'peek or 'split (a pair of the line and the delimiter)."},
	{Name: "read-delimited", MinArgs: 1, MaxArgs: 3, Fn: builtinReadDelimited, Doc: "(read-delimited delims [port [handle-delim]]): the text up to a character of the string delims."},
	{Name: "read-string", MinArgs: 0, MaxArgs: 2, Fn: builtinReadString, Doc: "(read-string k [port]): up to k characters, or the eof object; Guile's (read-string [port]) reads everything."},
	{Name: "read-u8", MinArgs: 0, MaxArgs: 1, Fn: builtinReadU8, Doc: "(read-u8 [port]): the next byte, or the eof object."},
	{Name: "peek-u8", MinArgs: 0, MaxArgs: 1, Fn: builtinPeekU8, Doc: "(peek-u8 [port]): the next byte without consuming it, or the eof object."},
	{Name: "u8-ready?", MinArgs: 0, MaxArgs: 1, Fn: builtinCharReady, Doc: "(u8-ready? [port]): whether a byte can be read without blocking."},
	{Name: "read-bytevector", MinArgs: 1, MaxArgs: 2, Fn: builtinReadBytevector, Doc: "(read-bytevector k [port]): up to k bytes, or the eof object."},
	{Name: "read", MinArgs: 0, MaxArgs: 1, Fn: builtinRead, Doc: "(read [port]): the next datum, or the eof object."},

	{Name: "write", MinArgs: 1, MaxArgs: 2, Fn: printer("write", lang.AppendWrite), Doc: "(write obj [port]): write obj in external syntax that read can read back; cycles use datum labels."},
	{Name: "write-shared", MinArgs: 1, MaxArgs: 2, Fn: printer("write-shared", lang.AppendWrite), Doc: "(write-shared obj [port]): like write."},
	{Name: "write-simple", MinArgs: 1, MaxArgs: 2, Fn: printer("write-simple", lang.AppendWrite), Doc: "(write-simple obj [port]): like write."},
	{Name: "display", MinArgs: 1, MaxArgs: 2, Fn: printer("display", lang.AppendDisplay), Doc: "(display obj [port]): write obj for people: strings and characters as themselves."},
	{Name: "write-line", MinArgs: 1, MaxArgs: 2, Fn: builtinWriteLine, Doc: "(write-line obj [port]): display obj, then a newline."},
	{Name: "newline", MinArgs: 0, MaxArgs: 1, Fn: builtinNewline, Doc: "(newline [port]): write a newline."},
	{Name: "fresh-line", MinArgs: 0, MaxArgs: 1, Fn: builtinFreshLine, Doc: "(fresh-line [port]): write a newline unless at the start of a line."},
	{Name: "write-char", MinArgs: 1, MaxArgs: 2, Fn: builtinWriteChar, Doc: "(write-char char [port]): write char."},
	{Name: "write-string", MinArgs: 1, MaxArgs: 4, Fn: builtinWriteString, Doc: "(write-string string [port start end]): write the characters of string."},
	{Name: "write-u8", MinArgs: 1, MaxArgs: 2, Fn: builtinWriteU8, Doc: "(write-u8 byte [port]): write byte."},
	{Name: "write-bytevector", MinArgs: 1, MaxArgs: 4, Fn: builtinWriteBytevector, Doc: "(write-bytevector bv [port start end]): write the bytes of bv."},
	{Name: "flush-output-port", MinArgs: 0, MaxArgs: 1, Fn: builtinFlush, Doc: "(flush-output-port [port]): deliver buffered output."},
	{Name: "force-output", MinArgs: 0, MaxArgs: 1, Fn: builtinFlush, Doc: "(force-output [port]): deliver buffered output."},
}

func builtinPortP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	_, ok := args[0].(*Port)
	return lang.MakeBool(ok), nil
}

func portPred(p func(*Port) bool) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		port, ok := args[0].(*Port)
		return lang.MakeBool(ok && p(port)), nil
	}
}

func portCheck(name string, p func(*Port) bool) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		port, err := argPort(name, args, 0)
		if err != nil {
			return nil, err
		}
		return lang.MakeBool(p(port)), nil
	}
}

func argPort(proc string, args []lang.Value, i int) (*Port, error) {
	if p, ok := args[i].(*Port); ok {
		return p, nil
	}
	return nil, wrongType(proc, i, "port", args[i])
}

// inPort returns the open input port given as optional argument i, or the
// current input port.
func inPort(th *eval.Thread, proc string, args []lang.Value, i int) (*Port, error) {
	var p *Port
	if len(args) > i {
		var ok bool
		if p, ok = args[i].(*Port); !ok || !p.isInput() {
			return nil, wrongType(proc, i, "input port", args[i])
		}
	} else {
		p = currentInputPort(th)
	}
	if p.inClosed {
		return nil, procErrorf(proc, "input port %s is closed", p.name)
	}
	return p, nil
}

// outPort returns the open output port given as optional argument i, or
// the current output port.
func outPort(th *eval.Thread, proc string, args []lang.Value, i int) (*Port, error) {
	var p *Port
	if len(args) > i {
		var ok bool
		if p, ok = args[i].(*Port); !ok || !p.isOutput() {
			return nil, wrongType(proc, i, "output port", args[i])
		}
	} else {
		p = CurrentOutputPort(th)
	}
	if p.outClosed {
		return nil, procErrorf(proc, "output port %s is closed", p.name)
	}
	return p, nil
}

func closer(name string, in, out bool) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		p, err := argPort(name, args, 0)
		if err != nil {
			return nil, err
		}
		if err := p.close(in, out); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return lang.Unspec, nil
	}
}

func builtinEOFObject(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lang.EOF, nil
}

func builtinEOFObjectP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lang.MakeBool(args[0] == lang.Value(lang.EOF)), nil
}

func builtinOpenInputString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("open-input-string", args, 0)
	if err != nil {
		return nil, err
	}
	return NewStringInputPort(s.String()), nil
}

func builtinOpenOutputString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return NewStringOutputPort(), nil
}

func builtinGetOutputString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, ok := args[0].(*Port)
	if !ok || p.str == nil {
		return nil, wrongType("get-output-string", 0, "string output port", args[0])
	}
	return lang.NewString(p.str.String()), nil
}

func builtinOpenInputBytevector(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	b, err := argBytevector("open-input-bytevector", args, 0)
	if err != nil {
		return nil, err
	}
	return newInputPort("bytevector", bytes.NewReader(append([]byte(nil), b.Bytes...)), true), nil
}

func builtinOpenOutputBytevector(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	buf := &bytes.Buffer{}
	p := newOutputPort("bytevector", buf, true)
	p.bytes = buf
	return p, nil
}

func builtinGetOutputBytevector(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, ok := args[0].(*Port)
	if !ok || p.bytes == nil {
		return nil, wrongType("get-output-bytevector", 0, "bytevector output port", args[0])
	}
	return &lang.Bytevector{Bytes: append([]byte{}, p.bytes.Bytes()...)}, nil
}

func builtinCallWithOutputString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argProc("call-with-output-string", args, 0); err != nil {
		return nil, err
	}
	p := NewStringOutputPort()
	if _, err := call(th, args[0], p); err != nil {
		return nil, err
	}
	return lang.NewString(p.String()), nil
}

func builtinWithOutputToString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return captureToString(th, "with-output-to-string", ports(th).curOut, args)
}

func builtinWithErrorToString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return captureToString(th, "with-error-to-string", ports(th).curErr, args)
}

// captureToString calls the thunk args[0] with the port parameter param
// bound to a fresh string port, and returns what was written to it.
func captureToString(th *eval.Thread, name string, param *eval.Parameter, args []lang.Value) (lang.Value, error) {
	if _, err := argProc(name, args, 0); err != nil {
		return nil, err
	}
	p := NewStringOutputPort()
	if _, err := withParameter(th, param, p, args[0]); err != nil {
		return nil, err
	}
	return lang.NewString(p.String()), nil
}

func builtinWithInputFromString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("with-input-from-string", args, 0)
	if err != nil {
		return nil, err
	}
	if _, err := argProc("with-input-from-string", args, 1); err != nil {
		return nil, err
	}
	return withParameter(th, ports(th).curIn, NewStringInputPort(s.String()), args[1])
}

func builtinCallWithInputString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("call-with-input-string", args, 0)
	if err != nil {
		return nil, err
	}
	if _, err := argProc("call-with-input-string", args, 1); err != nil {
		return nil, err
	}
	return call(th, args[1], NewStringInputPort(s.String()))
}

func builtinCallWithPort(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := argPort("call-with-port", args, 0)
	if err != nil {
		return nil, err
	}
	if _, err := argProc("call-with-port", args, 1); err != nil {
		return nil, err
	}
	v, err := call(th, args[1], p)
	if err != nil {
		return nil, err
	}
	if err := p.close(true, true); err != nil {
		return nil, fmt.Errorf("call-with-port: %w", err)
	}
	return v, nil
}

// openPort opens the file named by argument i for input or output.
func openPort(proc string, args []lang.Value, i int, output, binary bool) (*Port, error) {
	name, err := argString(proc, args, i)
	if err != nil {
		return nil, err
	}
	path := name.String()
	if output {
		f, err := os.Create(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", proc, err)
		}
		p := newOutputPort(path, f, binary)
		p.closer = f
		return p, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", proc, err)
	}
	p := newInputPort(path, f, binary)
	p.closer = f
	return p, nil
}

func openFile(name string, output, binary bool) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		return openPort(name, args, 0, output, binary)
	}
}

func callWithFile(name string, output bool) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		if _, err := argProc(name, args, 1); err != nil {
			return nil, err
		}
		p, err := openPort(name, args, 0, output, false)
		if err != nil {
			return nil, err
		}
		v, err := call(th, args[1], p)
		cerr := p.close(true, true)
		if err != nil {
			return nil, err
		}
		if cerr != nil {
			return nil, fmt.Errorf("%s: %w", name, cerr)
		}
		return v, nil
	}
}

func withFile(name string, output bool) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		if _, err := argProc(name, args, 1); err != nil {
			return nil, err
		}
		p, err := openPort(name, args, 0, output, false)
		if err != nil {
			return nil, err
		}
		param := ports(th).curIn
		if output {
			param = ports(th).curOut
		}
		v, err := withParameter(th, param, p, args[1])
		cerr := p.close(true, true)
		if err != nil {
			return nil, err
		}
		if cerr != nil {
			return nil, fmt.Errorf("%s: %w", name, cerr)
		}
		return v, nil
	}
}

func builtinFileExists(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("file-exists?", args, 0)
	if err != nil {
		return nil, err
	}
	_, err = os.Stat(s.String())
	return lang.MakeBool(err == nil), nil
}

func builtinDeleteFile(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("delete-file", args, 0)
	if err != nil {
		return nil, err
	}
	if err := os.Remove(s.String()); err != nil {
		return nil, fmt.Errorf("delete-file: %w", err)
	}
	return lang.Unspec, nil
}

// readErr turns an I/O error other than the end of input into a file
// error naming proc.
func readErr(proc string, err error) error {
	return fmt.Errorf("%s: %w", proc, &os.PathError{Op: "read", Path: "port", Err: err})
}

func builtinReadChar(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := inPort(th, "read-char", args, 0)
	if err != nil {
		return nil, err
	}
	c, _, err := p.in.ReadRune()
	if err == io.EOF {
		return lang.EOF, nil
	}
	if err != nil {
		return nil, readErr("read-char", err)
	}
	if c == '\n' {
		p.line++
	}
	return lang.Char(c), nil
}

func builtinPeekChar(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := inPort(th, "peek-char", args, 0)
	if err != nil {
		return nil, err
	}
	c, _, err := p.in.ReadRune()
	if err == io.EOF {
		return lang.EOF, nil
	}
	if err != nil {
		return nil, readErr("peek-char", err)
	}
	p.in.UnreadRune()
	return lang.Char(c), nil
}

func builtinCharReady(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := inPort(th, "char-ready?", args, 0)
	if err != nil {
		return nil, err
	}
	// In-memory and file ports never block; a terminal might, and
	// only buffered input is known to be ready there.
	if p.closer != nil || p == ports(th).stdin {
		return lang.MakeBool(p.in.Buffered() > 0 || p.closer != nil), nil
	}
	return lang.True, nil
}

// readUntil reads characters up to one for which stop is true. It
// returns the text, the delimiter (-1 at the end of input) and whether
// anything at all was available.
func readUntil(p *Port, proc string, stop func(rune) bool) (string, rune, bool, error) {
	var b strings.Builder
	any := false
	for {
		c, _, err := p.in.ReadRune()
		if err == io.EOF {
			return b.String(), -1, any, nil
		}
		if err != nil {
			return "", -1, any, readErr(proc, err)
		}
		any = true
		if stop(c) {
			return b.String(), c, true, nil
		}
		b.WriteRune(c)
	}
}

// delimited finishes read-line and read-delimited according to
// handle-delim.
func delimited(p *Port, proc string, args []lang.Value, i int, text string, delim rune, any bool) (lang.Value, error) {
	mode := "trim"
	if len(args) > i {
		s, err := argSymbol(proc, args, i)
		if err != nil {
			return nil, err
		}
		mode = s.Name
	}
	if !any {
		if mode == "split" {
			return lang.Cons(lang.EOF, lang.EOF), nil
		}
		return lang.EOF, nil
	}
	var delimVal lang.Value = lang.EOF
	if delim >= 0 {
		delimVal = lang.Char(delim)
		if delim == '\n' {
			p.line++
		}
	}
	switch mode {
	case "trim":
		return lang.NewString(text), nil
	case "concat":
		if delim >= 0 {
			text += string(delim)
		}
		return lang.NewString(text), nil
	case "peek":
		if delim >= 0 {
			p.in.UnreadRune()
			if delim == '\n' {
				p.line--
			}
		}
		return lang.NewString(text), nil
	case "split":
		return lang.Cons(lang.NewString(text), delimVal), nil
	}
	return nil, rangeErrorf(proc, i, "handle-delim must be trim, concat, peek or split, got %s", mode)
}

func builtinReadLine(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := inPort(th, "read-line", args, 0)
	if err != nil {
		return nil, err
	}
	text, delim, any, err := readUntil(p, "read-line", func(c rune) bool { return c == '\n' })
	if err != nil {
		return nil, err
	}
	return delimited(p, "read-line", args, 1, text, delim, any)
}

func builtinReadDelimited(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	delims, err := argString("read-delimited", args, 0)
	if err != nil {
		return nil, err
	}
	p, err := inPort(th, "read-delimited", args, 1)
	if err != nil {
		return nil, err
	}
	set := delims.String()
	text, delim, any, err := readUntil(p, "read-delimited", func(c rune) bool { return strings.ContainsRune(set, c) })
	if err != nil {
		return nil, err
	}
	return delimited(p, "read-delimited", args, 2, text, delim, any)
}

func builtinReadString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	// R7RS: (read-string k [port]); Guile: (read-string [port [count]]).
	k := -1
	portArg := 1
	if len(args) > 0 {
		if _, isPort := args[0].(*Port); isPort {
			portArg = 0
			if len(args) > 1 {
				n, err := argNonNeg("read-string", args, 1)
				if err != nil {
					return nil, err
				}
				k = n
			}
		} else {
			n, err := argNonNeg("read-string", args, 0)
			if err != nil {
				return nil, err
			}
			k = n
		}
	}
	p, err := inPort(th, "read-string", args[:min(len(args), portArg+1)], portArg)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	n := 0
	for k < 0 || n < k {
		c, _, err := p.in.ReadRune()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, readErr("read-string", err)
		}
		b.WriteRune(c)
		n++
	}
	if n == 0 && k != 0 && k > 0 {
		return lang.EOF, nil
	}
	return lang.NewString(b.String()), nil
}

func builtinReadU8(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := inPort(th, "read-u8", args, 0)
	if err != nil {
		return nil, err
	}
	c, err := p.in.ReadByte()
	if err == io.EOF {
		return lang.EOF, nil
	}
	if err != nil {
		return nil, readErr("read-u8", err)
	}
	return makeInt(int(c)), nil
}

func builtinPeekU8(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := inPort(th, "peek-u8", args, 0)
	if err != nil {
		return nil, err
	}
	b, err := p.in.Peek(1)
	if err == io.EOF || len(b) == 0 {
		return lang.EOF, nil
	}
	if err != nil {
		return nil, readErr("peek-u8", err)
	}
	return makeInt(int(b[0])), nil
}

func builtinReadBytevector(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	k, err := argNonNeg("read-bytevector", args, 0)
	if err != nil {
		return nil, err
	}
	p, err := inPort(th, "read-bytevector", args, 1)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, k)
	n, err := io.ReadFull(p.in, buf)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, readErr("read-bytevector", err)
	}
	if n == 0 && k > 0 {
		return lang.EOF, nil
	}
	return &lang.Bytevector{Bytes: buf[:n]}, nil
}

func builtinRead(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := inPort(th, "read", args, 0)
	if err != nil {
		return nil, err
	}
	if p.reader == nil {
		p.reader = lang.NewPortReader(&lang.Source{Name: p.name}, p.in)
	}
	v, err := p.reader.Read()
	if err == io.EOF {
		return lang.EOF, nil
	}
	if err != nil {
		return nil, err
	}
	return v, nil
}

func printer(name string, appendFn func([]byte, lang.Value) []byte) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		p, err := outPort(th, name, args, 1)
		if err != nil {
			return nil, err
		}
		if _, err := p.Write(appendFn(nil, args[0])); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return lang.Unspec, nil
	}
}

func builtinWriteLine(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := outPort(th, "write-line", args, 1)
	if err != nil {
		return nil, err
	}
	if _, err := p.Write(append(lang.AppendDisplay(nil, args[0]), '\n')); err != nil {
		return nil, fmt.Errorf("write-line: %w", err)
	}
	return lang.Unspec, nil
}

func builtinNewline(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := outPort(th, "newline", args, 0)
	if err != nil {
		return nil, err
	}
	return lang.Unspec, p.WriteString("\n")
}

func builtinFreshLine(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := outPort(th, "fresh-line", args, 0)
	if err != nil {
		return nil, err
	}
	if !p.atLineStart {
		return lang.Unspec, p.WriteString("\n")
	}
	return lang.Unspec, nil
}

func builtinWriteChar(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	c, err := argChar("write-char", args, 0)
	if err != nil {
		return nil, err
	}
	p, err := outPort(th, "write-char", args, 1)
	if err != nil {
		return nil, err
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], c)
	_, err = p.Write(buf[:n])
	return lang.Unspec, err
}

func builtinWriteString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("write-string", args, 0)
	if err != nil {
		return nil, err
	}
	p, err := outPort(th, "write-string", args, 1)
	if err != nil {
		return nil, err
	}
	start, end, err := argRange("write-string", args, 2, s.Len(), "string")
	if err != nil {
		return nil, err
	}
	return lang.Unspec, p.WriteString(s.Substring(start, end))
}

func builtinWriteU8(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	b, err := argByte("write-u8", args, 0)
	if err != nil {
		return nil, err
	}
	p, err := outPort(th, "write-u8", args, 1)
	if err != nil {
		return nil, err
	}
	_, err = p.Write([]byte{b})
	return lang.Unspec, err
}

func builtinWriteBytevector(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	b, err := argBytevector("write-bytevector", args, 0)
	if err != nil {
		return nil, err
	}
	p, err := outPort(th, "write-bytevector", args, 1)
	if err != nil {
		return nil, err
	}
	start, end, err := argRange("write-bytevector", args, 2, len(b.Bytes), "bytevector")
	if err != nil {
		return nil, err
	}
	_, err = p.Write(b.Bytes[start:end])
	return lang.Unspec, err
}

func builtinFlush(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := outPort(th, "flush-output-port", args, 0)
	if err != nil {
		return nil, err
	}
	if f, ok := p.out.(interface{ Flush() error }); ok {
		return lang.Unspec, f.Flush()
	}
	if f, ok := p.out.(*bufio.Writer); ok {
		return lang.Unspec, f.Flush()
	}
	return lang.Unspec, nil
}
