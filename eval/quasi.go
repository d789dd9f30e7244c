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
	items, err := spliced(th, n.pos, l)
	if err != nil {
		return nil, err
	}
	for i := len(items) - 1; i >= 0; i-- {
		r = &lang.Pair{Car: items[i], Cdr: r}
	}
	return r, nil
}

// spliced returns the items of l, the value of an unquote-splicing, or
// an error at pos if l is not a proper list (a circular one included,
// which would be copied for ever).
func spliced(th *Thread, pos lang.Pos, l lang.Value) ([]lang.Value, error) {
	items, tail, circular := lang.ListItems(l)
	if circular {
		return nil, th.errorAt(pos, KindWrongType, "unquote-splicing: want proper list, got a circular list")
	}
	if _, proper := tail.(*lang.Null); !proper {
		return nil, th.errorAt(pos, KindWrongType, "unquote-splicing: want proper list, got "+lang.TypeName(l))
	}
	return items, nil
}

// qqVector is a vector template with unquotes; list builds its items.
// The list is new but for a template ending in ,@x, where it may be x.
type qqVector struct {
	list node
	pos  lang.Pos
}

func (n *qqVector) eval(th *Thread, fr *frame) (lang.Value, error) {
	l, err := n.list.eval(th, fr)
	if err != nil {
		return nil, err
	}
	items, err := spliced(th, n.pos, l)
	if err != nil {
		return nil, err
	}
	return &lang.Vector{Items: items}, nil
}

func compileQuasiquote(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	a, err := c.args(form, 1, 1, "(quasiquote template)")
	if err != nil {
		return nil, err
	}
	if !hasUnquote(a[0]) {
		return &constNode{stripSyntax(a[0])}, nil
	}
	if containsItself(a[0]) {
		// Building the template's value would go round it for ever.
		return nil, c.syntaxError(form, "quasiquote: the template contains itself and holds unquote; expected finite data around unquote and unquote-splicing, not a circular list or vector")
	}
	return c.qqWithUnquote(a[0], 1, s)
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

// hasUnquote reports whether template x holds unquote or
// unquote-splicing, at any depth. It terminates on a template that
// contains itself (#0=(a . #0#)), reporting false for a cycle that holds
// neither.
func hasUnquote(x lang.Value) bool { return anyInDatum(x, startsWithUnquote) }

// startsWithUnquote reports whether v is a pair whose car names unquote
// or unquote-splicing.
func startsWithUnquote(v lang.Value) bool {
	p, ok := v.(*lang.Pair)
	return ok && isUnquoteName(p.Car)
}

// isUnquoteName reports whether x names unquote or unquote-splicing.
func isUnquoteName(x lang.Value) bool {
	if !isIdent(x) {
		return false
	}
	n := baseSymbol(x).Name
	return n == "unquote" || n == "unquote-splicing"
}

// qq compiles template x at quasiquote depth depth: to a constant if it
// holds no unquote.
func (c *compiler) qq(x lang.Value, depth int, s *scope) (node, error) {
	if !hasUnquote(x) {
		return &constNode{stripSyntax(x)}, nil
	}
	return c.qqWithUnquote(x, depth, s)
}

// qqWithUnquote compiles template x, which holds an unquote and does not
// contain itself.
func (c *compiler) qqWithUnquote(x lang.Value, depth int, s *scope) (node, error) {
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
		// The unquote is in the car or in the cdr. When it is not in the
		// car, the cdr is not searched for it again: searching the rest
		// of a list at every pair took time quadratic in its length.
		var car, cdr node
		var err error
		carHolds := hasUnquote(v.Car)
		if carHolds {
			if car, err = c.qqWithUnquote(v.Car, depth, s); err != nil {
				return nil, err
			}
		} else {
			car = &constNode{stripSyntax(v.Car)}
		}
		if carHolds || isUnquoteName(v.Car) {
			cdr, err = c.qq(v.Cdr, depth, s)
		} else {
			cdr, err = c.qqWithUnquote(v.Cdr, depth, s)
		}
		if err != nil {
			return nil, err
		}
		return &qqCons{car: car, cdr: cdr}, nil
	case *lang.Vector:
		l, err := c.qq(lang.List(v.Items...), depth, s)
		if err != nil {
			return nil, err
		}
		return &qqVector{list: l, pos: c.pos}, nil
	}
	return &constNode{stripSyntax(x)}, nil
}

func (c *compiler) qqList(head lang.Value, inner node) node {
	return &qqCons{car: &constNode{head}, cdr: &qqCons{car: inner, cdr: &constNode{lang.Nil}}}
}
