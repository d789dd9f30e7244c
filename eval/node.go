package eval

import (
	"fruix.dev/fruix/lang"
)

// frame is the run-time environment of one lambda call: its slots (the
// parameters, then the let-bound variables of its body) and the frame of
// the closure it was called through. A frame of up to maxInline slots is
// allocated together with its slots, in one object of just that size.
type frame struct {
	vals []lang.Value
	up   *frame
	// captured is set when a closure (or promise) closes over the frame;
	// until then a tail call may reuse it for the callee's frame, and it
	// is recycled when its call returns.
	captured bool
	inline   int8 // the number of slots allocated with the frame; 0: vals is separate
}

const maxInline = 4

type (
	frame1 struct {
		frame
		slots [1]lang.Value
	}
	frame2 struct {
		frame
		slots [2]lang.Value
	}
	frame3 struct {
		frame
		slots [3]lang.Value
	}
	frame4 struct {
		frame
		slots [4]lang.Value
	}
)

func newFrame(n int, up *frame) *frame {
	switch n {
	case 0:
		return &frame{up: up}
	case 1:
		f := &frame1{}
		f.vals, f.up, f.inline = f.slots[:], up, 1
		return &f.frame
	case 2:
		f := &frame2{}
		f.vals, f.up, f.inline = f.slots[:], up, 2
		return &f.frame
	case 3:
		f := &frame3{}
		f.vals, f.up, f.inline = f.slots[:], up, 3
		return &f.frame
	case 4:
		f := &frame4{}
		f.vals, f.up, f.inline = f.slots[:], up, 4
		return &f.frame
	}
	return &frame{up: up, vals: make([]lang.Value, n)}
}

// newFrame returns a frame of n slots under up, recycling a frame of
// that size that a finished call left uncaptured when one is available.
func (th *Thread) newFrame(n int, up *frame) *frame {
	if n > 0 && n <= maxInline {
		pool := &th.framePool[n-1]
		if k := len(*pool); k > 0 {
			f := (*pool)[k-1]
			*pool = (*pool)[:k-1]
			f.up = up
			return f
		}
	}
	return newFrame(n, up)
}

// releaseFrame recycles the frame of a call that has returned, unless a
// closure or promise captured it. Nothing else keeps a frame after its
// call: child frames point only to captured frames, and the tail-call
// state is consumed before a call returns.
func (th *Thread) releaseFrame(f *frame) {
	n := int(f.inline)
	if f.captured || n == 0 || len(f.vals) != n {
		return
	}
	pool := &th.framePool[n-1]
	if len(*pool) >= maxFramePool {
		return
	}
	clear(f.vals)
	f.up = nil
	*pool = append(*pool, f)
}

const maxFramePool = 64

// reuse turns fr, which nothing has captured, into the frame of a call of
// code with args, for a tail call: loops then run without allocating.
func (fr *frame) reuse(code *lambdaCode, env *frame, args []lang.Value) bool {
	n := code.frameSize
	if fr.captured || n > cap(fr.vals) {
		return false
	}
	fr.vals = fr.vals[:n]
	copy(fr.vals, args)
	clear(fr.vals[len(args):])
	fr.up = env
	return true
}

// node is compiled code. eval returns the value of the code in frame fr;
// code compiled in tail position may instead return tailMarker after
// storing a pending call in the Thread, which the trampoline of run
// carries out.
type node interface {
	eval(th *Thread, fr *frame) (lang.Value, error)
}

type tailCall struct{ _ byte }

// tailMarker is returned by tail-position calls: "a call is pending".
var tailMarker lang.Value = &tailCall{}

type constNode struct{ v lang.Value }

func (n *constNode) eval(*Thread, *frame) (lang.Value, error) { return n.v, nil }

type local0 struct{ i int }

func (n *local0) eval(_ *Thread, fr *frame) (lang.Value, error) { return fr.vals[n.i], nil }

type local1 struct{ i int }

func (n *local1) eval(_ *Thread, fr *frame) (lang.Value, error) { return fr.up.vals[n.i], nil }

type localN struct{ depth, i int }

func (n *localN) eval(_ *Thread, fr *frame) (lang.Value, error) {
	for d := n.depth; d > 0; d-- {
		fr = fr.up
	}
	return fr.vals[n.i], nil
}

// localChecked reads a letrec or internal-define slot, which may not be
// initialised yet.
type localChecked struct {
	depth, i int
	name     *lang.Symbol
	pos      lang.Pos
}

func (n *localChecked) eval(th *Thread, fr *frame) (lang.Value, error) {
	for d := n.depth; d > 0; d-- {
		fr = fr.up
	}
	if v := fr.vals[n.i]; v != nil {
		return v, nil
	}
	return nil, th.errorAt(n.pos, KindUnbound, "variable `"+n.name.Name+"' used before its definition")
}

type globalRef struct {
	cell *Cell
	pos  lang.Pos
	// scope is where the reference was compiled, for the local names a
	// "did you mean" hint may suggest.
	scope *scope
}

