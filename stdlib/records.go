package stdlib

import (
	"fmt"
	"strings"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// The (fruix records) module: Guix's define-record-type*, the declarative
// records that configurations are written with, as native macros.
//
// (define-record-type* <thing> thing make-thing thing? [this-thing]
//   (field accessor property ...) ...)
//
// defines the record type <thing>, a positional constructor make-thing
// taking every field's raw value, the predicate, the accessors, and the
// syntactic constructor thing, a macro used as (thing (field value) ...)
// or (thing (inherit other) (field value) ...). The type is made when the
// definition is expanded, so the syntactic constructor can check field
// names, report missing and repeated fields at their positions, and
// expand into one call of a Go builtin holding the type.

func init() {
	modules = append(modules, moduleSpec{name: []string{"fruix", "records"}, extra: defineRecordsModule})
}

func defineRecordsModule(th *eval.Thread, m *eval.Module) {
	m.DefineNativeMacro("define-record-type*", expandDefineRecordTypeStar)
	m.DefineNativeMacro("this-record", expandThisOutside)
	m.DefineNativeMacro("match-record", expandMatchRecord)
	m.DefineNativeMacro("record-update", expandRecordUpdate)
	m.DefineBuiltins(recordStarBuiltins)
}

var (
	symThisRecord = lang.Intern("this-record")
	symInherit    = lang.Intern("inherit")
	symDelay      = lang.Intern("delay")
)

// starField is one field of a define-record-type* type.
type starField struct {
	name       *lang.Symbol
	accessor   *lang.Symbol
	accessorID lang.Value // the accessor as written: a symbol, or a macro's identifier
	pos        lang.Pos   // of the field's specification in the definition

	hasDefault bool
	thunked    bool
	delayed    bool
	innate     bool
	sanitized  bool
}

// starType is a define-record-type* type: the eval record type its
// instances belong to, and what the macros and accessors need to know
// about its fields.
type starType struct {
	rt     *eval.RecordType
	name   string       // for messages: the type's name without <>
	this   *lang.Symbol // the per-type alias of this-record, or nil
	fields []starField
	index  map[*lang.Symbol]int

	// Filled when the definition is evaluated (recordStarInit): per
	// field, the default procedure and a thunk returning the sanitizer,
	// or nil. A default is (lambda () expr) for plain fields, (lambda ()
	// (delay expr)) for delayed ones and (lambda (this-record) expr) for
	// thunked ones.
	defaults   []lang.Value
	sanitizers []lang.Value
	ready      bool

	// The procedures expansions call, named after the syntactic
	// constructor so that backtraces read "in thing".
	buildProc, sanitizeProc *eval.Builtin
}

// fieldThunk is the raw value of a thunked field: a procedure of the
// record, re-run on every access. It prints as #<thunk> so that printing a record forces nothing.
type fieldThunk struct {
	proc lang.Value
}

func (*fieldThunk) TypeName() string { return "thunk" }

func (*fieldThunk) String() string { return "#<thunk>" }

// PrintScheme implements lang.Printable.
func (t *fieldThunk) PrintScheme(p *lang.Printer, _ bool) { p.WriteRaw("#<thunk>") }

// absentField marks, in a syntactic constructor's call, a field the user
// did not give: the builtin fills it from the inherited record or the
// default.
type absentField struct{}

func (absentField) TypeName() string { return "absent-field" }

var absent = &absentField{}

// fieldSite is a field at one place in the user's code: the type, the
// field's index and the position of the (field value) clause. Sanitizer
// errors are reported there.
type fieldSite struct {
	st  *starType
	i   int
	pos lang.Pos
}

func (*fieldSite) TypeName() string { return "field-site" }

// starTypes maps the record types of a Thread to their descriptions, for
// match-record and record-update, which find the type at run time.
type starTypesKey struct{}

func starTypeOf(th *eval.Thread, rt *eval.RecordType) *starType {
	m, _ := th.Local(starTypesKey{}).(map[*eval.RecordType]*starType)
	return m[rt]
}

func registerStarType(th *eval.Thread, st *starType) {
	m, _ := th.Local(starTypesKey{}).(map[*eval.RecordType]*starType)
	if m == nil {
		m = map[*eval.RecordType]*starType{}
		th.SetLocal(starTypesKey{}, m)
	}
	m[st.rt] = st
}

// syntaxErrorAt is a syntax error at pos (the form's own position when pos
// is unknown).
func syntaxErrorAt(pos lang.Pos, format string, a ...any) error {
	e := eval.NewError(eval.KindSyntax, fmt.Sprintf(format, a...))
	if !pos.Known() {
		return e
	}
	return &eval.Exception{Payload: e, Pos: pos}
}

func posOf(v lang.Value, fallback lang.Pos) lang.Pos {
	if p, ok := v.(*lang.Pair); ok && p.Pos.Known() {
		return p.Pos
	}
	return fallback
}

// quoted returns (quote v), positioned at pos.
func quoted(v lang.Value, pos lang.Pos) lang.Value {
	return &lang.Pair{Car: symQuote, Cdr: &lang.Pair{Car: v, Cdr: lang.Nil, Pos: pos}, Pos: pos}
}

var symQuote = lang.Intern("quote")

// listAt builds a list whose pairs carry pos.
func listAt(pos lang.Pos, items ...lang.Value) lang.Value {
	var l lang.Value = lang.Nil
	for i := len(items) - 1; i >= 0; i-- {
		l = &lang.Pair{Car: items[i], Cdr: l, Pos: pos}
	}
	return l
}

// expandDefineRecordTypeStar expands a define-record-type* form.
func expandDefineRecordTypeStar(th *eval.Thread, form *lang.Pair, env *eval.MacroEnv) (lang.Value, error) {
	const shape = "(define-record-type* <type> syntactic-constructor constructor predicate [this-identifier] (field accessor property ...) ...)"
	args, ok := listArgs(form.Cdr)
	if !ok || len(args) < 4 {
		return nil, syntaxErrorAt(form.Pos, "define-record-type*: bad syntax: want %s", shape)
	}
	names := make([]*lang.Symbol, 4)
	for i := range names {
		s, ok := identSymbol(args[i])
		if !ok {
			return nil, syntaxErrorAt(form.Pos, "define-record-type*: argument %d: want an identifier, got %s", i+1, lang.WriteString(args[i]))
		}
		names[i] = s
	}
	typeName, ctorMacro := names[0], names[1]
	typeID, ctorID, predID := args[0], args[2], args[3]
	rest := args[4:]
	st := &starType{name: strings.TrimSuffix(strings.TrimPrefix(typeName.Name, "<"), ">"), index: map[*lang.Symbol]int{}}
	if len(rest) > 0 {
		if s, ok := identSymbol(rest[0]); ok {
			st.this = s
			rest = rest[1:]
		}
	}
	for _, spec := range rest {
		f, err := parseStarField(st, spec, form.Pos)
		if err != nil {
			return nil, err
		}
		if _, dup := st.index[f.name]; dup {
			return nil, syntaxErrorAt(f.pos, "define-record-type* %s: field `%s' defined twice", typeName.Name, f.name.Name)
		}
		st.index[f.name] = len(st.fields)
		st.fields = append(st.fields, *f)
	}
	fieldNames := make([]*lang.Symbol, len(st.fields))
	for i, f := range st.fields {
		fieldNames[i] = f.name
	}
	st.rt = &eval.RecordType{Name: typeName.Name, Fields: fieldNames}

	pos := form.Pos
	mod := env.Module()
	st.buildProc = &eval.Builtin{Name: ctorMacro.Name, MinArgs: 2 + len(st.fields), MaxArgs: 2 + len(st.fields), Fn: recordStarBuild}
	st.sanitizeProc = &eval.Builtin{Name: ctorMacro.Name, MinArgs: 2, MaxArgs: 2, Fn: recordStarSanitize}
	mod.DefineNativeMacro(ctorMacro.Name, st.expandConstructor)
	if st.this != nil {
		mod.DefineNativeMacro(st.this.Name, expandThisOutside)
	}

	initArgs := []lang.Value{quoted(recordStarInit, pos), quoted(st, pos)}
	for i, f := range rest {
		fd := &st.fields[i]
		initArgs = append(initArgs, st.defaultProc(fd, i, f), st.sanitizerThunk(f))
	}
	out := []lang.Value{lang.Intern("begin"),
		listAt(pos, lang.Intern("define"), typeID, listAt(pos, initArgs...)),
		listAt(pos, lang.Intern("define"), ctorID, quoted(st.positionalConstructor(names[2].Name), pos)),
		listAt(pos, lang.Intern("define"), predID, quoted(st.predicate(names[3].Name), pos)),
	}
	for i := range st.fields {
		f := &st.fields[i]
		out = append(out, listAt(pos, lang.Intern("define"), f.accessorID, quoted(st.accessor(i), pos)))
	}
	return listAt(pos, out...), nil
}

// fieldProps are the properties a field specification may carry.
var fieldProps = []string{"default", "thunked", "delayed", "innate", "sanitize"}

func parseStarField(st *starType, spec lang.Value, fallback lang.Pos) (*starField, error) {
	pos := posOf(spec, fallback)
	items, ok := listArgs(spec)
	if !ok || len(items) < 2 {
		return nil, syntaxErrorAt(pos, "define-record-type* %s: bad field %s: want (field accessor property ...)", st.name, lang.WriteString(spec))
	}
	name, ok1 := identSymbol(items[0])
	acc, ok2 := identSymbol(items[1])
	if !ok1 || !ok2 {
		return nil, syntaxErrorAt(pos, "define-record-type* %s: bad field %s: want (field accessor property ...)", st.name, lang.WriteString(spec))
	}
	f := &starField{name: name, accessor: acc, accessorID: items[1], pos: pos}
	for _, p := range items[2:] {
		ppos := posOf(p, pos)
		parts, ok := listArgs(p)
		var head *lang.Symbol
		if ok && len(parts) > 0 {
			head, _ = identSymbol(parts[0])
		}
		if head == nil {
			return nil, syntaxErrorAt(ppos, "define-record-type* %s: field `%s': bad property %s: want one of (default expr), (thunked), (delayed), (innate), (sanitize proc)", st.name, name.Name, lang.WriteString(p))
		}
		want := 1
		switch head.Name {
		case "default":
			f.hasDefault, want = true, 2
		case "sanitize":
			f.sanitized, want = true, 2
		case "thunked":
			f.thunked = true
		case "delayed":
			f.delayed = true
		case "innate":
			f.innate = true
		default:
			return nil, syntaxErrorAt(ppos, "define-record-type* %s: field `%s': unknown property `%s'%s", st.name, name.Name, head.Name, didYouMean(head.Name, fieldProps))
		}
		if len(parts) != want {
			return nil, syntaxErrorAt(ppos, "define-record-type* %s: field `%s': bad property %s", st.name, name.Name, lang.WriteString(p))
		}
	}
	if f.thunked && f.delayed {
		return nil, syntaxErrorAt(pos, "define-record-type* %s: field `%s' cannot be both thunked and delayed", st.name, name.Name)
	}
	return f, nil
}

// property returns the argument of property name in a field spec.
func property(spec lang.Value, name string) lang.Value {
	items, _ := listArgs(spec)
	for _, p := range items[2:] {
		parts, _ := listArgs(p)
		if s, ok := identSymbol(parts[0]); ok && s.Name == name && len(parts) == 2 {
			return parts[1]
		}
	}
	return nil
}

// defaultProc is the code of field i's default procedure, or #f.
func (st *starType) defaultProc(f *starField, i int, spec lang.Value) lang.Value {
	expr := property(spec, "default")
	if expr == nil {
		return lang.False
	}
	return st.wrapValue(i, expr, f.pos)
}

// wrapValue is the code that turns the value expression of field i into
// a procedure: sanitized, and delayed or thunked as the field says.
// Plain and delayed fields give a procedure of no arguments; thunked
// fields a procedure of the record (and the per-type alias).
func (st *starType) wrapValue(i int, expr lang.Value, pos lang.Pos) lang.Value {
	f := &st.fields[i]
	if f.sanitized {
		expr = listAt(pos, quoted(st.sanitizeProc, pos), quoted(&fieldSite{st: st, i: i, pos: pos}, pos), expr)
	}
	switch {
	case f.thunked:
		return st.thunk(expr, pos)
	case f.delayed:
		return listAt(pos, lang.Intern("lambda"), lang.Nil, listAt(pos, listAt(pos, symAt, listAt(pos, symGuileModule), symDelay), expr))
	}
	return listAt(pos, lang.Intern("lambda"), lang.Nil, expr)
}

// thunk is the code of a thunked field's procedure: a procedure of the
// record, its one argument as in Guix, with this-record and the type's
// alias bound to it. The names are bound as they occur in expr, symbols
// or identifiers a syntax-rules template inserted, so that a macro
// expanding into a constructor can use this-record too.
func (st *starType) thunk(expr lang.Value, pos lang.Pos) lang.Value {
	r := symThisRecord
	var binds []lang.Value
	for _, id := range st.thisIdentifiers(expr) {
		if id != lang.Value(symThisRecord) {
			binds = append(binds, listAt(pos, id, r))
		}
	}
	if len(binds) > 0 {
		expr = listAt(pos, lang.Intern("let"), listAt(pos, binds...), expr)
	}
	return listAt(pos, lang.Intern("lambda"), listAt(pos, r), expr)
}

// thisIdentifiers returns the distinct identifiers in expr that name
// this-record or the type's alias.
func (st *starType) thisIdentifiers(expr lang.Value) []lang.Value {
	var out []lang.Value
	seen := map[lang.Value]bool{}
	var walk func(v lang.Value, depth int)
	walk = func(v lang.Value, depth int) {
		if depth > 10000 {
			return
		}
		for {
			switch x := v.(type) {
			case *lang.Pair:
				walk(x.Car, depth+1)
				v = x.Cdr
				continue
			case *lang.Vector:
				for _, it := range x.Items {
					walk(it, depth+1)
				}
			default:
				if s, ok := identSymbol(v); ok && !seen[v] && (s == symThisRecord || (st.this != nil && s == st.this)) {
					seen[v] = true
					out = append(out, v)
				}
			}
			return
		}
	}
	walk(expr, 0)
	return out
}

// identSymbol returns the symbol an identifier stands for: v itself when
// it is a symbol, the very symbol (interned or not) a syntax-rules
// template inserted when v is such a renamed identifier.
func identSymbol(v lang.Value) (*lang.Symbol, bool) { return eval.IdentifierSymbol(v) }

func (st *starType) sanitizerThunk(spec lang.Value) lang.Value {
	expr := property(spec, "sanitize")
	if expr == nil {
		return lang.False
	}
	pos := posOf(spec, lang.Pos{})
	return listAt(pos, lang.Intern("lambda"), lang.Nil, expr)
}

// expandThisOutside rejects this-record (or a per-type alias) used
// outside a thunked field, where the syntactic constructor binds it.
func expandThisOutside(th *eval.Thread, form *lang.Pair, env *eval.MacroEnv) (lang.Value, error) {
	name := "this-record"
	if s, ok := identSymbol(form.Car); ok {
		name = s.Name
	}
	return nil, syntaxErrorAt(form.Pos, "%s: used outside a thunked field or its default", name)
}

// didYouMean returns "; did you mean `x'?" for the candidate closest to
// name, when one is close enough to be a likely typo, else "".
func didYouMean(name string, candidates []string) string {
	best, bestD := "", len(name)/2+2
	if bestD > 4 {
		bestD = 4
	}
	for _, c := range candidates {
		d := editDistance(name, c)
		if d < bestD || (d == bestD && best != "" && c < best) {
			best, bestD = c, d
		}
	}
	if best == "" {
		// A missing or extra separator ("hostname" for "host-name").
		squash := strings.ReplaceAll(name, "-", "")
		for _, c := range candidates {
			if strings.ReplaceAll(c, "-", "") == squash {
				return "; did you mean `" + c + "'?"
			}
		}
		return ""
	}
	return "; did you mean `" + best + "'?"
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func (st *starType) fieldNames() []string {
	out := make([]string, len(st.fields))
	for i, f := range st.fields {
		out[i] = f.name.Name
	}
	return out
}

// RecordFieldValue returns the value of the field named field of r as the
// field's accessor would: a thunked field's code is run with this-record
// bound to r, a delayed field's promise is forced. Go code that reads
// configurations (an operating-system's fields) uses it.
func RecordFieldValue(th *eval.Thread, r *eval.Record, field string) (lang.Value, error) {
	i := r.Type.FieldIndex(lang.Intern(field))
	if i < 0 {
		var names []string
		for _, f := range r.Type.Fields {
			names = append(names, f.Name)
		}
		return nil, eval.Errorf("%s: unknown field `%s'%s", r.Type.ShortName(), field, didYouMean(field, names))
	}
	if st := starTypeOf(th, r.Type); st != nil {
		return st.fieldValue(th, r, i)
	}
	return r.Fields[i], nil
}
