package stdlib

import (
	"io"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// Builtins that belong to no larger area.
var miscBuiltins = []*eval.Builtin{
	{Name: "features", MinArgs: 0, MaxArgs: 0, Fn: builtinFeatures, Doc: "(features): the list of feature identifiers cond-expand knows."},
	{Name: "list-head", MinArgs: 2, MaxArgs: 2, Fn: builtinListHead, Doc: "(list-head list k): a new list of the first k elements."},
	{Name: "read-bytevector!", MinArgs: 1, MaxArgs: 4, Fn: builtinReadBytevectorBang, Doc: "(read-bytevector! bv [port start end]): read bytes into bv; the count read, or the eof object."},
	{Name: "pretty-print", MinArgs: 1, MaxArgs: -1, Fn: builtinPrettyPrint, Doc: "(pretty-print obj [port] [#:width n] [#:display? b]): write obj broken over lines to fit in width (79) columns, then a newline."},
}

// Features are the cond-expand feature identifiers of Fruix.
var Features = []string{"r7rs", "exact-closed", "exact-rational", "ratios", "full-unicode", "fruix", "guile", "srfi-0", "srfi-1", "srfi-6", "srfi-8", "srfi-9", "srfi-13", "srfi-14", "srfi-23", "srfi-26", "srfi-28", "srfi-30", "srfi-39", "srfi-62", "srfi-69", "srfi-87"}

func builtinFeatures(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	items := make([]lang.Value, len(Features))
	for i, f := range Features {
		items[i] = lang.Intern(f)
	}
	return sliceToList(items, lang.Nil), nil
}

func builtinListHead(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	k, err := argNonNeg("list-head", args, 1)
	if err != nil {
		return nil, err
	}
	items, _, err := takeN("list-head", args, k)
	if err != nil {
		return nil, err
	}
	return sliceToList(items, lang.Nil), nil
}

func builtinReadBytevectorBang(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	b, err := argBytevector("read-bytevector!", args, 0)
	if err != nil {
		return nil, err
	}
	p, err := inPort(th, "read-bytevector!", args, 1)
	if err != nil {
		return nil, err
	}
	start, end, err := argRange("read-bytevector!", args, 2, len(b.Bytes), "bytevector")
	if err != nil {
		return nil, err
	}
	n, err := io.ReadFull(p.in, b.Bytes[start:end])
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, readErr("read-bytevector!", err)
	}
	if n == 0 && end > start {
		return lang.EOF, nil
	}
	return makeInt(n), nil
}