func (n *globalRef) eval(th *Thread, _ *frame) (lang.Value, error) {
	if v := n.cell.Value; v != nil {
		return v, nil
	}
	return nil, th.unbound(n.cell, n.pos, n.scope)
}

type localSet struct {
	depth, i int
	val      node
}

func (n *localSet) eval(th *Thread, fr *frame) (lang.Value, error) {
	v, err := n.val.eval(th, fr)
	if err != nil {
		return nil, err
	}
	for d := n.depth; d > 0; d-- {
		fr = fr.up
	}
	fr.vals[n.i] = v
	return lang.Unspec, nil
}

type globalSet struct {
	cell *Cell
	val  node
	pos  lang.Pos
}

func (n *globalSet) eval(th *Thread, fr *frame) (lang.Value, error) {
	v, err := n.val.eval(th, fr)
	if err != nil {
		return nil, err
	}
	if n.cell.Value == nil {
		return nil, th.unbound(n.cell, n.pos, nil)
	}
	n.cell.Value = v
	return lang.Unspec, nil
}

// globalDefine binds a module variable (top-level define).
type globalDefine struct {
	module *Module
	sym    *lang.Symbol
	val    node
}

func (n *globalDefine) eval(th *Thread, fr *frame) (lang.Value, error) {
	v, err := n.val.eval(th, fr)
	if err != nil {
		return nil, err
	}
	if c, ok := v.(*Closure); ok && c.code.name == "" {
		c.code.name = n.sym.Name
	}
	n.module.define(n.sym, v)
	return lang.Unspec, nil
}

type ifNode struct{ test, then, els node }

func (n *ifNode) eval(th *Thread, fr *frame) (lang.Value, error) {
	t, err := n.test.eval(th, fr)
	if err != nil {
		return nil, err
	}
	if b, ok := t.(lang.Boolean); ok && !bool(b) {
		return n.els.eval(th, fr)
	}
	return n.then.eval(th, fr)
}

type seqNode struct {
	body []node // all but the last
	last node
}

func (n *seqNode) eval(th *Thread, fr *frame) (lang.Value, error) {
	for _, b := range n.body {
		if _, err := b.eval(th, fr); err != nil {
			return nil, err
		}
	}
	return n.last.eval(th, fr)
}

// letNode evaluates inits into slots of the current frame, then the body.
type letNode struct {
	slots []int
	inits []node
	body  node
}

func (n *letNode) eval(th *Thread, fr *frame) (lang.Value, error) {
	if len(n.slots) == 1 {
		v, err := n.inits[0].eval(th, fr)
		if err != nil {
			return nil, err
		}
		fr.vals[n.slots[0]] = v
		return n.body.eval(th, fr)
	}
	var buf [8]lang.Value
	vals := buf[:0]
	for _, in := range n.inits {
		v, err := in.eval(th, fr)
		if err != nil {
			return nil, err
		}
		vals = append(vals, v)
	}
	for i, s := range n.slots {
		fr.vals[s] = vals[i]
	}
	return n.body.eval(th, fr)
}

// seqLetNode stores each init as soon as it is computed (let*, letrec*,
// internal defines).
type seqLetNode struct {
	slots []int
	inits []node
	body  node
}

func (n *seqLetNode) eval(th *Thread, fr *frame) (lang.Value, error) {
	for i, in := range n.inits {
		v, err := in.eval(th, fr)
		if err != nil {
			return nil, err
		}
		fr.vals[n.slots[i]] = v
	}
	return n.body.eval(th, fr)
}

type lambdaNode struct{ code *lambdaCode }

func (n *lambdaNode) eval(_ *Thread, fr *frame) (lang.Value, error) {
	fr.captured = true
	return &Closure{code: n.code, env: fr}, nil
}

type andNode struct{ parts []node }

func (n *andNode) eval(th *Thread, fr *frame) (lang.Value, error) {
	last := len(n.parts) - 1
	for i, p := range n.parts {
		v, err := p.eval(th, fr)
		if err != nil || i == last {
			return v, err
		}
		if b, ok := v.(lang.Boolean); ok && !bool(b) {
			return v, nil
		}
	}
	return lang.True, nil
}

type orNode struct{ parts []node }

func (n *orNode) eval(th *Thread, fr *frame) (lang.Value, error) {
	last := len(n.parts) - 1
	for i, p := range n.parts {
		v, err := p.eval(th, fr)
		if err != nil || i == last {
			return v, err
		}
		if b, ok := v.(lang.Boolean); !ok || bool(b) {
			return v, nil
		}
	}
	return lang.False, nil
}

// whenNode is (when test body...) and, with negate, unless.
type whenNode struct {
	test   node
	body   node
	negate bool
}

func (n *whenNode) eval(th *Thread, fr *frame) (lang.Value, error) {
	t, err := n.test.eval(th, fr)
	if err != nil {
		return nil, err
	}
	if lang.IsTrue(t) != n.negate {
		return n.body.eval(th, fr)
	}
	return lang.Unspec, nil
}
