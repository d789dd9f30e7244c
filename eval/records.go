package eval

import (
	"fruix.dev/fruix/lang"
)

// Record types: define-record-type expands into calls of the %record
// procedures below, which make builtins named after the user's
// constructor, predicate, accessors and modifiers, so that their errors
// read "point-x: argument 1: want point, got integer".

func argRecordType(name string, args []lang.Value, i int) (*RecordType, error) {
	t, ok := args[i].(*RecordType)
	if !ok {
		return nil, WrongType(name, i+1, "record type", args[i])
	}
	return t, nil
}

func symbolList(name string, arg int, l lang.Value) ([]*lang.Symbol, error) {
	items, err := listToSlice(name, arg, l)
	if err != nil {
		return nil, err
	}
	out := make([]*lang.Symbol, len(items))
	for i, it := range items {
		s, ok := it.(*lang.Symbol)
		if !ok {
			return nil, WrongType(name, arg, "list of symbols", l)
		}
		out[i] = s
	}
	return out, nil
}

func makeRecordType(_ *Thread, args []lang.Value) (lang.Value, error) {
	var name string
	switch n := args[0].(type) {
	case *lang.Symbol:
		name = n.Name
	case *lang.String:
		name = n.String()
	default:
		return nil, WrongType("make-record-type", 1, "symbol", args[0])
	}
	fields, err := symbolList("make-record-type", 2, args[1])
	if err != nil {
		return nil, err
	}
	return &RecordType{Name: name, Fields: fields}, nil
}

func recordConstructor(_ *Thread, args []lang.Value) (lang.Value, error) {
	t, err := argRecordType("record-constructor", args, 0)
	if err != nil {
		return nil, err
	}
	name := "make-" + t.ShortName()
	if len(args) > 1 {
		if s, ok := args[1].(*lang.Symbol); ok {
			name = s.Name
		}
	}
	fields := t.Fields
	if len(args) > 2 {
		if fields, err = symbolList("record-constructor", 3, args[2]); err != nil {
			return nil, err
		}
	}
	index := make([]int, len(fields))
	for i, f := range fields {
		if index[i] = t.FieldIndex(f); index[i] < 0 {
			return nil, NewError(KindError, "record-constructor: "+f.Name+" is not a field of "+t.Name)
		}
	}
	return &Builtin{Name: name, MinArgs: len(fields), MaxArgs: len(fields),
		Doc: "Make a " + t.ShortName() + " record.",
		Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
			r := &Record{Type: t, Fields: make([]lang.Value, len(t.Fields))}
			for i := range r.Fields {
				r.Fields[i] = lang.False
			}
			for i, v := range args {
				r.Fields[index[i]] = v
			}
			return r, nil
		}}, nil
}

func recordPredicate(_ *Thread, args []lang.Value) (lang.Value, error) {
	t, err := argRecordType("record-predicate", args, 0)
	if err != nil {
		return nil, err
	}
	name := t.ShortName() + "?"
	if len(args) > 1 {
		if s, ok := args[1].(*lang.Symbol); ok {
			name = s.Name
		}
	}
	return &Builtin{Name: name, MinArgs: 1, MaxArgs: 1, Doc: "Is obj a " + t.ShortName() + " record?",
		Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
			r, ok := args[0].(*Record)
			return lang.MakeBool(ok && r.Type == t), nil
		}}, nil
}

func recordField(proc string, args []lang.Value) (*RecordType, int, string, error) {
	t, err := argRecordType(proc, args, 0)
	if err != nil {
		return nil, 0, "", err
	}
	f, err := argSymbol(proc, args, 1)
	if err != nil {
		return nil, 0, "", err
	}
	i := t.FieldIndex(f)
	if i < 0 {
		return nil, 0, "", NewError(KindError, proc+": "+f.Name+" is not a field of "+t.Name)
	}
	name := ""
	if len(args) > 2 {
		if s, ok := args[2].(*lang.Symbol); ok {
			name = s.Name
		}
	}
	return t, i, name, nil
}

