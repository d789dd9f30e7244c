package eval_test

import (
	"strings"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// A few builtins for eval's own tests, installed into (guile) by
// newTestThread. They are not a standard library: the standard library
// lives in package stdlib; these only let the evaluator's tests compute.

func num(name string, i int, v lang.Value) error { return eval.WrongType(name, i, "number", v) }

func fold(name string, f func(a, b lang.Value) (lang.Value, error), unit lang.Value) func(*eval.Thread, []lang.Value) (lang.Value, error) {
	return func(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
		acc := unit
		for i, a := range args {
			if !lang.IsNumber(a) {
				return nil, num(name, i+1, a)
			}
			if i == 0 && len(args) > 1 {
				acc = a
				continue
			}
			var err error
			if acc, err = f(acc, a); err != nil {
				return nil, err
			}
		}
		return acc, nil
	}
}

func compare(name string, ok func(int) bool) func(*eval.Thread, []lang.Value) (lang.Value, error) {
	return func(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
		for i := 0; i+1 < len(args); i++ {
			c, err := lang.Compare(args[i], args[i+1])
			if err != nil {
				return nil, err
			}
			if !ok(c) {
				return lang.False, nil
			}
		}
		return lang.True, nil
	}
}

var testBuiltins = []*eval.Builtin{
	{Name: "+", MinArgs: 0, MaxArgs: -1, Fn: fold("+", lang.Add, lang.MakeInt(0))},
	{Name: "*", MinArgs: 0, MaxArgs: -1, Fn: fold("*", lang.Mul, lang.MakeInt(1))},
	{Name: "-", MinArgs: 1, MaxArgs: -1, Fn: func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		if len(args) == 1 {
			return lang.Neg(args[0])
		}
		return fold("-", lang.Sub, nil)(th, args)
	}},
	{Name: "<", MinArgs: 1, MaxArgs: -1, Fn: compare("<", func(c int) bool { return c < 0 })},
	{Name: ">", MinArgs: 1, MaxArgs: -1, Fn: compare(">", func(c int) bool { return c > 0 })},
	{Name: "<=", MinArgs: 1, MaxArgs: -1, Fn: compare("<=", func(c int) bool { return c <= 0 })},
	{Name: ">=", MinArgs: 1, MaxArgs: -1, Fn: compare(">=", func(c int) bool { return c >= 0 })},
	{Name: "=", MinArgs: 1, MaxArgs: -1, Fn: compare("=", func(c int) bool { return c == 0 })},
	{Name: "car", MinArgs: 1, MaxArgs: 1, Fn: func(_ *eval.Thread, a []lang.Value) (lang.Value, error) {
		if p, ok := a[0].(*lang.Pair); ok {
			return p.Car, nil
		}
		return nil, eval.WrongType("car", 1, "pair", a[0])
	}},
	{Name: "cdr", MinArgs: 1, MaxArgs: 1, Fn: func(_ *eval.Thread, a []lang.Value) (lang.Value, error) {
		if p, ok := a[0].(*lang.Pair); ok {
			return p.Cdr, nil
		}
		return nil, eval.WrongType("cdr", 1, "pair", a[0])
	}},
	{Name: "cons", MinArgs: 2, MaxArgs: 2, Fn: func(_ *eval.Thread, a []lang.Value) (lang.Value, error) {
		return lang.Cons(a[0], a[1]), nil
	}},
	{Name: "list", MinArgs: 0, MaxArgs: -1, Fn: func(_ *eval.Thread, a []lang.Value) (lang.Value, error) {
		return lang.List(a...), nil
	}},
	{Name: "null?", MinArgs: 1, MaxArgs: 1, Fn: func(_ *eval.Thread, a []lang.Value) (lang.Value, error) {
		return lang.MakeBool(a[0] == lang.Value(lang.Nil)), nil
	}},
	{Name: "pair?", MinArgs: 1, MaxArgs: 1, Fn: func(_ *eval.Thread, a []lang.Value) (lang.Value, error) {
		_, ok := a[0].(*lang.Pair)
		return lang.MakeBool(ok), nil
	}},
	{Name: "not", MinArgs: 1, MaxArgs: 1, Fn: func(_ *eval.Thread, a []lang.Value) (lang.Value, error) {
		return lang.MakeBool(a[0] == lang.Value(lang.False)), nil
	}},
	{Name: "eq?", MinArgs: 2, MaxArgs: 2, Fn: func(_ *eval.Thread, a []lang.Value) (lang.Value, error) {
		return lang.MakeBool(lang.Eq(a[0], a[1])), nil
	}},
	{Name: "eqv?", MinArgs: 2, MaxArgs: 2, Fn: func(_ *eval.Thread, a []lang.Value) (lang.Value, error) {
		return lang.MakeBool(lang.Eqv(a[0], a[1])), nil
	}},
	{Name: "equal?", MinArgs: 2, MaxArgs: 2, Fn: func(_ *eval.Thread, a []lang.Value) (lang.Value, error) {
		return lang.MakeBool(lang.Equal(a[0], a[1])), nil
	}},
	{Name: "vector", MinArgs: 0, MaxArgs: -1, Fn: func(_ *eval.Thread, a []lang.Value) (lang.Value, error) {
		return &lang.Vector{Items: append([]lang.Value(nil), a...)}, nil
	}},
	{Name: "symbol?", MinArgs: 1, MaxArgs: 1, Fn: func(_ *eval.Thread, a []lang.Value) (lang.Value, error) {
		_, ok := a[0].(*lang.Symbol)
		return lang.MakeBool(ok), nil
	}},
	{Name: "string?", MinArgs: 1, MaxArgs: 1, Fn: func(_ *eval.Thread, a []lang.Value) (lang.Value, error) {
		_, ok := a[0].(*lang.String)
		return lang.MakeBool(ok), nil
	}},
	{Name: "string-append", MinArgs: 0, MaxArgs: -1, Fn: func(_ *eval.Thread, a []lang.Value) (lang.Value, error) {
		var b strings.Builder
		for i, s := range a {
			str, ok := s.(*lang.String)
			if !ok {
				return nil, eval.WrongType("string-append", i+1, "string", s)
			}
			b.WriteString(str.String())
		}
		return lang.NewString(b.String()), nil
	}},
	{Name: "symbol->string", MinArgs: 1, MaxArgs: 1, Fn: func(_ *eval.Thread, a []lang.Value) (lang.Value, error) {
		s, ok := a[0].(*lang.Symbol)
		if !ok {
			return nil, eval.WrongType("symbol->string", 1, "symbol", a[0])
		}
		return lang.NewString(s.Name), nil
	}},
	{Name: "string->symbol", MinArgs: 1, MaxArgs: 1, Fn: func(_ *eval.Thread, a []lang.Value) (lang.Value, error) {
		s, ok := a[0].(*lang.String)
		if !ok {
			return nil, eval.WrongType("string->symbol", 1, "string", a[0])
		}
		return lang.Intern(s.String()), nil
	}},
	{Name: "write", MinArgs: 1, MaxArgs: 1, Fn: func(th *eval.Thread, a []lang.Value) (lang.Value, error) {
		return lang.Unspec, lang.Write(th.Stdout(), a[0])
	}},
	{Name: "display", MinArgs: 1, MaxArgs: 1, Fn: func(th *eval.Thread, a []lang.Value) (lang.Value, error) {
		return lang.Unspec, lang.Display(th.Stdout(), a[0])
	}},
	{Name: "newline", MinArgs: 0, MaxArgs: 0, Fn: func(th *eval.Thread, a []lang.Value) (lang.Value, error) {
		_, err := th.Stdout().Write([]byte("\n"))
		return lang.Unspec, err
	}},
	{Name: "reverse", MinArgs: 1, MaxArgs: 1, Fn: func(_ *eval.Thread, a []lang.Value) (lang.Value, error) {
		var r lang.Value = lang.Nil
		for p, ok := a[0].(*lang.Pair); ok; p, ok = p.Cdr.(*lang.Pair) {
			r = lang.Cons(p.Car, r)
		}
		return r, nil
	}},
	{Name: "length", MinArgs: 1, MaxArgs: 1, Fn: func(_ *eval.Thread, a []lang.Value) (lang.Value, error) {
		n := 0
		x := a[0]
		for {
			p, ok := x.(*lang.Pair)
			if !ok {
				break
			}
			n++
			x = p.Cdr
		}
		if x != lang.Value(lang.Nil) {
			return nil, eval.WrongType("length", 1, "proper list", a[0])
		}
		return lang.MakeInt(int64(n)), nil
	}},
	{Name: "map", MinArgs: 2, MaxArgs: 2, Fn: func(th *eval.Thread, a []lang.Value) (lang.Value, error) {
		var out []lang.Value
		for p, ok := a[1].(*lang.Pair); ok; p, ok = p.Cdr.(*lang.Pair) {
			v, err := th.Call(a[0], p.Car)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return lang.List(out...), nil
	}},
	{Name: "for-each", MinArgs: 2, MaxArgs: 2, Fn: func(th *eval.Thread, a []lang.Value) (lang.Value, error) {
		for p, ok := a[1].(*lang.Pair); ok; p, ok = p.Cdr.(*lang.Pair) {
			if _, err := th.Call(a[0], p.Car); err != nil {
				return nil, err
			}
		}
		return lang.Unspec, nil
	}},
}
