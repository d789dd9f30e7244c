package stdlib

import (
	"io"
	"strings"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// The R6RS-style port procedures of (ice-9 textual-ports),
// (ice-9 binary-ports) and (rnrs io ports), which Guix code uses to read
// and write whole files.
var textPortBuiltins = []*eval.Builtin{
	{Name: "get-char", MinArgs: 1, MaxArgs: 1, Fn: builtinReadChar, Doc: "(get-char port): the next character, or the eof object."},
	{Name: "lookahead-char", MinArgs: 1, MaxArgs: 1, Fn: builtinPeekChar, Doc: "(lookahead-char port): the next character without consuming it, or the eof object."},
	{Name: "get-line", MinArgs: 1, MaxArgs: 1, Fn: builtinGetLine, Doc: "(get-line port): the next line without its newline, or the eof object."},
	{Name: "get-string-all", MinArgs: 1, MaxArgs: 1, Fn: builtinGetStringAll, Doc: "(get-string-all port): the rest of the input (\"\" at the end, as in Guile)."},
	{Name: "get-string-n", MinArgs: 2, MaxArgs: 2, Fn: builtinGetStringN, Doc: "(get-string-n port count): up to count characters, or the eof object."},
	{Name: "put-char", MinArgs: 2, MaxArgs: 2, Fn: builtinPutChar, Doc: "(put-char port char): write char."},
	{Name: "put-string", MinArgs: 2, MaxArgs: 4, Fn: builtinPutString, Doc: "(put-string port string [start [count]]): write the characters of string."},
	{Name: "get-u8", MinArgs: 1, MaxArgs: 1, Fn: builtinReadU8, Doc: "(get-u8 port): the next byte, or the eof object."},
	{Name: "lookahead-u8", MinArgs: 1, MaxArgs: 1, Fn: builtinPeekU8, Doc: "(lookahead-u8 port): the next byte without consuming it, or the eof object."},
	{Name: "get-bytevector-n", MinArgs: 2, MaxArgs: 2, Fn: builtinGetBytevectorN, Doc: "(get-bytevector-n port count): up to count bytes, or the eof object."},
	{Name: "get-bytevector-all", MinArgs: 1, MaxArgs: 1, Fn: builtinGetBytevectorAll, Doc: "(get-bytevector-all port): the rest of the input as a bytevector, or the eof object."},
	{Name: "put-u8", MinArgs: 2, MaxArgs: 2, Fn: builtinPutU8, Doc: "(put-u8 port byte): write byte."},
	{Name: "put-bytevector", MinArgs: 2, MaxArgs: 4, Fn: builtinPutBytevector, Doc: "(put-bytevector port bv [start [count]]): write the bytes of bv."},
	{Name: "open-bytevector-input-port", MinArgs: 1, MaxArgs: 2, Fn: builtinOpenInputBytevector, Doc: "(open-bytevector-input-port bv): a binary input port reading bv."},
}

func builtinGetLine(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return builtinReadLine(th, args)
}

func builtinGetStringAll(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := inPort(th, "get-string-all", args, 0)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(p.in)
	if err != nil {
		return nil, readErr("get-string-all", err)
	}
	p.line += strings.Count(string(b), "\n")
	return lang.NewString(string(b)), nil
}

func builtinGetStringN(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argPort("get-string-n", args, 0); err != nil {
		return nil, err
	}
	return builtinReadString(th, []lang.Value{args[1], args[0]})
}

func builtinPutChar(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return builtinWriteChar(th, []lang.Value{args[1], args[0]})
}

// r6rsRange converts R6RS's optional start and count arguments at
// args[i:] into R7RS's start and end.
func r6rsRange(proc string, args []lang.Value, i, n int) ([]lang.Value, error) {
	if len(args) <= i {
		return nil, nil
	}
	start, err := argNonNeg(proc, args, i)
	if err != nil {
		return nil, err
	}
	end := n
	if len(args) > i+1 {
		count, err := argNonNeg(proc, args, i+1)
		if err != nil {
			return nil, err
		}
		end = start + count
	}
	return []lang.Value{makeInt(start), makeInt(end)}, nil
}

func builtinPutString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("put-string", args, 1)
	if err != nil {
		return nil, err
	}
	rng, err := r6rsRange("put-string", args, 2, s.Len())
	if err != nil {
		return nil, err
	}
	return builtinWriteString(th, append([]lang.Value{args[1], args[0]}, rng...))
}

func builtinGetBytevectorN(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argPort("get-bytevector-n", args, 0); err != nil {
		return nil, err
	}
	return builtinReadBytevector(th, []lang.Value{args[1], args[0]})
}

func builtinGetBytevectorAll(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	p, err := inPort(th, "get-bytevector-all", args, 0)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(p.in)
	if err != nil {
		return nil, readErr("get-bytevector-all", err)
	}
	if len(b) == 0 {
		return lang.EOF, nil
	}
	return &lang.Bytevector{Bytes: b}, nil
}

func builtinPutU8(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return builtinWriteU8(th, []lang.Value{args[1], args[0]})
}

func builtinPutBytevector(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	b, err := argBytevector("put-bytevector", args, 1)
	if err != nil {
		return nil, err
	}
	rng, err := r6rsRange("put-bytevector", args, 2, len(b.Bytes))
	if err != nil {
		return nil, err
	}
	return builtinWriteBytevector(th, append([]lang.Value{args[1], args[0]}, rng...))
}
