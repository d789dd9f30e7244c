package eval

import (
	"errors"
	"fmt"
	"path/filepath"

	"fruix.dev/fruix/lang"
)

// The control procedures only the evaluator can implement. They are
// defined in the core module, which (guile) and the (scheme ...) modules
// re-export.

// raiseRequest is returned by the raise builtins; the caller of the
// builtin raises obj at the call's position.
type raiseRequest struct {
	obj         lang.Value
	continuable bool
}

func (r *raiseRequest) Error() string { return "raise " + writeString(r.obj) }

func argProc(name string, args []lang.Value, i int) (lang.Value, error) {
	if !IsProcedure(args[i]) {
		return nil, WrongType(name, i+1, "procedure", args[i])
	}
	return args[i], nil
}

func argString(name string, args []lang.Value, i int) (string, error) {
	s, ok := args[i].(*lang.String)
	if !ok {
		return "", WrongType(name, i+1, "string", args[i])
	}
	return s.String(), nil
}

func argSymbol(name string, args []lang.Value, i int) (*lang.Symbol, error) {
	s, ok := args[i].(*lang.Symbol)
	if !ok {
		return nil, WrongType(name, i+1, "symbol", args[i])
	}
	return s, nil
}

// listToSlice returns the items of l, argument arg of procedure name, or
// a wrong-type error if l is not a proper list: a circular one, such as
// '#0=(1 . #0#) given to apply, is an error instead of being copied until
// memory runs out.
func listToSlice(name string, arg int, l lang.Value) ([]lang.Value, error) {
	items, tail, circular := lang.ListItems(l)
	if circular {
		return nil, NewError(KindWrongType, fmt.Sprintf("%s: argument %d: want proper list, got a circular list", name, arg))
	}
	if _, proper := tail.(*lang.Null); !proper {
		return nil, WrongType(name, arg, "proper list", l)
	}
	return items, nil
}

func builtinApply(th *Thread, args []lang.Value) (lang.Value, error) {
	f := args[0]
	if !IsProcedure(f) {
		return nil, WrongType("apply", 1, "procedure", f)
	}
	last, err := listToSlice("apply", len(args), args[len(args)-1])
	if err != nil {
		return nil, err
	}
	all := make([]lang.Value, 0, len(args)-2+len(last))
	all = append(all, args[1:len(args)-1]...)
	all = append(all, last...)
	th.tcProc, th.tcArgs, th.tcPos = f, all, lang.Pos{}
	return tailMarker, nil
}

func builtinCallCC(th *Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argProc("call-with-current-continuation", args, 0); err != nil {
		return nil, err
	}
	k := &Continuation{th: th, alive: true, depth: th.depth, handlers: th.handlers, params: th.params}
	v, err := th.apply(args[0], []lang.Value{k}, lang.Pos{})
	k.alive = false
	if err != nil {
		var e *escape
		if errors.As(err, &e) && e.k == k {
			th.depth, th.handlers, th.params = k.depth, k.handlers, k.params
			th.tcClosure, th.tcFrame, th.tcProc, th.tcArgs = nil, nil, nil, nil
			return Values(e.vals...), nil
		}
		return nil, err
	}
	return v, nil
}

func builtinDynamicWind(th *Thread, args []lang.Value) (lang.Value, error) {
	for i := range args {
		if _, err := argProc("dynamic-wind", args, i); err != nil {
			return nil, err
		}
	}
	if _, err := th.apply(args[0], nil, lang.Pos{}); err != nil {
		return nil, err
	}
	v, err := th.apply(args[1], nil, lang.Pos{})
	// The after thunk runs however the thunk is left: normally, by an
	// escape, or by an error travelling up.
	if _, err2 := th.apply(args[2], nil, lang.Pos{}); err2 != nil {
		return nil, err2
	}
	return v, err
}

func builtinCallWithValues(th *Thread, args []lang.Value) (lang.Value, error) {
	if _, err := argProc("call-with-values", args, 0); err != nil {
		return nil, err
	}
	if _, err := argProc("call-with-values", args, 1); err != nil {
		return nil, err
	}
	v, err := th.apply(args[0], nil, lang.Pos{})
	if err != nil {
		return nil, err
	}
	th.tcProc, th.tcArgs, th.tcPos = args[1], append([]lang.Value(nil), ValuesOf(v)...), lang.Pos{}
	return tailMarker, nil
}

