package eval

import (
	"fruix.dev/fruix/lang"
)

// Calls to a few builtins (car, +, < ...) are compiled inline when the
// operator is a module variable bound, at compile time, to the builtin of
// that name. Every run checks that the variable still holds that very
// builtin; after a set! or a redefinition the call goes through the
// variable's current value like any other call. The fast path handles the
// common case (pairs, fixnums without overflow) and otherwise calls the
// builtin, which produces the result or the error message.

type primOp uint8

const (
	opCar primOp = iota
	opCdr
	opCadr
	opCddr
	opNullP
	opPairP
	opNot
	opZeroP
	opAdd
	opSub
	opMul
	opLt
	opGt
	opLe
	opGe
	opNumEq
	opEqP
	opEqvP
	opCons
	opVectorRef
	opAdd1
	opSub1
)

var prims1 = map[string]primOp{
	"car": opCar, "cdr": opCdr, "cadr": opCadr, "cddr": opCddr, "null?": opNullP,
	"pair?": opPairP, "not": opNot, "zero?": opZeroP, "1+": opAdd1, "1-": opSub1,
}

var prims2 = map[string]primOp{
	"+": opAdd, "-": opSub, "*": opMul, "<": opLt, ">": opGt, "<=": opLe, ">=": opGe,
	"=": opNumEq, "eq?": opEqP, "eqv?": opEqvP, "cons": opCons, "vector-ref": opVectorRef,
}

func (c *compiler) inlinePrimitive(head lang.Value, s *scope, args []node, tail bool) node {
	if len(args) < 1 || len(args) > 2 {
		return nil
	}
	var cell *Cell
	switch h := head.(type) {
	case *lang.Symbol, *alias:
		var b *binding
		if b, cell = lookupIdent(head, s, c.module); b != nil {
			return nil
		}
	case *lang.Pair:
		// (@ (guile) car), as match expansions write it: inlined the
		// same way, with the same run-time check of the variable.
		if !c.isModuleRef(h, s) {
			return nil
		}
		var err error
		if cell, err = c.moduleRefCell(h, s); err != nil {
			return nil // compiling the head reports it
		}
	}
	if cell == nil {
		return nil
	}
	bi, ok := cell.Value.(*Builtin)
	if !ok {
		return nil
	}
	if len(args) == 1 {
		op, ok := prims1[bi.Name]
		if !ok {
			return nil
		}
		return &prim1Node{op: op, cell: cell, want: bi, a: args[0], pos: c.pos, tail: tail}
	}
	op, ok := prims2[bi.Name]
	if !ok {
		return nil
	}
	return &prim2Node{op: op, cell: cell, want: bi, a: args[0], b: args[1], pos: c.pos, tail: tail}
}

type prim1Node struct {
	op   primOp
	cell *Cell
	want lang.Value
	a    node
	pos  lang.Pos
	tail bool
}

func (n *prim1Node) eval(th *Thread, fr *frame) (lang.Value, error) {
	a, err := n.a.eval(th, fr)
	if err != nil {
		return nil, err
	}
	if n.cell.Value == n.want {
		switch n.op {
		case opCar:
			if p, ok := a.(*lang.Pair); ok {
				return p.Car, nil
			}
		case opCdr:
			if p, ok := a.(*lang.Pair); ok {
				return p.Cdr, nil
			}
		case opCadr:
			if p, ok := a.(*lang.Pair); ok {
				if q, ok := p.Cdr.(*lang.Pair); ok {
					return q.Car, nil
				}
			}
		case opCddr:
			if p, ok := a.(*lang.Pair); ok {
				if q, ok := p.Cdr.(*lang.Pair); ok {
					return q.Cdr, nil
				}
			}
		case opNullP:
			_, ok := a.(*lang.Null)
			return lang.MakeBool(ok), nil
		case opPairP:
			_, ok := a.(*lang.Pair)
			return lang.MakeBool(ok), nil
		case opNot:
			b, ok := a.(lang.Boolean)
			return lang.MakeBool(ok && !bool(b)), nil
		case opZeroP:
			if x, ok := a.(lang.Fixnum); ok {
				return lang.MakeBool(x == 0), nil
			}
		case opAdd1:
			if x, ok := a.(lang.Fixnum); ok && x < 1<<62 {
				return lang.MakeInt(int64(x) + 1), nil
			}
		case opSub1:
			if x, ok := a.(lang.Fixnum); ok && x > -(1<<62) {
				return lang.MakeInt(int64(x) - 1), nil
			}
		}
	}
	return n.fallback(th, a)
}

