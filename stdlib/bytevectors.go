package stdlib

import (
	"unicode/utf8"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// Bytevectors: R7RS (scheme base) plus the R6RS/Guile names Guile code
// uses.
var bytevectorBuiltins = []*eval.Builtin{
	{Name: "bytevector?", MinArgs: 1, MaxArgs: 1, Fn: builtinBytevectorP, Doc: "(bytevector? v): whether v is a bytevector."},
	{Name: "make-bytevector", MinArgs: 1, MaxArgs: 2, Fn: builtinMakeBytevector, Doc: "(make-bytevector k [byte]): a new bytevector of k bytes, each byte (0 by default)."},
	{Name: "bytevector", MinArgs: 0, MaxArgs: -1, Fn: builtinBytevector, Doc: "(bytevector byte ...): a new bytevector of the bytes."},
	{Name: "bytevector-length", MinArgs: 1, MaxArgs: 1, Fn: builtinBytevectorLength, Doc: "(bytevector-length bv): the number of bytes."},
	{Name: "bytevector-u8-ref", MinArgs: 2, MaxArgs: 2, Fn: builtinBytevectorRef, Doc: "(bytevector-u8-ref bv k): byte k (from 0)."},
	{Name: "bytevector-u8-set!", MinArgs: 3, MaxArgs: 3, Fn: builtinBytevectorSet, Doc: "(bytevector-u8-set! bv k byte): store byte at index k."},
	{Name: "bytevector-copy", MinArgs: 1, MaxArgs: 3, Fn: builtinBytevectorCopy, Doc: "(bytevector-copy bv [start end]): a new bytevector of the bytes."},
	{Name: "bytevector-copy!", MinArgs: 3, MaxArgs: 5, Fn: builtinBytevectorCopyBang, Doc: "(bytevector-copy! to at from [start end]): copy bytes of from into to at index at."},
	{Name: "bytevector-append", MinArgs: 0, MaxArgs: -1, Fn: builtinBytevectorAppend, Doc: "(bytevector-append bv ...): a new bytevector of the bytes of the arguments."},
	{Name: "bytevector-fill!", MinArgs: 2, MaxArgs: 4, Fn: builtinBytevectorFill, Doc: "(bytevector-fill! bv byte [start end]): store byte in every position of the range."},
	{Name: "bytevector=?", MinArgs: 2, MaxArgs: 2, Fn: builtinBytevectorEq, Doc: "(bytevector=? bv1 bv2): whether the bytevectors hold the same bytes."},
	{Name: "utf8->string", MinArgs: 1, MaxArgs: 3, Fn: builtinUTF8ToString, Doc: "(utf8->string bv [start end]): the string the UTF-8 bytes encode."},
	{Name: "string->utf8", MinArgs: 1, MaxArgs: 3, Fn: builtinStringToUTF8, Doc: "(string->utf8 string [start end]): the UTF-8 encoding of the characters."},
	{Name: "bytevector->u8-list", MinArgs: 1, MaxArgs: 1, Fn: builtinBytevectorToList, Doc: "(bytevector->u8-list bv): the bytes as a list."},
	{Name: "u8-list->bytevector", MinArgs: 1, MaxArgs: 1, Fn: builtinListToBytevector, Doc: "(u8-list->bytevector list): a new bytevector of the bytes of list."},
}

func argByte(proc string, args []lang.Value, i int) (byte, error) {
	n, ok := args[i].(lang.Fixnum)
	if !ok {
		return 0, wrongType(proc, i, "byte", args[i])
	}
	if n < 0 || n > 255 {
		return 0, rangeErrorf(proc, i, "%d is not a byte (0 to 255)", n)
	}
	return byte(n), nil
}

func builtinBytevectorP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	_, ok := args[0].(*lang.Bytevector)
	return lang.MakeBool(ok), nil
}

func builtinMakeBytevector(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	n, err := argNonNeg("make-bytevector", args, 0)
	if err != nil {
		return nil, err
	}
	var fill byte
	if len(args) > 1 {
		if fill, err = argByte("make-bytevector", args, 1); err != nil {
			return nil, err
		}
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = fill
	}
	return &lang.Bytevector{Bytes: b}, nil
}

func builtinBytevector(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	b := make([]byte, len(args))
	for i := range args {
		x, err := argByte("bytevector", args, i)
		if err != nil {
			return nil, err
		}
		b[i] = x
	}
	return &lang.Bytevector{Bytes: b}, nil
}

func builtinBytevectorLength(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	b, err := argBytevector("bytevector-length", args, 0)
	if err != nil {
		return nil, err
	}
	return makeInt(len(b.Bytes)), nil
}

func builtinBytevectorRef(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	b, err := argBytevector("bytevector-u8-ref", args, 0)
	if err != nil {
		return nil, err
	}
	k, err := argIndex("bytevector-u8-ref", args, 1, len(b.Bytes), "bytevector")
	if err != nil {
		return nil, err
	}
	return makeInt(int(b.Bytes[k])), nil
}

func builtinBytevectorSet(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	b, err := argBytevector("bytevector-u8-set!", args, 0)
	if err != nil {
		return nil, err
	}
	k, err := argIndex("bytevector-u8-set!", args, 1, len(b.Bytes), "bytevector")
	if err != nil {
		return nil, err
	}
	x, err := argByte("bytevector-u8-set!", args, 2)
	if err != nil {
		return nil, err
	}
	b.Bytes[k] = x
	return lang.Unspec, nil
}

