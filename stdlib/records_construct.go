package stdlib

import (
	"errors"
	"strings"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// The syntactic constructor of a define-record-type* type and the
// procedures its expansion and the definition call.

// expandConstructor expands (thing [(inherit parent)] (field value) ...)
// into ((quote build) (quote site) parent-or-absent value-or-absent ...),
// one argument per field in definition order. Unknown, repeated and
// missing fields are reported here, at expansion time.
func (st *starType) expandConstructor(th *eval.Thread, form *lang.Pair, env *eval.MacroEnv) (lang.Value, error) {
	pos := form.Pos
	clauses, ok := listArgs(form.Cdr)
	if !ok {
		return nil, syntaxErrorAt(pos, "%s: bad syntax: want (%s (field value) ...)", st.name, st.name)
	}
	given := make([]lang.Value, len(st.fields))
	var parent lang.Value = quoted(absent, pos)
	inheritPos := pos
	hasParent := false
	for _, c := range clauses {
		cpos := posOf(c, pos)
		items, ok := listArgs(c)
		var head *lang.Symbol
		if ok && len(items) > 0 {
			head, _ = identSymbol(items[0])
		}
		if head == nil || len(items) != 2 {
			return nil, syntaxErrorAt(cpos, "%s: bad field clause %s: want (field value) or (inherit record)", st.name, lang.WriteString(c))
		}
		if head == symInherit {
			if hasParent {
				return nil, syntaxErrorAt(cpos, "%s: inherit given twice", st.name)
			}
			hasParent, parent, inheritPos = true, items[1], cpos
			continue
		}
		i, known := st.index[head]
		if !known {
			return nil, syntaxErrorAt(cpos, "%s: unknown field `%s'%s", st.name, head.Name, didYouMean(head.Name, st.fieldNames()))
		}
		if given[i] != nil {
			return nil, syntaxErrorAt(cpos, "%s: field `%s' given twice", st.name, head.Name)
		}
		given[i] = st.wrapGiven(i, items[1], cpos)
	}
	var missing []string
	for i, f := range st.fields {
		if given[i] == nil && !f.hasDefault && (!hasParent || f.innate) {
			missing = append(missing, "`"+f.name.Name+"'")
		}
	}
	switch len(missing) {
	case 0:
	case 1:
		return nil, syntaxErrorAt(pos, "%s: missing field %s", st.name, missing[0])
	default:
		return nil, syntaxErrorAt(pos, "%s: missing fields %s", st.name, strings.Join(missing, ", "))
	}
	call := []lang.Value{quoted(st.buildProc, pos), quoted(&fieldSite{st: st, i: -1, pos: inheritPos}, pos), parent}
	for _, g := range given {
		if g == nil {
			g = quoted(absent, pos)
		}
		call = append(call, g)
	}
	return listAt(pos, call...), nil
}

// wrapGiven is the code for a value given to field i in a constructor:
// the sanitized value for a plain field, a promise for a delayed one, a
// procedure of this-record for a thunked one.
func (st *starType) wrapGiven(i int, expr lang.Value, pos lang.Pos) lang.Value {
	f := &st.fields[i]
	if f.sanitized {
		expr = listAt(pos, quoted(st.sanitizeProc, pos), quoted(&fieldSite{st: st, i: i, pos: pos}, pos), expr)
	}
	switch {
	case f.thunked:
		return st.thunk(expr, pos)
	case f.delayed:
		return listAt(pos, listAt(pos, symAt, listAt(pos, symGuileModule), symDelay), expr)
	}
	return expr
}

// recordStarBuild makes a record from a syntactic constructor's
// arguments: (site parent value-or-absent ...).
func recordStarBuild(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	site := args[0].(*fieldSite)
	st := site.st
	if !st.ready {
		return nil, &eval.Exception{Payload: eval.Errorf("%s: record type used before its definition was evaluated", st.name), Pos: site.pos}
	}
	var parent *eval.Record
	if args[1] != lang.Value(absent) {
		p, ok := args[1].(*eval.Record)
		if !ok || p.Type != st.rt {
			return nil, &eval.Exception{Payload: eval.NewError(eval.KindWrongType, st.name+": inherit: want a "+st.name+" record, got "+lang.TypeName(args[1]), args[1]), Pos: site.pos}
		}
		parent = p
	}
	vals := args[2:]
	r := &eval.Record{Type: st.rt, Fields: make([]lang.Value, len(st.fields))}
	for i := range st.fields {
		f := &st.fields[i]
		v := vals[i]
		switch {
		case v != lang.Value(absent):
			if f.thunked {
				v = &fieldThunk{proc: v}
			}
		case parent != nil && !f.innate:
			v = parent.Fields[i]
		default:
			d := st.defaults[i]
			if d == nil {
				panic("stdlib: record constructor of " + st.name + " lacks field " + f.name.Name + " after expansion checked it")
			}
			if f.thunked {
				v = &fieldThunk{proc: d}
				break
			}
			var err error
			if v, err = th.Call(d); err != nil {
				return nil, err
			}
		}
		r.Fields[i] = v
	}
	return r, nil
}

// recordStarInit completes a type when its definition is evaluated:
// (init type default sanitizer-thunk ...), two values per field.
var recordStarInit = &eval.Builtin{Name: "define-record-type*", MinArgs: 1, MaxArgs: -1, Fn: func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	st := args[0].(*starType)
	n := len(st.fields)
	st.defaults = make([]lang.Value, n)
	st.sanitizers = make([]lang.Value, n)
	for i := 0; i < n; i++ {
		if d := args[1+2*i]; d != lang.Value(lang.False) {
			st.defaults[i] = d
		}
		if s := args[2+2*i]; s != lang.Value(lang.False) {
			st.sanitizers[i] = s
		}
	}
	st.ready = true
	registerStarType(th, st)
	return st.rt, nil
}}