func builtinWithExceptionHandler(th *Thread, args []lang.Value) (lang.Value, error) {
	for i := range args {
		if _, err := argProc("with-exception-handler", args, i); err != nil {
			return nil, err
		}
	}
	saved := th.handlers
	th.handlers = &handlerEntry{proc: args[0], next: saved}
	v, err := th.apply(args[1], nil, lang.Pos{})
	th.handlers = saved
	return v, err
}

func builtinError(th *Thread, args []lang.Value) (lang.Value, error) {
	if len(args) == 0 {
		return nil, NewError(KindError, "error")
	}
	if s, ok := args[0].(*lang.String); ok {
		return nil, &ErrorObject{Kind: KindError, Message: s.String(), Irritants: append([]lang.Value(nil), args[1:]...)}
	}
	// (error 'proc "message" ...), as SRFI-23 code written for other
	// Schemes does.
	msg := lang.DisplayString(args[0])
	rest := args[1:]
	if len(rest) > 0 {
		if s, ok := rest[0].(*lang.String); ok {
			msg += ": " + s.String()
			rest = rest[1:]
		}
	}
	return nil, &ErrorObject{Kind: KindError, Message: msg, Irritants: append([]lang.Value(nil), rest...)}
}

func argErrorObject(name string, args []lang.Value) (*ErrorObject, error) {
	e, ok := args[0].(*ErrorObject)
	if !ok {
		return nil, WrongType(name, 1, "error object", args[0])
	}
	return e, nil
}

func kindPredicate(kind string) func(*Thread, []lang.Value) (lang.Value, error) {
	return func(_ *Thread, args []lang.Value) (lang.Value, error) {
		e, ok := args[0].(*ErrorObject)
		return lang.MakeBool(ok && e.Kind == kind), nil
	}
}

func builtinEval(th *Thread, args []lang.Value) (lang.Value, error) {
	m := th.current
	if len(args) == 2 {
		mm, ok := args[1].(*Module)
		if !ok {
			return nil, WrongType("eval", 2, "environment (module)", args[1])
		}
		m = mm
	}
	return th.evalIn(args[0], m)
}

func builtinEnvironment(th *Thread, args []lang.Value) (lang.Value, error) {
	th.anonModules++
	m := newModule(th, []string{"%environment", itoa(th.anonModules)})
	c := th.newCompiler(m)
	for i, spec := range args {
		if err := c.importSet(nil, spec, m); err != nil {
			return nil, err
		}
		_ = i
	}
	return m, nil
}

func builtinLoad(th *Thread, args []lang.Value) (lang.Value, error) {
	path, err := argString("load", args, 0)
	if err != nil {
		return nil, err
	}
	if !filepath.IsAbs(path) && th.fileDir != "" {
		path = filepath.Join(th.fileDir, path)
	}
	return th.loadFile(path, lang.Pos{})
}

func builtinMakeParameter(th *Thread, args []lang.Value) (lang.Value, error) {
	var conv lang.Value
	if len(args) == 2 {
		if _, err := argProc("make-parameter", args, 1); err != nil {
			return nil, err
		}
		conv = args[1]
	}
	return th.MakeParameter(args[0], conv)
}