func (n *prim1Node) fallback(th *Thread, a lang.Value) (lang.Value, error) {
	f := n.cell.Value
	if f == nil {
		return nil, th.unbound(n.cell, n.pos, nil)
	}
	return th.callPrimFallback(f, []lang.Value{a}, n.pos, n.tail)
}

func (th *Thread) callPrimFallback(f lang.Value, args []lang.Value, pos lang.Pos, tail bool) (lang.Value, error) {
	if b, ok := f.(*Builtin); ok {
		v, err := th.callBuiltin(b, args, pos)
		if err != nil {
			return nil, th.traced(err, b.Name, pos)
		}
		if v == tailMarker && !tail {
			return th.run(nil, nil, nil, nil, pos)
		}
		return v, nil
	}
	return th.callMaybeTail(f, args, pos, tail)
}

type prim2Node struct {
	op   primOp
	cell *Cell
	want lang.Value
	a, b node
	pos  lang.Pos
	tail bool
}

func (n *prim2Node) eval(th *Thread, fr *frame) (lang.Value, error) {
	a, err := n.a.eval(th, fr)
	if err != nil {
		return nil, err
	}
	b, err := n.b.eval(th, fr)
	if err != nil {
		return nil, err
	}
	if n.cell.Value == n.want {
		switch n.op {
		case opCons:
			return &lang.Pair{Car: a, Cdr: b}, nil
		case opEqP:
			return lang.MakeBool(lang.Eq(a, b)), nil
		case opEqvP:
			return lang.MakeBool(lang.Eqv(a, b)), nil
		case opVectorRef:
			if v, ok := a.(*lang.Vector); ok {
				if i, ok := b.(lang.Fixnum); ok && i >= 0 && int64(i) < int64(len(v.Items)) {
					return v.Items[i], nil
				}
			}
		}
		if x, ok := a.(lang.Fixnum); ok {
			if y, ok := b.(lang.Fixnum); ok {
				switch n.op {
				case opAdd:
					if s := x + y; (s > x) == (y > 0) {
						return lang.MakeInt(int64(s)), nil
					}
				case opSub:
					if s := x - y; (s < x) == (y > 0) {
						return lang.MakeInt(int64(s)), nil
					}
				case opMul:
					if x > -(1<<31) && x < 1<<31 && y > -(1<<31) && y < 1<<31 {
						return lang.MakeInt(int64(x * y)), nil
					}
				case opLt:
					return lang.MakeBool(x < y), nil
				case opGt:
					return lang.MakeBool(x > y), nil
				case opLe:
					return lang.MakeBool(x <= y), nil
				case opGe:
					return lang.MakeBool(x >= y), nil
				case opNumEq:
					return lang.MakeBool(x == y), nil
				}
			}
		}
	}
	return n.fallback(th, a, b)
}

func (n *prim2Node) fallback(th *Thread, a, b lang.Value) (lang.Value, error) {
	f := n.cell.Value
	if f == nil {
		return nil, th.unbound(n.cell, n.pos, nil)
	}
	return th.callPrimFallback(f, []lang.Value{a, b}, n.pos, n.tail)
}

// ifCompareNode is (if (< a b) then else) and the like: when the
// comparison is the builtin's and both operands are fixnums, it branches
// without making a boolean.
type ifCompareNode struct {
	cmp       *prim2Node
	then, els node
}

func (n *ifCompareNode) eval(th *Thread, fr *frame) (lang.Value, error) {
	p := n.cmp
	a, err := p.a.eval(th, fr)
	if err != nil {
		return nil, err
	}
	b, err := p.b.eval(th, fr)
	if err != nil {
		return nil, err
	}
	if x, ok := a.(lang.Fixnum); ok && p.cell.Value == p.want {
		if y, ok := b.(lang.Fixnum); ok {
			var t bool
			switch p.op {
			case opLt:
				t = x < y
			case opGt:
				t = x > y
			case opLe:
				t = x <= y
			case opGe:
				t = x >= y
			default:
				t = x == y
			}
			if t {
				return n.then.eval(th, fr)
			}
			return n.els.eval(th, fr)
		}
	}
	v, err := p.fallback(th, a, b)
	if err != nil {
		return nil, err
	}
	if bv, ok := v.(lang.Boolean); ok && !bool(bv) {
		return n.els.eval(th, fr)
	}
	return n.then.eval(th, fr)
}
