package eval

import (
	"errors"

	"fruix.dev/fruix/lang"
)

// The eval value types print through lang's printer.

func writeString(v lang.Value) string { return lang.WriteString(v) }

func isReadError(err error) bool {
	var re *lang.ReadError
	return errors.As(err, &re)
}

// PrintScheme implements lang.Printable.
func (c *Closure) PrintScheme(p *lang.Printer, _ bool) { p.WriteRaw(c.String()) }

// PrintScheme implements lang.Printable.
func (b *Builtin) PrintScheme(p *lang.Printer, _ bool) { p.WriteRaw(b.String()) }

// PrintScheme implements lang.Printable.
func (c *CaseLambda) PrintScheme(p *lang.Printer, _ bool) { p.WriteRaw(c.String()) }

// PrintScheme implements lang.Printable: the values separated by spaces.
func (m *MultipleValues) PrintScheme(p *lang.Printer, _ bool) {
	for i, v := range m.Vals {
		if i > 0 {
			p.WriteRaw(" ")
		}
		p.Print(v)
	}
}

// PrintScheme implements lang.Printable.
func (x *Parameter) PrintScheme(p *lang.Printer, _ bool) { p.WriteRaw(x.String()) }

// PrintScheme implements lang.Printable.
func (x *Promise) PrintScheme(p *lang.Printer, _ bool) { p.WriteRaw(x.String()) }

// PrintScheme implements lang.Printable.
func (t *RecordType) PrintScheme(p *lang.Printer, _ bool) { p.WriteRaw(t.String()) }

// PrintScheme implements lang.Printable: #<point x: 1 y: 2>.
func (r *Record) PrintScheme(p *lang.Printer, _ bool) {
	p.WriteRaw("#<" + r.Type.ShortName())
	for i, f := range r.Type.Fields {
		p.WriteRaw(" " + f.Name + ": ")
		p.Print(r.Fields[i])
	}
	p.WriteRaw(">")
}

// PrintScheme implements lang.Printable.
func (k *Continuation) PrintScheme(p *lang.Printer, _ bool) { p.WriteRaw(k.String()) }

// PrintScheme implements lang.Printable.
func (m *Macro) PrintScheme(p *lang.Printer, _ bool) { p.WriteRaw(m.String()) }

// PrintScheme implements lang.Printable.
func (f *SpecialForm) PrintScheme(p *lang.Printer, _ bool) { p.WriteRaw(f.String()) }

// PrintScheme implements lang.Printable.
func (m *Module) PrintScheme(p *lang.Printer, _ bool) { p.WriteRaw(m.String()) }

// PrintScheme implements lang.Printable: #<error wrong-type-arg: message>.
func (e *ErrorObject) PrintScheme(p *lang.Printer, _ bool) { p.WriteRaw(e.String()) }

// PrintScheme implements lang.Printable: an alias prints as its symbol.
func (a *alias) PrintScheme(p *lang.Printer, write bool) { p.Print(baseSymbol(a)) }

// PrintScheme implements lang.Printable.
func (*tailCall) PrintScheme(p *lang.Printer, _ bool) { p.WriteRaw("#<tail-call>") }

// TypeName implements lang.Named.
func (*tailCall) TypeName() string { return "tail-call" }
