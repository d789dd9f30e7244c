package stdlib

import (
	"fmt"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// match-record binds fields of a record by name; record-update copies a
// record with some fields replaced. Both find the record's type at run
// time, so they work on records of any module; match-record also checks
// its field names at expansion time when the type is already defined.

// fieldRef names a field at one place in the user's code.
type fieldRef struct {
	name *lang.Symbol
	pos  lang.Pos
}

// useSite is one use of match-record or record-update: its name and
// position, and the fields it names.
type useSite struct {
	form   string
	pos    lang.Pos
	fields []fieldRef
}

func (*useSite) TypeName() string { return "use-site" }

func (u *useSite) errorAt(pos lang.Pos, kind, format string, a ...any) error {
	if !pos.Known() {
		pos = u.pos
	}
	return &eval.Exception{Payload: eval.NewError(kind, u.form+": "+fmt.Sprintf(format, a...)), Pos: pos}
}

// fieldIndexes resolves the fields named at the site in record type rt,
// reporting an unknown one at its clause.
func (u *useSite) fieldIndexes(th *eval.Thread, rt *eval.RecordType) ([]int, error) {
	out := make([]int, len(u.fields))
	for k, f := range u.fields {
		i := rt.FieldIndex(f.name)
		if i < 0 {
			var names []string
			for _, n := range rt.Fields {
				names = append(names, n.Name)
			}
			return nil, u.errorAt(f.pos, eval.KindSyntax, "%s: unknown field `%s'%s", rt.ShortName(), f.name.Name, didYouMean(f.name.Name, names))
		}
		out[k] = i
	}
	return out, nil
}

// expandMatchRecord expands (match-record obj type (field-or-(field var)
// ...) body ...) into a check of obj's type and a let binding each
// variable to the field's value, as its accessor returns it.
func expandMatchRecord(th *eval.Thread, form *lang.Pair, env *eval.MacroEnv) (lang.Value, error) {
	pos := form.Pos
	const shape = "(match-record record type (field-or-(field variable) ...) body ...)"
	args, ok := listArgs(form.Cdr)
	if !ok || len(args) < 4 {
		return nil, syntaxErrorAt(pos, "match-record: bad syntax: want %s", shape)
	}
	specs, ok := listArgs(args[2])
	if !ok {
		return nil, syntaxErrorAt(pos, "match-record: bad field list %s: want %s", lang.WriteString(args[2]), shape)
	}
	site := &useSite{form: "match-record", pos: pos}
	var vars []lang.Value
	for _, s := range specs {
		spos := posOf(s, pos)
		if name, ok := identSymbol(s); ok {
			site.fields = append(site.fields, fieldRef{name: name, pos: pos})
			vars = append(vars, s)
			continue
		}
		if parts, ok := listArgs(s); ok && len(parts) == 2 {
			f, ok1 := identSymbol(parts[0])
			_, ok2 := identSymbol(parts[1])
			if ok1 && ok2 {
				site.fields = append(site.fields, fieldRef{name: f, pos: spos})
				vars = append(vars, parts[1])
				continue
			}
		}
		return nil, syntaxErrorAt(spos, "match-record: bad field %s: want field or (field variable)", lang.WriteString(s))
	}
	// When the type is already defined, unknown fields are caught now.
	if sym, ok := identSymbol(args[1]); ok {
		if v, ok := env.Module().Lookup(sym.Name); ok {
			if rt, ok := v.(*eval.RecordType); ok {
				if _, err := site.fieldIndexes(th, rt); err != nil {
					return nil, err
				}
			}
		}
	}
	tmp := th.Gensym("record-")
	binds := make([]lang.Value, len(vars))
	for k, v := range vars {
		binds[k] = listAt(pos, v, listAt(pos, quoted(recordStarRef, pos), tmp, quoted(site, pos), lang.MakeInt(int64(k))))
	}
	inner := append([]lang.Value{lang.Intern("let"), listAt(pos, binds...)}, args[3:]...)
	check := listAt(pos, quoted(recordStarCheck, pos), args[0], args[1], quoted(site, pos))
	return listAt(pos, lang.Intern("let"), listAt(pos, listAt(pos, tmp, check)), listAt(pos, inner...)), nil
}

// recordStarCheck is match-record's (check obj type site): obj when it is
// a record of type with every field the site names.
var recordStarCheck = &eval.Builtin{Name: "match-record", MinArgs: 3, MaxArgs: 3, Fn: func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	site := args[2].(*useSite)
	rt, ok := args[1].(*eval.RecordType)
	if !ok {
		return nil, site.errorAt(site.pos, eval.KindWrongType, "want a record type, got %s", lang.WriteString(args[1]))
	}
	r, ok := args[0].(*eval.Record)
	if !ok || r.Type != rt {
		return nil, site.errorAt(site.pos, eval.KindWrongType, "want a %s record, got %s", rt.ShortName(), lang.WriteString(args[0]))
	}
	if _, err := site.fieldIndexes(th, rt); err != nil {
		return nil, err
	}
	return r, nil
}}

