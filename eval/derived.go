package eval

import (
	"os"
	"path/filepath"

	"fruix.dev/fruix/lang"
)

// Derived forms, rewritten into core forms whose keywords are aliases of
// the core module's bindings (so user bindings cannot capture them) and
// whose temporaries are fresh uninterned symbols.

// formalsIds lists the identifiers of a formals list and whether it has
// a rest identifier. Formals read from #0=(a . #0#) notation can be
// circular, which is an error.
func (c *compiler) formalsIds(form *lang.Pair, formals lang.Value) ([]lang.Value, lang.Value, error) {
	ids, tail, circular := lang.ListItems(formals)
	if circular {
		return nil, nil, c.syntaxError(form, "%s: bad formals: expected a proper or dotted list of identifiers, not a circular one", formName(form))
	}
	for _, id := range ids {
		if !isIdent(id) {
			return nil, nil, c.badFormals(form, formals)
		}
	}
	switch tail.(type) {
	case *lang.Null:
		return ids, nil, nil
	case *lang.Symbol, *alias:
		return ids, tail, nil
	}
	return nil, nil, c.badFormals(form, formals)
}

func (c *compiler) badFormals(form *lang.Pair, formals lang.Value) error {
	return c.syntaxError(form, "bad formals %s: expected identifiers", writeString(stripSyntax(formals)))
}

func expandReceive(c *compiler, form *lang.Pair, s *scope) (lang.Value, error) {
	a, err := c.args(form, 3, -1, "(receive formals expression body...)")
	if err != nil {
		return nil, err
	}
	body := &lang.Pair{Car: c.coreIdent("lambda"), Cdr: &lang.Pair{Car: a[0], Cdr: lang.List(a[2:]...)}}
	return c.form("call-with-values", c.form("lambda", lang.Nil, a[1]), body), nil
}

// expandLetValues rewrites let-values into nested call-with-values whose
// consumers bind fresh temporaries, then one let binding the user's
// names, so no init sees another clause's variables.
func expandLetValues(c *compiler, form *lang.Pair, s *scope) (lang.Value, error) {
	a, err := c.args(form, 2, -1, "(let-values (((formals) expression) ...) body...)")
	if err != nil {
		return nil, err
	}
	clauses, err := c.listItems(form, a[0], "let-values")
	if err != nil {
		return nil, err
	}
	star := formName(form) == "let*-values"
	body := a[1:]
	if star {
		if len(clauses) == 0 {
			return &lang.Pair{Car: c.coreIdent("let"), Cdr: &lang.Pair{Car: lang.Nil, Cdr: lang.List(body...)}}, nil
		}
		first, err := c.listItems(form, clauses[0], "let*-values clause")
		if err != nil || len(first) != 2 {
			return nil, c.syntaxError(form, "let*-values: bad clause: expected (formals expression)")
		}
		inner := &lang.Pair{Car: c.coreIdent("let*-values"), Cdr: &lang.Pair{Car: lang.List(clauses[1:]...), Cdr: lang.List(body...)}}
		return c.form("call-with-values", c.form("lambda", lang.Nil, first[1]), c.form("lambda", first[0], inner)), nil
	}
	var binds []lang.Value
	type clause struct {
		formals lang.Value
		expr    lang.Value
	}
	var cls []clause
	for _, cl := range clauses {
		parts, err := c.listItems(form, cl, "let-values clause")
		if err != nil || len(parts) != 2 {
			return nil, c.syntaxError(form, "let-values: bad clause: expected (formals expression)")
		}
		ids, rest, err := c.formalsIds(form, parts[0])
		if err != nil {
			return nil, err
		}
		var temps lang.Value = lang.Nil
		if rest != nil {
			t := c.th.Gensym("rest")
			binds = append(binds, lang.List(rest, t))
			temps = t
		}
		for i := len(ids) - 1; i >= 0; i-- {
			t := c.th.Gensym("v")
			binds = append(binds, lang.List(ids[i], t))
			temps = &lang.Pair{Car: t, Cdr: temps}
		}
		cls = append(cls, clause{temps, parts[1]})
	}
	var out lang.Value = &lang.Pair{Car: c.coreIdent("let"), Cdr: &lang.Pair{Car: lang.List(binds...), Cdr: lang.List(body...)}}
	for i := len(cls) - 1; i >= 0; i-- {
		out = c.form("call-with-values", c.form("lambda", lang.Nil, cls[i].expr), c.form("lambda", cls[i].formals, out))
	}
	return out, nil
}