func recordAccessor(_ *Thread, args []lang.Value) (lang.Value, error) {
	t, i, name, err := recordField("record-accessor", args)
	if err != nil {
		return nil, err
	}
	if name == "" {
		name = t.ShortName() + "-" + t.Fields[i].Name
	}
	return &Builtin{Name: name, MinArgs: 1, MaxArgs: 1, Doc: "The " + t.Fields[i].Name + " field of a " + t.ShortName() + " record.",
		Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
			if r, ok := args[0].(*Record); ok && r.Type == t {
				return r.Fields[i], nil
			}
			return nil, WrongType(name, 1, t.ShortName(), args[0])
		}}, nil
}

func recordModifier(_ *Thread, args []lang.Value) (lang.Value, error) {
	t, i, name, err := recordField("record-modifier", args)
	if err != nil {
		return nil, err
	}
	if name == "" {
		name = "set-" + t.ShortName() + "-" + t.Fields[i].Name + "!"
	}
	return &Builtin{Name: name, MinArgs: 2, MaxArgs: 2, Doc: "Set the " + t.Fields[i].Name + " field of a " + t.ShortName() + " record.",
		Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
			if r, ok := args[0].(*Record); ok && r.Type == t {
				r.Fields[i] = args[1]
				return lang.Unspec, nil
			}
			return nil, WrongType(name, 1, t.ShortName(), args[0])
		}}, nil
}

var recordBuiltins = []*Builtin{
	{Name: "%make-record-type", MinArgs: 2, MaxArgs: 2, Fn: makeRecordType},
	{Name: "%record-constructor", MinArgs: 1, MaxArgs: 3, Fn: recordConstructor},
	{Name: "%record-predicate", MinArgs: 1, MaxArgs: 2, Fn: recordPredicate},
	{Name: "%record-accessor", MinArgs: 2, MaxArgs: 3, Fn: recordAccessor},
	{Name: "%record-modifier", MinArgs: 2, MaxArgs: 3, Fn: recordModifier},
	{Name: "make-record-type", MinArgs: 2, MaxArgs: 2, Fn: makeRecordType,
		Doc: "(make-record-type name fields): a new record type."},
	{Name: "record-constructor", MinArgs: 1, MaxArgs: 2, Fn: func(th *Thread, args []lang.Value) (lang.Value, error) {
		if len(args) == 2 {
			return recordConstructor(th, []lang.Value{args[0], lang.False, args[1]})
		}
		return recordConstructor(th, args)
	}, Doc: "(record-constructor type [fields]): a procedure making records of type."},
	{Name: "record-predicate", MinArgs: 1, MaxArgs: 1, Fn: recordPredicate,
		Doc: "(record-predicate type): a procedure testing for records of type."},
	{Name: "record-accessor", MinArgs: 2, MaxArgs: 2, Fn: recordAccessor,
		Doc: "(record-accessor type field): a procedure reading field."},
	{Name: "record-modifier", MinArgs: 2, MaxArgs: 2, Fn: recordModifier,
		Doc: "(record-modifier type field): a procedure setting field."},
	{Name: "record?", MinArgs: 1, MaxArgs: 1, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		_, ok := args[0].(*Record)
		return lang.MakeBool(ok), nil
	}, Doc: "Is obj a record?"},
	{Name: "record-type-descriptor", MinArgs: 1, MaxArgs: 1, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		r, ok := args[0].(*Record)
		if !ok {
			return nil, WrongType("record-type-descriptor", 1, "record", args[0])
		}
		return r.Type, nil
	}, Doc: "The record type of a record."},
	{Name: "record-type-name", MinArgs: 1, MaxArgs: 1, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		t, err := argRecordType("record-type-name", args, 0)
		if err != nil {
			return nil, err
		}
		return lang.Intern(t.Name), nil
	}, Doc: "The name of a record type, a symbol."},
	{Name: "record-type-fields", MinArgs: 1, MaxArgs: 1, Fn: func(_ *Thread, args []lang.Value) (lang.Value, error) {
		t, err := argRecordType("record-type-fields", args, 0)
		if err != nil {
			return nil, err
		}
		out := make([]lang.Value, len(t.Fields))
		for i, f := range t.Fields {
			out[i] = f
		}
		return lang.List(out...), nil
	}, Doc: "The field names of a record type, a list of symbols."},
}
