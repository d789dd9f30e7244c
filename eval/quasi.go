package eval

import (
	"fruix.dev/fruix/lang"
)

// Quasiquote compiles to nodes that build only the parts of the template
// that contain unquotes; constant parts are shared literals.

type qqCons struct{ car, cdr node }

func (n *qqCons) eval(th *Thread, fr *frame) (lang.Value, error) {
	a, err := n.car.eval(th, fr)
	if err != nil {
		return nil, err
	}
	d, err := n.cdr.eval(th, fr)
	if err != nil {
		return nil, err
	}
	return &lang.Pair{Car: a, Cdr: d}, nil
}

// qqAppend is ,@list followed by more of the template.
type qqAppend struct {
	list, rest node
	pos        lang.Pos
}

func (n *qqAppend) eval(th *Thread, fr *frame) (lang.Value, error) {
	l, err := n.list.eval(th, fr)
	if err != nil {
		return nil, err
	}
	r, err := n.rest.eval(th, fr)
	if err != nil {
		return nil, err
	}
	if _, ok := r.(*lang.Null); ok {
		if _, ok := l.(*lang.Pair); ok || l == lang.Value(lang.Nil) {
			return l, nil
		}
	}
	var items []lang.Value
	x := l
	for {
		p, ok := x.(*lang.Pair)
		if !ok {
			break
		}
		items = append(items, p.Car)
		x = p.Cdr
	}
	if _, ok := x.(*lang.Null); !ok {
		return nil, th.errorAt(n.pos, KindWrongType, "unquote-splicing: want proper list, got "+lang.TypeName(l))
	}
	for i := len(items) - 1; i >= 0; i-- {
		r = &lang.Pair{Car: items[i], Cdr: r}
	}
	return r, nil
}

type qqVector struct{ list node }

func (n *qqVector) eval(th *Thread, fr *frame) (lang.Value, error) {
	l, err := n.list.eval(th, fr)
	if err != nil {
		return nil, err
	}
	var items []lang.Value
	for p, ok := l.(*lang.Pair); ok; p, ok = p.Cdr.(*lang.Pair) {
		items = append(items, p.Car)
	}
	return &lang.Vector{Items: items}, nil
}

func compileQuasiquote(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	a, err := c.args(form, 1, 1, "(quasiquote template)")
	if err != nil {
		return nil, err
	}
	return c.qq(a[0], 1, s)
}

// unquoteArg returns x's operand if x is (name operand) with name the
// core keyword.
func (c *compiler) unquoteArg(x lang.Value, name string, s *scope) (lang.Value, bool) {
	p, ok := x.(*lang.Pair)
	if !ok || !c.isCore(p.Car, name, s) {
		return nil, false
	}
	r, ok := p.Cdr.(*lang.Pair)
	if !ok {
		return nil, false
	}
	if _, ok := r.Cdr.(*lang.Null); !ok {
		return nil, false
	}
	return r.Car, true
}

func (c *compiler) hasUnquote(x lang.Value, s *scope) bool {
	switch v := x.(type) {
	case *lang.Pair:
		for {
			if isIdent(v.Car) {
				n := baseSymbol(v.Car).Name
				if n == "unquote" || n == "unquote-splicing" {
					return true
				}
			}
			if c.hasUnquote(v.Car, s) {
				return true
			}
			next, ok := v.Cdr.(*lang.Pair)
			if !ok {
				return false
			}
			v = next
		}
	case *lang.Vector:
		for _, it := range v.Items {
			if c.hasUnquote(it, s) {
				return true
			}
		}
	}
	return false
}

func (c *compiler) qq(x lang.Value, depth int, s *scope) (node, error) {
	if !c.hasUnquote(x, s) {
		return &constNode{stripSyntax(x)}, nil
	}
	switch v := x.(type) {
	case *lang.Pair:
		if arg, ok := c.unquoteArg(v, "unquote", s); ok {
			if depth == 1 {
				return c.compile(arg, s, false)
			}
			inner, err := c.qq(arg, depth-1, s)
			if err != nil {
				return nil, err
			}
			return c.qqList(lang.Intern("unquote"), inner), nil
		}
		if arg, ok := c.unquoteArg(v, "quasiquote", s); ok {
			inner, err := c.qq(arg, depth+1, s)
			if err != nil {
				return nil, err
			}
			return c.qqList(lang.Intern("quasiquote"), inner), nil
		}
		if arg, ok := c.unquoteArg(v.Car, "unquote-splicing", s); ok {
			rest, err := c.qq(v.Cdr, depth, s)
			if err != nil {
				return nil, err
			}
			if depth == 1 {
				l, err := c.compile(arg, s, false)
				if err != nil {
					return nil, err
				}
				return &qqAppend{list: l, rest: rest, pos: c.pos}, nil
			}
			inner, err := c.qq(arg, depth-1, s)
			if err != nil {
				return nil, err
			}
			return &qqCons{car: c.qqList(lang.Intern("unquote-splicing"), inner), cdr: rest}, nil
		}
		car, err := c.qq(v.Car, depth, s)
		if err != nil {
			return nil, err
		}
		cdr, err := c.qq(v.Cdr, depth, s)
		if err != nil {
			return nil, err
		}
		return &qqCons{car: car, cdr: cdr}, nil
	case *lang.Vector:
		l, err := c.qq(lang.List(v.Items...), depth, s)
		if err != nil {
			return nil, err
		}
		return &qqVector{list: l}, nil
	}
	return &constNode{stripSyntax(x)}, nil
}

func (c *compiler) qqList(head lang.Value, inner node) node {
	return &qqCons{car: &constNode{head}, cdr: &qqCons{car: inner, cdr: &constNode{lang.Nil}}}
}