var controlBuiltins = []*Builtin{
	{Name: "apply", MinArgs: 2, MaxArgs: -1, Fn: builtinApply,
		Doc: "(apply proc arg ... list): call proc with the args and the elements of list."},
	{Name: "call-with-current-continuation", MinArgs: 1, MaxArgs: 1, Fn: builtinCallCC,
		Doc: "Call proc with the current continuation, an escape procedure valid while the call runs."},
	{Name: "call/cc", MinArgs: 1, MaxArgs: 1, Fn: builtinCallCC,
		Doc: "Call proc with the current continuation, an escape procedure valid while the call runs."},
	{Name: "call-with-escape-continuation", MinArgs: 1, MaxArgs: 1, Fn: builtinCallCC,
		Doc: "Call proc with an escape continuation."},
	{Name: "call/ec", MinArgs: 1, MaxArgs: 1, Fn: builtinCallCC,
		Doc: "Call proc with an escape continuation."},
	{Name: "dynamic-wind", MinArgs: 3, MaxArgs: 3, Fn: builtinDynamicWind,
		Doc: "(dynamic-wind before thunk after): run thunk between before and after; after also runs when thunk is left by an escape or an error."},
	{Name: "values", MinArgs: 0, MaxArgs: -1, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		return Values(args...), nil
	}, Doc: "Return the arguments as multiple values."},
	{Name: "call-with-values", MinArgs: 2, MaxArgs: 2, Fn: builtinCallWithValues,
		Doc: "(call-with-values producer consumer): call consumer with the values of producer."},
	{Name: "with-exception-handler", MinArgs: 2, MaxArgs: 2, Fn: builtinWithExceptionHandler,
		Doc: "(with-exception-handler handler thunk): call thunk with handler installed for raise."},
	{Name: "raise", MinArgs: 1, MaxArgs: 1, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		return nil, &raiseRequest{obj: args[0]}
	}, Doc: "Raise obj as a non-continuable exception."},
	{Name: "raise-continuable", MinArgs: 1, MaxArgs: 1, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		return nil, &raiseRequest{obj: args[0], continuable: true}
	}, Doc: "Raise obj; the value of the handler is returned."},
	{Name: "error", MinArgs: 0, MaxArgs: -1, Fn: builtinError,
		Doc: "(error message irritant ...): raise an error object."},
	{Name: "error-object?", MinArgs: 1, MaxArgs: 1, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		_, ok := args[0].(*ErrorObject)
		return lang.MakeBool(ok), nil
	}, Doc: "Is obj an error object?"},
	{Name: "error-object-message", MinArgs: 1, MaxArgs: 1, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		e, err := argErrorObject("error-object-message", args)
		if err != nil {
			return nil, err
		}
		return lang.NewString(e.Message), nil
	}, Doc: "The message of an error object."},
	{Name: "error-object-irritants", MinArgs: 1, MaxArgs: 1, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		e, err := argErrorObject("error-object-irritants", args)
		if err != nil {
			return nil, err
		}
		return lang.List(e.Irritants...), nil
	}, Doc: "The irritants of an error object, as a list."},
	{Name: "error-object-kind", MinArgs: 1, MaxArgs: 1, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		e, err := argErrorObject("error-object-kind", args)
		if err != nil {
			return nil, err
		}
		return lang.Intern(e.Kind), nil
	}, Doc: "The kind of an error object, a symbol such as wrong-type-arg or unbound-variable."},
	{Name: "file-error?", MinArgs: 1, MaxArgs: 1, Fn: kindPredicate(KindFile), Doc: "Is obj an error object about a file?"},
	{Name: "read-error?", MinArgs: 1, MaxArgs: 1, Fn: kindPredicate(KindRead), Doc: "Is obj an error object from the reader?"},
	{Name: "make-parameter", MinArgs: 1, MaxArgs: 2, Fn: builtinMakeParameter,
		Doc: "(make-parameter value [converter]): a new parameter object."},
	{Name: "force", MinArgs: 1, MaxArgs: 1, Fn: func(th *Thread, args []lang.Value) (lang.Value, error) {
		return th.force(args[0], lang.Pos{})
	}, Doc: "Force a promise."},
	{Name: "make-promise", MinArgs: 1, MaxArgs: 1, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		return MakePromise(args[0]), nil
	}, Doc: "A promise already forced to obj."},
	{Name: "promise?", MinArgs: 1, MaxArgs: 1, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		_, ok := args[0].(*Promise)
		return lang.MakeBool(ok), nil
	}, Doc: "Is obj a promise?"},
	{Name: "procedure?", MinArgs: 1, MaxArgs: 1, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		return lang.MakeBool(IsProcedure(args[0])), nil
	}, Doc: "Is obj a procedure?"},
	{Name: "procedure-name", MinArgs: 1, MaxArgs: 1, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		if !IsProcedure(args[0]) {
			return nil, WrongType("procedure-name", 1, "procedure", args[0])
		}
		if n := ProcedureName(args[0]); n != "" {
			return lang.Intern(n), nil
		}
		return lang.False, nil
	}, Doc: "The name of a procedure as a symbol, or #f."},
	{Name: "procedure-documentation", MinArgs: 1, MaxArgs: 1, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		if d := Documentation(args[0]); d != "" {
			return lang.NewString(d), nil
		}
		return lang.False, nil
	}, Doc: "The documentation string of a procedure, or #f."},
	{Name: "eval", MinArgs: 1, MaxArgs: 2, Fn: builtinEval,
		Doc: "(eval expr [environment]): evaluate expr in a module (the current one by default)."},
	{Name: "environment", MinArgs: 0, MaxArgs: -1, Fn: builtinEnvironment,
		Doc: "(environment import-set ...): a new environment importing the sets, for eval."},
	{Name: "interaction-environment", MinArgs: 0, MaxArgs: 0, Fn: func(th *Thread, _ []lang.Value) (lang.Value, error) {
		return th.modules["guile-user"], nil
	}, Doc: "The environment of the REPL and of programs: module (guile-user)."},
	{Name: "current-module", MinArgs: 0, MaxArgs: 0, Fn: func(th *Thread, _ []lang.Value) (lang.Value, error) {
		return th.current, nil
	}, Doc: "The module top-level forms are evaluated in."},
	{Name: "set-current-module", MinArgs: 1, MaxArgs: 1, Fn: func(th *Thread, args []lang.Value) (lang.Value, error) {
		m, ok := args[0].(*Module)
		if !ok {
			return nil, WrongType("set-current-module", 1, "module", args[0])
		}
		old := th.current
		th.current = m
		return old, nil
	}, Doc: "Make module the current module; returns the previous one."},
	{Name: "resolve-module", MinArgs: 1, MaxArgs: 1, Fn: func(th *Thread, args []lang.Value) (lang.Value, error) {
		names, err := listToSlice("resolve-module", 1, args[0])
		if err != nil {
			return nil, err
		}
		name := make([]string, len(names))
		for i, n := range names {
			s, ok := n.(*lang.Symbol)
			if !ok {
				return nil, WrongType("resolve-module", 1, "list of symbols", args[0])
			}
			name[i] = s.Name
		}
		return th.FindModule(name)
	}, Doc: "The module named by a list of symbols, loading it if needed."},
	{Name: "module-ref", MinArgs: 2, MaxArgs: 3, Fn: func(th *Thread, args []lang.Value) (lang.Value, error) {
		m, ok := args[0].(*Module)
		if !ok {
			return nil, WrongType("module-ref", 1, "module", args[0])
		}
		s, err := argSymbol("module-ref", args, 1)
		if err != nil {
			return nil, err
		}
		if c := m.resolve(s); c != nil && c.Value != nil {
			return c.Value, nil
		}
		if len(args) == 3 {
			return args[2], nil
		}
		return nil, NewError(KindUnbound, "module-ref: unbound variable `"+s.Name+"' in module "+m.NameString(), s)
	}, Doc: "(module-ref module name [default]): the value of name in module."},
	{Name: "load", MinArgs: 1, MaxArgs: 1, Fn: builtinLoad,
		Doc: "Evaluate the forms of a Scheme file in the current module."},
	{Name: "gensym", MinArgs: 0, MaxArgs: 1, Fn: func(th *Thread, args []lang.Value) (lang.Value, error) {
		prefix := " g"
		if len(args) == 1 {
			switch p := args[0].(type) {
			case *lang.String:
				prefix = p.String()
			case *lang.Symbol:
				prefix = p.Name
			default:
				return nil, WrongType("gensym", 1, "string", args[0])
			}
		}
		return th.Gensym(prefix), nil
	}, Doc: "A fresh uninterned symbol."},
	{Name: "%unspecified", MinArgs: 0, MaxArgs: 0, Fn: func(*Thread, []lang.Value) (lang.Value, error) {
		return lang.Unspec, nil
	}},
	{Name: "%values-vector", MinArgs: 0, MaxArgs: -1, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		return &lang.Vector{Items: append([]lang.Value(nil), args...)}, nil
	}},
	{Name: "%check-values", MinArgs: 3, MaxArgs: 3, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		n := len(args[0].(*lang.Vector).Items)
		want := int(args[1].(lang.Fixnum))
		rest := args[2] == lang.Value(lang.True)
		if n < want || (!rest && n > want) {
			return nil, NewError(KindArity, "define-values: expected "+itoa(int64(want))+" values, got "+itoa(int64(n)))
		}
		return lang.Unspec, nil
	}},
	{Name: "%values-ref", MinArgs: 2, MaxArgs: 2, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		return args[0].(*lang.Vector).Items[args[1].(lang.Fixnum)], nil
	}},
	{Name: "%values-tail", MinArgs: 2, MaxArgs: 2, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		return lang.List(args[0].(*lang.Vector).Items[args[1].(lang.Fixnum):]...), nil
	}},
}