// recordStarRef is (ref record site k): the value of the k-th field named
// at site, as the field's accessor returns it.
var recordStarRef = &eval.Builtin{Name: "match-record", MinArgs: 3, MaxArgs: 3, Fn: func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	r := args[0].(*eval.Record)
	site := args[1].(*useSite)
	k := int(args[2].(lang.Fixnum))
	i := r.Type.FieldIndex(site.fields[k].name)
	if st := starTypeOf(th, r.Type); st != nil {
		return st.fieldValue(th, r, i)
	}
	return r.Fields[i], nil
}}

// expandRecordUpdate expands (record-update record (field value) ...),
// a copy of record with the fields given replaced.
func expandRecordUpdate(th *eval.Thread, form *lang.Pair, env *eval.MacroEnv) (lang.Value, error) {
	pos := form.Pos
	const shape = "(record-update record (field value) ...)"
	args, ok := listArgs(form.Cdr)
	if !ok || len(args) < 1 {
		return nil, syntaxErrorAt(pos, "record-update: bad syntax: want %s", shape)
	}
	site := &useSite{form: "record-update", pos: pos}
	call := []lang.Value{quoted(recordStarUpdate, pos), quoted(site, pos), args[0]}
	seen := map[*lang.Symbol]bool{}
	for _, c := range args[1:] {
		cpos := posOf(c, pos)
		parts, ok := listArgs(c)
		var name *lang.Symbol
		if ok && len(parts) == 2 {
			name, _ = identSymbol(parts[0])
		}
		if name == nil {
			return nil, syntaxErrorAt(cpos, "record-update: bad field clause %s: want (field value)", lang.WriteString(c))
		}
		if seen[name] {
			return nil, syntaxErrorAt(cpos, "record-update: field `%s' given twice", name.Name)
		}
		seen[name] = true
		site.fields = append(site.fields, fieldRef{name: name, pos: cpos})
		call = append(call, parts[1])
	}
	return listAt(pos, call...), nil
}

// recordStarUpdate is (update site record value ...). Values are
// sanitized like a constructor's; a thunked field gets the value itself,
// a delayed field a promise already holding it.
var recordStarUpdate = &eval.Builtin{Name: "record-update", MinArgs: 2, MaxArgs: -1, Fn: func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	site := args[0].(*useSite)
	r, ok := args[1].(*eval.Record)
	if !ok {
		return nil, site.errorAt(site.pos, eval.KindWrongType, "want a record, got %s", lang.WriteString(args[1]))
	}
	idx, err := site.fieldIndexes(th, r.Type)
	if err != nil {
		return nil, err
	}
	st := starTypeOf(th, r.Type)
	out := &eval.Record{Type: r.Type, Fields: append([]lang.Value(nil), r.Fields...)}
	for k, v := range args[2:] {
		i := idx[k]
		if st != nil {
			fs := &fieldSite{st: st, i: i, pos: site.fields[k].pos}
			if v, err = fs.sanitize(th, v); err != nil {
				return nil, err
			}
			if st.fields[i].delayed {
				v = eval.MakePromise(v)
			}
		}
		out.Fields[i] = v
	}
	return out, nil
}}

var recordStarBuiltins = []*eval.Builtin{
	{Name: "record-field-names", MinArgs: 1, MaxArgs: 1, Doc: "(record-field-names record): the names of record's fields, a list of symbols.",
		Fn: func(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
			r, ok := args[0].(*eval.Record)
			if !ok {
				return nil, eval.WrongType("record-field-names", 1, "record", args[0])
			}
			out := make([]lang.Value, len(r.Type.Fields))
			for i, f := range r.Type.Fields {
				out[i] = f
			}
			return lang.List(out...), nil
		}},
}