func expandDefineValues(c *compiler, form *lang.Pair, s *scope) (lang.Value, error) {
	a, err := c.args(form, 2, 2, "(define-values formals expression)")
	if err != nil {
		return nil, err
	}
	ids, rest, err := c.formalsIds(form, a[0])
	if err != nil {
		return nil, err
	}
	t := c.th.Gensym("values")
	out := []lang.Value{c.coreIdent("begin"),
		c.form("define", t, c.form("call-with-values", c.form("lambda", lang.Nil, a[1]), c.coreIdent("%values-vector")))}
	out = append(out, c.form("%check-values", t, lang.MakeInt(int64(len(ids))), lang.MakeBool(rest != nil)))
	for i, id := range ids {
		out = append(out, c.form("define", id, c.form("%values-ref", t, lang.MakeInt(int64(i)))))
	}
	if rest != nil {
		out = append(out, c.form("define", rest, c.form("%values-tail", t, lang.MakeInt(int64(len(ids))))))
	}
	return lang.List(out...), nil
}

func expandLetEc(c *compiler, form *lang.Pair, s *scope) (lang.Value, error) {
	a, err := c.args(form, 2, -1, "(let/ec k body...)")
	if err != nil {
		return nil, err
	}
	lam := &lang.Pair{Car: c.coreIdent("lambda"), Cdr: &lang.Pair{Car: lang.List(a[0]), Cdr: lang.List(a[1:]...)}}
	return c.form("call-with-escape-continuation", lam), nil
}

func expandEvalWhen(c *compiler, form *lang.Pair, s *scope) (lang.Value, error) {
	a, err := c.args(form, 1, -1, "(eval-when (situation...) body...)")
	if err != nil {
		return nil, err
	}
	return &lang.Pair{Car: c.coreIdent("begin"), Cdr: lang.List(a[1:]...)}, nil
}

func expandDefineRecordType(c *compiler, form *lang.Pair, s *scope) (lang.Value, error) {
	a, err := c.args(form, 3, -1, "(define-record-type <name> (constructor field...) predicate (field accessor [modifier])...)")
	if err != nil {
		return nil, err
	}
	typeName := a[0]
	if p, ok := typeName.(*lang.Pair); ok {
		typeName = p.Car
	}
	if !isIdent(typeName) {
		return nil, c.syntaxError(form, "define-record-type: expected a type name, got %s", writeString(stripSyntax(a[0])))
	}
	var fields []lang.Value
	var specs [][]lang.Value
	for _, f := range a[3:] {
		if isIdent(f) {
			fields = append(fields, baseSymbol(f))
			continue
		}
		parts, err := c.listItems(form, f, "define-record-type field")
		if err != nil || len(parts) == 0 || len(parts) > 3 || !isIdent(parts[0]) {
			return nil, c.syntaxError(form, "define-record-type: bad field spec %s: expected (field accessor [modifier])", writeString(stripSyntax(f)))
		}
		fields = append(fields, baseSymbol(parts[0]))
		specs = append(specs, parts)
	}
	quote := func(v lang.Value) lang.Value { return c.form("quote", v) }
	out := []lang.Value{c.coreIdent("begin"),
		c.form("define", typeName, c.form("%make-record-type", quote(baseSymbol(typeName)), quote(lang.List(fields...))))}
	switch ctor := a[1].(type) {
	case *lang.Pair:
		ids, rest, err := c.formalsIds(form, ctor.Cdr)
		if err != nil || rest != nil || !isIdent(ctor.Car) {
			return nil, c.syntaxError(form, "define-record-type: bad constructor spec %s", writeString(stripSyntax(ctor)))
		}
		names := make([]lang.Value, len(ids))
		for i, id := range ids {
			names[i] = baseSymbol(id)
		}
		out = append(out, c.form("define", ctor.Car, c.form("%record-constructor", typeName, quote(baseSymbol(ctor.Car)), quote(lang.List(names...)))))
	case *lang.Symbol, *alias:
		out = append(out, c.form("define", ctor, c.form("%record-constructor", typeName, quote(baseSymbol(ctor)), quote(lang.List(fields...)))))
	default:
		if ctor != lang.Value(lang.False) {
			return nil, c.syntaxError(form, "define-record-type: bad constructor spec %s", writeString(stripSyntax(ctor)))
		}
	}
	if isIdent(a[2]) {
		out = append(out, c.form("define", a[2], c.form("%record-predicate", typeName, quote(baseSymbol(a[2])))))
	} else if a[2] != lang.Value(lang.False) {
		return nil, c.syntaxError(form, "define-record-type: expected a predicate name, got %s", writeString(stripSyntax(a[2])))
	}
	for _, parts := range specs {
		field := quote(baseSymbol(parts[0]))
		if len(parts) >= 2 {
			out = append(out, c.form("define", parts[1], c.form("%record-accessor", typeName, field, quote(baseSymbol(parts[1])))))
		}
		if len(parts) == 3 {
			out = append(out, c.form("define", parts[2], c.form("%record-modifier", typeName, field, quote(baseSymbol(parts[2])))))
		}
	}
	return lang.List(out...), nil
}

