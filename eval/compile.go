package eval

import (
	"fmt"

	"fruix.dev/fruix/lang"
)

// compiler turns datums into nodes. It carries the module free
// identifiers are resolved in and the position of the innermost form
// being compiled, which is where errors point.
type compiler struct {
	th     *Thread
	module *Module
	pos    lang.Pos
	// nameHint names the lambda about to be compiled (define, let).
	nameHint   string
	lambdaName string
	nesting    int
}

// maxNesting bounds how deeply forms (and macro expansions) may nest, so
// a macro that expands into itself fails cleanly.
const maxNesting = 20000

func (th *Thread) newCompiler(m *Module) *compiler { return &compiler{th: th, module: m} }

// syntaxError is a compile-time error at the current form.
func (c *compiler) syntaxError(form lang.Value, format string, a ...any) error {
	pos := c.pos
	if p, ok := form.(*lang.Pair); ok && p.Pos.Known() {
		pos = p.Pos
	}
	return &Exception{Payload: NewError(KindSyntax, fmt.Sprintf(format, a...)), Pos: pos}
}

func (c *compiler) compile(x lang.Value, s *scope, tail bool) (node, error) {
	switch v := x.(type) {
	case *lang.Symbol, *alias:
		return c.compileRef(v, s)
	case *lang.Pair:
		return c.compilePair(v, s, tail)
	case *lang.Null:
		return nil, c.syntaxError(x, "missing procedure in empty combination ()")
	case *lang.Vector:
		return &constNode{literal(stripSyntax(v))}, nil
	case *lang.String:
		v.Immutable = true
	}
	return &constNode{x}, nil
}

// frameDepth counts the frames between the code being compiled (in
// frame from) and the frame to that holds a binding.
func (c *compiler) frameDepth(from, to *frameInfo) (int, error) {
	d := 0
	for fi := from; fi != nil; fi = fi.parent {
		if fi == to {
			return d, nil
		}
		d++
	}
	return 0, c.syntaxError(nil, "identifier used outside the scope of its binding")
}

func (c *compiler) compileRef(id lang.Value, s *scope) (node, error) {
	b, cell := lookupIdent(id, s, c.module)
	if b != nil {
		if b.kind == bindMacro {
			return nil, c.syntaxError(nil, "syntax `%s' used as a variable", b.name.Name)
		}
		d, err := c.frameDepth(s.fi, b.fi)
		if err != nil {
			return nil, err
		}
		if b.maybeUnset {
			return &localChecked{depth: d, i: b.index, name: b.name, pos: c.pos}, nil
		}
		switch d {
		case 0:
			return &local0{b.index}, nil
		case 1:
			return &local1{b.index}, nil
		}
		return &localN{d, b.index}, nil
	}
	if cell == nil {
		m, sym := globalTarget(id, s, c.module)
		cell = m.cellFor(sym)
	}
	switch cell.Value.(type) {
	case *SpecialForm, *Macro:
		return nil, c.syntaxError(nil, "syntax `%s' used as a variable", cell.Name.Name)
	}
	return &globalRef{cell: cell, pos: c.pos, scope: s}, nil
}

// syntaxOf returns the special form or macro that the head of a form
// denotes, if any.
func (c *compiler) syntaxOf(head lang.Value, s *scope) (*SpecialForm, *Macro, error) {
	var v lang.Value
	switch h := head.(type) {
	case *lang.Symbol, *alias:
		b, cell := lookupIdent(h, s, c.module)
		if b != nil {
			return nil, b.macro, nil
		}
		if cell == nil {
			return nil, nil, nil
		}
		v = cell.Value
	case *lang.Pair:
		if !c.isModuleRef(h, s) {
			return nil, nil, nil
		}
		cell, err := c.moduleRefCell(h, s)
		if err != nil {
			return nil, nil, err
		}
		v = cell.Value
	default:
		return nil, nil, nil
	}
	switch x := v.(type) {
	case *SpecialForm:
		return x, nil, nil
	case *Macro:
		return nil, x, nil
	}
	return nil, nil, nil
}