// recordStarSanitize applies field site.i's sanitizer to a value:
// (sanitize site value). A refusal is reported at the field's position,
// naming the type and the field.
func recordStarSanitize(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	site := args[0].(*fieldSite)
	return site.sanitize(th, args[1])
}

func (site *fieldSite) sanitize(th *eval.Thread, v lang.Value) (lang.Value, error) {
	st := site.st
	thunk := st.sanitizers[site.i]
	if thunk == nil {
		return v, nil
	}
	proc, err := th.Call(thunk)
	if err != nil {
		return nil, err
	}
	out, err := th.Call(proc, v)
	if err != nil {
		return nil, site.wrap(err)
	}
	return out, nil
}

// wrap turns an error raised while computing the field's value into one
// at the field's position whose message names the type and the field;
// the kind and irritants are kept. Objects raised that are not error
// objects pass through untouched, so a guard waiting for them still
// sees them.
func (site *fieldSite) wrap(err error) error {
	var ex *eval.Exception
	if !errors.As(err, &ex) {
		return err
	}
	eo, ok := ex.Payload.(*eval.ErrorObject)
	if !ok || eo.Kind == eval.KindInterrupt || eo.Kind == eval.KindLimit {
		return err
	}
	prefix := site.st.name + ": field `" + site.st.fields[site.i].name.Name + "': "
	return &eval.Exception{Payload: &eval.ErrorObject{Kind: eo.Kind, Message: prefix + eo.Message, Irritants: eo.Irritants, Cause: eo.Cause}, Pos: site.pos}
}

// positionalConstructor is Guix's make-thing: every field's raw value in
// order (a procedure of the record for a thunked field, a promise for a
// delayed one).
func (st *starType) positionalConstructor(name string) *eval.Builtin {
	n := len(st.fields)
	return &eval.Builtin{Name: name, MinArgs: n, MaxArgs: n, Doc: "Make a " + st.name + " record from every field's raw value.",
		Fn: func(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
			r := &eval.Record{Type: st.rt, Fields: make([]lang.Value, n)}
			for i, v := range args {
				if st.fields[i].thunked {
					if _, ok := v.(*fieldThunk); !ok {
						v = &fieldThunk{proc: v}
					}
				}
				r.Fields[i] = v
			}
			return r, nil
		}}
}

func (st *starType) predicate(name string) *eval.Builtin {
	return &eval.Builtin{Name: name, MinArgs: 1, MaxArgs: 1, Doc: "Is obj a " + st.name + " record?",
		Fn: func(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
			r, ok := args[0].(*eval.Record)
			return lang.MakeBool(ok && r.Type == st.rt), nil
		}}
}

// accessor returns field i's accessor: it runs a thunked field's
// procedure with this-record bound to the record, and forces a delayed
// field's promise.
func (st *starType) accessor(i int) *eval.Builtin {
	name := st.fields[i].accessor.Name
	return &eval.Builtin{Name: name, MinArgs: 1, MaxArgs: 1, Doc: "The " + st.fields[i].name.Name + " field of a " + st.name + " record.",
		Fn: func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
			r, ok := args[0].(*eval.Record)
			if !ok || r.Type != st.rt {
				return nil, eval.WrongType(name, 1, st.name, args[0])
			}
			return st.fieldValue(th, r, i)
		}}
}

// fieldValue is the value of field i of r as its accessor returns it.
func (st *starType) fieldValue(th *eval.Thread, r *eval.Record, i int) (lang.Value, error) {
	v := r.Fields[i]
	switch x := v.(type) {
	case *fieldThunk:
		return th.Call(x.proc, r)
	case *eval.Promise:
		if st.fields[i].delayed {
			return th.Call(forceProcedure(th), x)
		}
	}
	return v, nil
}

type forceKey struct{}

// forceProcedure returns (guile)'s force, which the accessors of delayed
// fields call.
func forceProcedure(th *eval.Thread) lang.Value {
	if f := th.Local(forceKey{}); f != nil {
		return f
	}
	m, err := th.FindModule([]string{"guile"})
	if err != nil {
		panic("stdlib: (guile) missing: " + err.Error())
	}
	f, ok := m.Lookup("force")
	if !ok {
		panic("stdlib: (guile) has no force")
	}
	th.SetLocal(forceKey{}, f)
	return f
}
