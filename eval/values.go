package eval

import (
	"fmt"
	"strings"

	"fruix.dev/fruix/lang"
)

// Closure is a procedure written in Scheme: compiled code and the frame it
// closes over.
type Closure struct {
	code *lambdaCode
	env  *frame
}

// TypeName implements lang.Named.
func (*Closure) TypeName() string { return "procedure" }

// Name returns the procedure's name, or "" for an anonymous one.
func (c *Closure) Name() string { return c.code.name }

func (c *Closure) String() string {
	return "#<procedure " + procLabel(c.code.name) + " " + c.code.formals() + ">"
}

func procLabel(name string) string {
	if name == "" {
		return "anonymous"
	}
	return name
}

// TypeName implements lang.Named.
func (*Builtin) TypeName() string { return "procedure" }

func (b *Builtin) String() string { return "#<procedure " + b.Name + ">" }

// MultipleValues is the result of (values a b ...) with other than one
// value. Only call-with-values, receive, let-values and their kin take it
// apart; elsewhere it is passed along as one object.
type MultipleValues struct{ Vals []lang.Value }

// TypeName implements lang.Named.
func (*MultipleValues) TypeName() string { return "multiple values" }

func (m *MultipleValues) String() string {
	parts := make([]string, len(m.Vals))
	for i, v := range m.Vals {
		parts[i] = writeString(v)
	}
	return strings.Join(parts, " ")
}

// Values returns vs as one value: vs[0] itself when there is exactly one.
func Values(vs ...lang.Value) lang.Value {
	if len(vs) == 1 {
		return vs[0]
	}
	return &MultipleValues{Vals: append([]lang.Value(nil), vs...)}
}

// ValuesOf returns the values v stands for: its parts if it is multiple
// values, otherwise v alone.
func ValuesOf(v lang.Value) []lang.Value {
	if m, ok := v.(*MultipleValues); ok {
		return m.Vals
	}
	return []lang.Value{v}
}

// Parameter is a parameter object (make-parameter). Calling it with no
// arguments returns its value in the current dynamic extent.
type Parameter struct {
	value     lang.Value
	converter lang.Value // nil: none
}

// TypeName implements lang.Named.
func (*Parameter) TypeName() string { return "parameter" }

func (*Parameter) String() string { return "#<parameter>" }

// Converter returns the parameter's converter procedure, or nil.
func (p *Parameter) Converter() lang.Value { return p.converter }

// Promise is the result of delay, delay-force and make-promise.
type Promise struct{ st *promiseState }

// promiseState is shared by the promises that delay-force chains, as in
// the reference implementation of R7RS.
type promiseState struct {
	done  bool
	value lang.Value // the value when done
	thunk lang.Value // code to run when not done
	delay bool       // the thunk returns the value (delay), not a promise (delay-force)
}

// TypeName implements lang.Named.
func (*Promise) TypeName() string { return "promise" }

func (*Promise) String() string { return "#<promise>" }

// MakePromise returns a promise already forced to v (make-promise).
func MakePromise(v lang.Value) *Promise {
	if p, ok := v.(*Promise); ok {
		return p
	}
	return &Promise{st: &promiseState{done: true, value: v}}
}

// RecordType is a record type made by define-record-type.
type RecordType struct {
	Name   string // as written, e.g. "<point>"
	Fields []*lang.Symbol
}

// TypeName implements lang.Named.
func (*RecordType) TypeName() string { return "record-type" }

// ShortName returns the type's name without the angle brackets.
func (t *RecordType) ShortName() string {
	return strings.TrimSuffix(strings.TrimPrefix(t.Name, "<"), ">")
}

func (t *RecordType) String() string { return "#<record-type " + t.ShortName() + ">" }

// FieldIndex returns the index of field name, or -1.
func (t *RecordType) FieldIndex(name *lang.Symbol) int {
	for i, f := range t.Fields {
		if f == name {
			return i
		}
	}
	return -1
}

// Record is an instance of a RecordType.
type Record struct {
	Type   *RecordType
	Fields []lang.Value
}

// TypeName implements lang.Named: the record type's name, such as "point",
// so that type errors say what they got.
func (r *Record) TypeName() string { return r.Type.ShortName() }

func (r *Record) String() string {
	var b strings.Builder
	b.WriteString("#<")
	b.WriteString(r.Type.ShortName())
	for i, f := range r.Type.Fields {
		fmt.Fprintf(&b, " %s: %s", f.Name, writeString(r.Fields[i]))
	}
	b.WriteString(">")
	return b.String()
}

// Continuation is an escape continuation captured by call/cc,
// call-with-escape-continuation or let/ec. It can be invoked while the
// call that captured it is still running; afterwards it is dead.
type Continuation struct {
	th    *Thread
	alive bool
	// The dynamic state to restore when the escape lands.
	depth    int
	handlers *handlerEntry
	params   *paramBinding
}

// TypeName implements lang.Named.
func (*Continuation) TypeName() string { return "continuation" }

func (*Continuation) String() string { return "#<continuation>" }

// Macro is a syntax-rules or native macro bound as syntax.
type Macro struct {
	name   string
	rules  *syntaxRules // syntax-rules macros
	native MacroFunc    // Go macros
	env    *scope       // definition environment (nil: module level)
	module *Module      // definition module
}

// TypeName implements lang.Named.
func (*Macro) TypeName() string { return "syntax" }

func (m *Macro) String() string { return "#<syntax " + m.name + ">" }

// SpecialForm is a core syntactic keyword such as if or lambda.
type SpecialForm struct {
	name    string
	compile func(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error)
	// expand rewrites a derived form into core forms (used when compile
	// is nil); definition marks forms that expand into definitions.
	expand     func(c *compiler, form *lang.Pair, s *scope) (lang.Value, error)
	definition bool
}

// TypeName implements lang.Named.
func (*SpecialForm) TypeName() string { return "syntax" }

func (f *SpecialForm) String() string { return "#<syntax " + f.name + ">" }

// IsProcedure reports whether v can be applied.
func IsProcedure(v lang.Value) bool {
	switch v.(type) {
	case *Closure, *Builtin, *Continuation, *Parameter, *CaseLambda:
		return true
	}
	return false
}

// ProcedureName returns the name of procedure v, or "" if it has none.
func ProcedureName(v lang.Value) string {
	switch p := v.(type) {
	case *Closure:
		return p.code.name
	case *Builtin:
		return p.Name
	case *CaseLambda:
		return p.name
	}
	return ""
}

// Arity returns the minimum and maximum number of arguments v accepts;
// max is -1 when there is no maximum. ok is false if v is not a procedure.
func Arity(v lang.Value) (min, max int, ok bool) {
	switch p := v.(type) {
	case *Closure:
		return p.code.minArgs(), p.code.maxArgs(), true
	case *Builtin:
		return p.MinArgs, p.MaxArgs, true
	case *Continuation:
		return 0, -1, true
	case *Parameter:
		return 0, 1, true
	case *CaseLambda:
		min, max = -1, 0
		for _, c := range p.clauses {
			lo, hi := c.code.minArgs(), c.code.maxArgs()
			if min < 0 || lo < min {
				min = lo
			}
			if hi < 0 || max < 0 {
				max = -1
			} else if hi > max {
				max = hi
			}
		}
		return min, max, true
	}
	return 0, 0, false
}

// Documentation returns the documentation string of procedure v, or "".
func Documentation(v lang.Value) string {
	switch p := v.(type) {
	case *Closure:
		return p.code.doc
	case *Builtin:
		return p.Doc
	}
	return ""
}
