package stdlib

import (
	"strings"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// Symbols and keywords.
var symbolBuiltins = []*eval.Builtin{
	{Name: "symbol?", MinArgs: 1, MaxArgs: 1, Fn: builtinSymbolP, Doc: "(symbol? v): whether v is a symbol."},
	{Name: "symbol->string", MinArgs: 1, MaxArgs: 1, Fn: builtinSymbolToString, Doc: "(symbol->string symbol): the name of symbol, as an immutable string."},
	{Name: "string->symbol", MinArgs: 1, MaxArgs: 1, Fn: builtinStringToSymbol, Doc: "(string->symbol string): the symbol named string."},
	{Name: "string->uninterned-symbol", MinArgs: 1, MaxArgs: 1, Fn: builtinStringToUninternedSymbol, Doc: "(string->uninterned-symbol string): a fresh symbol named string, eq? to no other."},
	{Name: "symbol-append", MinArgs: 0, MaxArgs: -1, Fn: builtinSymbolAppend, Doc: "(symbol-append symbol ...): the symbol whose name is the names appended."},
	{Name: "symbol=?", MinArgs: 1, MaxArgs: -1, Fn: builtinSymbolEq, Doc: "(symbol=? s1 s2 ...): whether the symbols are all the same."},
	{Name: "symbol<?", MinArgs: 1, MaxArgs: -1, Fn: builtinSymbolLess, Doc: "(symbol<? s1 s2 ...): whether the names are in strictly increasing order."},
	{Name: "keyword?", MinArgs: 1, MaxArgs: 1, Fn: builtinKeywordP, Doc: "(keyword? v): whether v is a keyword."},
	{Name: "keyword->symbol", MinArgs: 1, MaxArgs: 1, Fn: builtinKeywordToSymbol, Doc: "(keyword->symbol keyword): the symbol with the keyword's name: #:foo gives foo."},
	{Name: "symbol->keyword", MinArgs: 1, MaxArgs: 1, Fn: builtinSymbolToKeyword, Doc: "(symbol->keyword symbol): the keyword with the symbol's name: foo gives #:foo."},
	{Name: "keyword->string", MinArgs: 1, MaxArgs: 1, Fn: builtinKeywordToString, Doc: "(keyword->string keyword): the keyword's name."},
	{Name: "string->keyword", MinArgs: 1, MaxArgs: 1, Fn: builtinStringToKeyword, Doc: "(string->keyword string): the keyword named string."},
}

func builtinSymbolP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	_, ok := args[0].(*lang.Symbol)
	return lang.MakeBool(ok), nil
}

func builtinSymbolToString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argSymbol("symbol->string", args, 0)
	if err != nil {
		return nil, err
	}
	str := lang.NewString(s.Name)
	str.Immutable = true
	return str, nil
}

func builtinStringToSymbol(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string->symbol", args, 0)
	if err != nil {
		return nil, err
	}
	return lang.Intern(s.String()), nil
}

func builtinStringToUninternedSymbol(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string->uninterned-symbol", args, 0)
	if err != nil {
		return nil, err
	}
	return &lang.Symbol{Name: s.String()}, nil
}

func builtinSymbolAppend(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	var b strings.Builder
	for i := range args {
		s, err := argSymbol("symbol-append", args, i)
		if err != nil {
			return nil, err
		}
		b.WriteString(s.Name)
	}
	return lang.Intern(b.String()), nil
}

func builtinSymbolEq(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	result := true
	for i := range args {
		s, err := argSymbol("symbol=?", args, i)
		if err != nil {
			return nil, err
		}
		if s != args[0] {
			result = false
		}
	}
	return lang.MakeBool(result), nil
}

func builtinSymbolLess(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	result := true
	for i := range args {
		s, err := argSymbol("symbol<?", args, i)
		if err != nil {
			return nil, err
		}
		if i > 0 && !(args[i-1].(*lang.Symbol).Name < s.Name) {
			result = false
		}
	}
	return lang.MakeBool(result), nil
}

func builtinKeywordP(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	_, ok := args[0].(*lang.Keyword)
	return lang.MakeBool(ok), nil
}

func argKeyword(proc string, args []lang.Value, i int) (*lang.Keyword, error) {
	if k, ok := args[i].(*lang.Keyword); ok {
		return k, nil
	}
	return nil, wrongType(proc, i, "keyword", args[i])
}

func builtinKeywordToSymbol(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	k, err := argKeyword("keyword->symbol", args, 0)
	if err != nil {
		return nil, err
	}
	return lang.Intern(k.Name), nil
}

func builtinSymbolToKeyword(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argSymbol("symbol->keyword", args, 0)
	if err != nil {
		return nil, err
	}
	return lang.InternKeyword(s.Name), nil
}

func builtinKeywordToString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	k, err := argKeyword("keyword->string", args, 0)
	if err != nil {
		return nil, err
	}
	return lang.NewString(k.Name), nil
}

func builtinStringToKeyword(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("string->keyword", args, 0)
	if err != nil {
		return nil, err
	}
	return lang.InternKeyword(s.String()), nil
}