func expandSyntaxError(c *compiler, form *lang.Pair, s *scope) (lang.Value, error) {
	a, _ := c.listItems(form, form.Cdr, "syntax-error")
	msg := "syntax error"
	if len(a) > 0 {
		if str, ok := a[0].(*lang.String); ok {
			msg = str.String()
		}
		for _, x := range a[1:] {
			msg += " " + writeString(stripSyntax(x))
		}
	}
	return nil, c.syntaxError(form, "%s", msg)
}

// expandInclude reads the named files (relative to the including file)
// and splices their forms into a begin.
func expandInclude(c *compiler, form *lang.Pair, s *scope) (lang.Value, error) {
	a, err := c.args(form, 1, -1, "(include \"file\" ...)")
	if err != nil {
		return nil, err
	}
	out := []lang.Value{c.coreIdent("begin")}
	for _, f := range a {
		str, ok := f.(*lang.String)
		if !ok {
			return nil, c.syntaxError(form, "include: expected a file name string, got %s", writeString(stripSyntax(f)))
		}
		path := str.String()
		if !filepath.IsAbs(path) && c.th.fileDir != "" {
			path = filepath.Join(c.th.fileDir, path)
		}
		text, err := os.ReadFile(path)
		if err != nil {
			return nil, &Exception{Payload: &ErrorObject{Kind: KindFile, Message: "include: " + err.Error(), Cause: err}, Pos: form.Pos}
		}
		forms, err := readAll(&lang.Source{Name: path}, text)
		if err != nil {
			return nil, err
		}
		out = append(out, forms...)
	}
	return lang.List(out...), nil
}

// features are the cond-expand feature identifiers Fruix claims.
var features = []string{"r7rs", "exact-closed", "exact-rationals", "ratios", "full-unicode", "fruix",
	"srfi-0", "srfi-1", "srfi-2", "srfi-6", "srfi-8", "srfi-9", "srfi-11", "srfi-16", "srfi-23",
	"srfi-26", "srfi-28", "srfi-30", "srfi-34", "srfi-39", "srfi-62", "srfi-69", "srfi-87"}

func (c *compiler) featureMatch(req lang.Value, form *lang.Pair) (bool, error) {
	if isIdent(req) {
		name := baseSymbol(req).Name
		if name == "else" {
			return true, nil
		}
		for _, f := range features {
			if f == name {
				return true, nil
			}
		}
		return false, nil
	}
	p, ok := req.(*lang.Pair)
	if !ok || !isIdent(p.Car) {
		return false, c.syntaxError(form, "cond-expand: bad feature requirement %s", writeString(stripSyntax(req)))
	}
	args, err := c.listItems(form, p.Cdr, "cond-expand requirement")
	if err != nil {
		return false, err
	}
	switch baseSymbol(p.Car).Name {
	case "and":
		for _, a := range args {
			if ok, err := c.featureMatch(a, form); err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case "or":
		for _, a := range args {
			if ok, err := c.featureMatch(a, form); err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case "not":
		if len(args) != 1 {
			return false, c.syntaxError(form, "cond-expand: (not requirement)")
		}
		ok, err := c.featureMatch(args[0], form)
		return !ok, err
	case "library":
		if len(args) != 1 {
			return false, c.syntaxError(form, "cond-expand: (library name)")
		}
		name, err := c.moduleName(form, args[0])
		if err != nil {
			return false, err
		}
		return c.th.moduleExists(name), nil
	}
	return false, c.syntaxError(form, "cond-expand: unknown requirement %s", writeString(stripSyntax(req)))
}

func expandCondExpand(c *compiler, form *lang.Pair, s *scope) (lang.Value, error) {
	clauses, err := c.listItems(form, form.Cdr, "cond-expand")
	if err != nil {
		return nil, err
	}
	for _, cl := range clauses {
		parts, err := c.listItems(form, cl, "cond-expand clause")
		if err != nil || len(parts) == 0 {
			return nil, c.syntaxError(form, "cond-expand: bad clause: expected (requirement body...)")
		}
		ok, err := c.featureMatch(parts[0], form)
		if err != nil {
			return nil, err
		}
		if ok {
			return &lang.Pair{Car: c.coreIdent("begin"), Cdr: lang.List(parts[1:]...), Pos: form.Pos}, nil
		}
	}
	return c.form("begin"), nil
}