func bytevectorRange(proc string, args []lang.Value) ([]byte, error) {
	b, err := argBytevector(proc, args, 0)
	if err != nil {
		return nil, err
	}
	start, end, err := argRange(proc, args, 1, len(b.Bytes), "bytevector")
	if err != nil {
		return nil, err
	}
	return b.Bytes[start:end], nil
}

func builtinBytevectorCopy(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	b, err := bytevectorRange("bytevector-copy", args)
	if err != nil {
		return nil, err
	}
	return &lang.Bytevector{Bytes: append([]byte{}, b...)}, nil
}

func builtinBytevectorCopyBang(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	to, err := argBytevector("bytevector-copy!", args, 0)
	if err != nil {
		return nil, err
	}
	at, err := argInt("bytevector-copy!", args, 1)
	if err != nil {
		return nil, err
	}
	if at < 0 || at > len(to.Bytes) {
		return nil, rangeErrorf("bytevector-copy!", 1, "index %d out of range for bytevector of length %d", at, len(to.Bytes))
	}
	b, err := bytevectorRange("bytevector-copy!", args[2:])
	if err != nil {
		return nil, shiftArg(err, 2)
	}
	if at+len(b) > len(to.Bytes) {
		return nil, rangeErrorf("bytevector-copy!", 2, "%d bytes do not fit at index %d of a bytevector of length %d", len(b), at, len(to.Bytes))
	}
	copy(to.Bytes[at:], b)
	return lang.Unspec, nil
}

func builtinBytevectorAppend(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	out := []byte{}
	for i := range args {
		b, err := argBytevector("bytevector-append", args, i)
		if err != nil {
			return nil, err
		}
		out = append(out, b.Bytes...)
	}
	return &lang.Bytevector{Bytes: out}, nil
}

func builtinBytevectorFill(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	b, err := argBytevector("bytevector-fill!", args, 0)
	if err != nil {
		return nil, err
	}
	x, err := argByte("bytevector-fill!", args, 1)
	if err != nil {
		return nil, err
	}
	start, end, err := argRange("bytevector-fill!", args, 2, len(b.Bytes), "bytevector")
	if err != nil {
		return nil, err
	}
	for i := start; i < end; i++ {
		b.Bytes[i] = x
	}
	return lang.Unspec, nil
}

func builtinBytevectorEq(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	a, err := argBytevector("bytevector=?", args, 0)
	if err != nil {
		return nil, err
	}
	b, err := argBytevector("bytevector=?", args, 1)
	if err != nil {
		return nil, err
	}
	return lang.MakeBool(string(a.Bytes) == string(b.Bytes)), nil
}

func builtinUTF8ToString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	b, err := bytevectorRange("utf8->string", args)
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(b) {
		// Invalid sequences decode to U+FFFD, as Guile's default
		// conversion strategy substitutes them.
		return lang.NewStringRunes([]rune(string(b))), nil
	}
	return lang.NewString(string(b)), nil
}

func builtinStringToUTF8(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string->utf8", args, 0)
	if err != nil {
		return nil, err
	}
	start, end, err := argRange("string->utf8", args, 1, s.Len(), "string")
	if err != nil {
		return nil, err
	}
	return &lang.Bytevector{Bytes: []byte(s.Substring(start, end))}, nil
}

func builtinBytevectorToList(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	b, err := argBytevector("bytevector->u8-list", args, 0)
	if err != nil {
		return nil, err
	}
	items := make([]lang.Value, len(b.Bytes))
	for i, x := range b.Bytes {
		items[i] = makeInt(int(x))
	}
	return sliceToList(items, lang.Nil), nil
}

func builtinListToBytevector(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	items, err := listToSlice("u8-list->bytevector", args, 0)
	if err != nil {
		return nil, err
	}
	v, err := builtinBytevector(th, items)
	if err != nil {
		return nil, wrongType("u8-list->bytevector", 0, "list of bytes", args[0])
	}
	return v, nil
}

// r6rsBytevectorCopy is the bytevector-copy! of R6RS and of Guile's
// default environment, which takes its arguments in another order than
// R7RS's: (bytevector-copy! source source-start target target-start
// count). (guile) and (rnrs bytevectors) have this one, (scheme base) the
// R7RS one.
var r6rsBytevectorCopy = &eval.Builtin{
	Name: "bytevector-copy!", MinArgs: 5, MaxArgs: 5, Fn: builtinR6RSBytevectorCopy,
	Doc: "(bytevector-copy! source source-start target target-start count): copy count bytes (R6RS and Guile order).",
}

func builtinR6RSBytevectorCopy(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	const name = "bytevector-copy!"
	src, err := argBytevector(name, args, 0)
	if err != nil {
		return nil, err
	}
	ss, err := argNonNeg(name, args, 1)
	if err != nil {
		return nil, err
	}
	dst, err := argBytevector(name, args, 2)
	if err != nil {
		return nil, err
	}
	ds, err := argNonNeg(name, args, 3)
	if err != nil {
		return nil, err
	}
	n, err := argNonNeg(name, args, 4)
	if err != nil {
		return nil, err
	}
	if ss+n > len(src.Bytes) {
		return nil, rangeErrorf(name, 4, "%d bytes from index %d exceed the source's length %d", n, ss, len(src.Bytes))
	}
	if ds+n > len(dst.Bytes) {
		return nil, rangeErrorf(name, 4, "%d bytes at index %d exceed the target's length %d", n, ds, len(dst.Bytes))
	}
	copy(dst.Bytes[ds:ds+n], src.Bytes[ss:ss+n])
	return lang.Unspec, nil
}