func (c *compiler) compilePair(p *lang.Pair, s *scope, tail bool) (node, error) {
	if p.Pos.Known() {
		saved := c.pos
		c.pos = p.Pos
		defer func() { c.pos = saved }()
	}
	c.nesting++
	defer func() { c.nesting-- }()
	if c.nesting > maxNesting {
		return nil, c.syntaxError(p, "form nested too deeply (or a macro that expands forever)")
	}
	c.lambdaName, c.nameHint = c.nameHint, ""
	sf, m, err := c.syntaxOf(p.Car, s)
	if err != nil {
		return nil, err
	}
	if sf != nil {
		if sf.compile == nil {
			x, err := sf.expand(c, p, s)
			if err != nil {
				return nil, err
			}
			return c.compile(x, s, tail)
		}
		return sf.compile(c, p, s, tail)
	}
	if m != nil {
		x, err := c.expand(m, p, s)
		if err != nil {
			return nil, err
		}
		return c.compile(x, s, tail)
	}
	return c.compileCall(p, s, tail)
}

// expand expands one use of macro m.
func (c *compiler) expand(m *Macro, form *lang.Pair, s *scope) (lang.Value, error) {
	if m.native != nil {
		x, err := m.native(c.th, form, &MacroEnv{scope: s, module: c.module})
		if err != nil {
			var ex *Exception
			if e, ok := err.(*Exception); ok {
				ex = e
			} else {
				ex = &Exception{Payload: AsErrorObject(err)}
			}
			if !ex.Pos.Known() {
				ex.Pos = form.Pos
				if !ex.Pos.Known() {
					ex.Pos = c.pos
				}
			}
			return nil, ex
		}
		return x, nil
	}
	return m.rules.expand(c, m, form, s)
}

// listItems returns the elements of a proper list, or an error naming
// what was expected. Code read from #0=(a . #0#) notation can be a
// circular list, which is an error too.
func (c *compiler) listItems(form lang.Value, x lang.Value, what string) ([]lang.Value, error) {
	items, tail, circular := lang.ListItems(x)
	if circular {
		return nil, c.syntaxError(form, "%s: expected a proper list, not a circular one", what)
	}
	if _, proper := tail.(*lang.Null); !proper {
		return nil, c.syntaxError(form, "%s: expected a proper list", what)
	}
	return items, nil
}

func (c *compiler) compileCall(p *lang.Pair, s *scope, tail bool) (node, error) {
	items, err := c.listItems(p, p.Cdr, "procedure call")
	if err != nil {
		return nil, err
	}
	args := make([]node, len(items))
	for i, it := range items {
		if args[i], err = c.compile(it, s, false); err != nil {
			return nil, err
		}
	}
	if n := c.inlinePrimitive(p.Car, s, args, tail); n != nil {
		return n, nil
	}
	fn, err := c.compile(p.Car, s, false)
	if err != nil {
		return nil, err
	}
	var global *Cell
	if g, ok := fn.(*globalRef); ok {
		global = g.cell
	}
	if tail {
		return &tailCallNode{fn: fn, args: args, pos: c.pos, global: global}, nil
	}
	return &callNode{fn: fn, args: args, pos: c.pos, global: global}, nil
}

// compileSeq compiles forms in order; the last is in tail position when
// tail is.
func (c *compiler) compileSeq(forms []lang.Value, s *scope, tail bool) (node, error) {
	if len(forms) == 0 {
		return &constNode{lang.Unspec}, nil
	}
	nodes := make([]node, len(forms))
	for i, f := range forms {
		n, err := c.compile(f, s, tail && i == len(forms)-1)
		if err != nil {
			return nil, err
		}
		nodes[i] = n
	}
	if len(nodes) == 1 {
		return nodes[0], nil
	}
	return &seqNode{body: nodes[:len(nodes)-1], last: nodes[len(nodes)-1]}, nil
}
