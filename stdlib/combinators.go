package stdlib

import (
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// SRFI-26's cut and cute, as native macros in (srfi srfi-26), and the
// procedure combinators Guile has in its default environment: const,
// compose, negate, identity and and=>.

var (
	symSlot     = lang.Intern("<>")
	symRestSlot = lang.Intern("<...>")
)

func defineCut(th *eval.Thread, m *eval.Module) {
	m.DefineNativeMacro("cut", expandCut)
	m.DefineNativeMacro("cute", expandCut)
}

// defineCombinators adds the combinators to (guile), unless the rest of
// the standard library already defines them there.
func defineCombinators(th *eval.Thread, m *eval.Module) {
	for _, b := range combinatorBuiltins {
		if _, defined := m.Lookup(b.Name); !defined {
			m.Define(b.Name, b)
		}
	}
}

// expandCut expands (cut slot-or-expr ...) and (cute slot-or-expr ...).
// Each <> becomes a parameter; a final <...> takes the remaining
// arguments. cute evaluates the non-slot expressions once, when the
// procedure is made; cut evaluates them on every call.
func expandCut(th *eval.Thread, form *lang.Pair, _ *eval.MacroEnv) (lang.Value, error) {
	mc := newMatchCompiler(th, form)
	parts, ok := listArgs(form.Cdr)
	if !ok || len(parts) == 0 {
		return nil, mc.errorf("bad syntax: want (%s procedure slot-or-expression ...)", mc.name)
	}
	evaluateOnce := mc.name == "cute"
	var params []lang.Value
	var call []lang.Value
	var pre []lang.Value // cute's (temp expr) bindings
	var rest lang.Value
	for i, p := range parts {
		switch {
		case p == lang.Value(symSlot):
			t := mc.temp("cut-arg-")
			params = append(params, t)
			call = append(call, t)
		case p == lang.Value(symRestSlot):
			if i != len(parts)-1 {
				return nil, mc.errorf("`<...>` must be the last slot in %s", lang.WriteString(form))
			}
			rest = mc.temp("cut-rest-")
		case evaluateOnce && !isSelfEvaluating(p):
			t := mc.temp("cute-value-")
			pre = append(pre, mc.list(t, p))
			call = append(call, t)
		default:
			call = append(call, p)
		}
	}
	var formals lang.Value = lang.Nil
	for i := len(params) - 1; i >= 0; i-- {
		formals = &lang.Pair{Car: params[i], Cdr: formals, Pos: mc.pos}
	}
	var body lang.Value
	if rest != nil {
		if formals == lang.Value(lang.Nil) {
			formals = rest
		} else {
			last := formals.(*lang.Pair)
			for last.Cdr != lang.Value(lang.Nil) {
				last = last.Cdr.(*lang.Pair)
			}
			last.Cdr = rest
		}
		body = mc.list(append(append([]lang.Value{mc.core("apply")}, call...), rest)...)
	} else {
		body = mc.list(call...)
	}
	lambda := mc.list(mc.core("lambda"), formals, body)
	if len(pre) == 0 {
		return lambda, nil
	}
	return mc.list(mc.core("let"), mc.list(pre...), lambda), nil
}

func isSelfEvaluating(v lang.Value) bool {
	switch v.(type) {
	case *lang.Symbol, *lang.Pair:
		return false
	}
	return true
}

var combinatorBuiltins = []*eval.Builtin{
	{Name: "const", MinArgs: 1, MaxArgs: 1, Fn: constProcedure,
		Doc: "(const value): a procedure that takes any arguments and returns value."},
	{Name: "compose", MinArgs: 1, MaxArgs: -1, Fn: composeProcedures,
		Doc: "(compose f g ...): the procedure that applies the last of its arguments first: ((compose f g) x) is (f (g x)). Multiple values pass from one procedure to the next."},
	{Name: "negate", MinArgs: 1, MaxArgs: 1, Fn: negateProcedure,
		Doc: "(negate pred): the procedure returning (not (pred arg ...))."},
	{Name: "identity", MinArgs: 1, MaxArgs: 1, Fn: func(_ *eval.Thread, args []lang.Value) (lang.Value, error) { return args[0], nil },
		Doc: "(identity x): x."},
	{Name: "and=>", MinArgs: 2, MaxArgs: 2, Fn: andThen,
		Doc: "(and=> value proc): (proc value) when value is true, else #f."},
}

func constProcedure(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
	v := args[0]
	return &eval.Builtin{Name: "const", MinArgs: 0, MaxArgs: -1,
		Fn: func(*eval.Thread, []lang.Value) (lang.Value, error) { return v, nil }}, nil
}

func composeProcedures(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
	for i, p := range args {
		if !eval.IsProcedure(p) {
			return nil, eval.WrongType("compose", i+1, "procedure", p)
		}
	}
	procs := append([]lang.Value(nil), args...)
	return &eval.Builtin{Name: "compose", MinArgs: 0, MaxArgs: -1,
		Fn: func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
			vals := args
			var result lang.Value
			for i := len(procs) - 1; i >= 0; i-- {
				var err error
				result, err = th.Call(procs[i], vals...)
				if err != nil {
					return nil, err
				}
				vals = eval.ValuesOf(result)
			}
			return result, nil
		}}, nil
}

func negateProcedure(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
	pred := args[0]
	if !eval.IsProcedure(pred) {
		return nil, eval.WrongType("negate", 1, "procedure", pred)
	}
	return &eval.Builtin{Name: "negate", MinArgs: 0, MaxArgs: -1,
		Fn: func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
			v, err := th.Call(pred, args...)
			if err != nil {
				return nil, err
			}
			return lang.MakeBool(!lang.IsTrue(v)), nil
		}}, nil
}

func andThen(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if !lang.IsTrue(args[0]) {
		return lang.False, nil
	}
	if !eval.IsProcedure(args[1]) {
		return nil, eval.WrongType("and=>", 2, "procedure", args[1])
	}
	return th.Call(args[1], args[0])
}
