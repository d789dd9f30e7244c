package eval

import (
	"fruix.dev/fruix/lang"
)

// callNode is a call in non-tail position.
type callNode struct {
	fn   node
	args []node
	pos  lang.Pos
	// global is the cell of the operator when it is a module variable,
	// read directly rather than through fn.
	global *Cell
}

func (n *callNode) eval(th *Thread, fr *frame) (lang.Value, error) {
	var f lang.Value
	if n.global != nil && n.global.Value != nil {
		f = n.global.Value
	} else {
		var err error
		if f, err = n.fn.eval(th, fr); err != nil {
			return nil, err
		}
	}
	cl, ok := f.(*Closure)
	if !ok || !cl.code.simple || cl.code.nreq != len(n.args) {
		return n.slow(th, fr, f)
	}
	nf := th.newFrame(cl.code.frameSize, cl.env)
	for i, a := range n.args {
		v, err := a.eval(th, fr)
		if err != nil {
			return nil, err
		}
		nf.vals[i] = v
	}
	v, err := th.runClosure(cl, nf)
	if err != nil {
		return nil, th.traced(err, cl.code.name, n.pos)
	}
	return v, nil
}

// slow is the general case of a call: any procedure, any arity.
func (n *callNode) slow(th *Thread, fr *frame, f lang.Value) (lang.Value, error) {
	if b, ok := f.(*Builtin); ok && b.MaxArgs >= 0 && b.MaxArgs <= maxStackArgs {
		v, err := th.callBuiltinStacked(b, n.args, fr, n.pos)
		if v == tailMarker {
			v, err = th.run(nil, nil, nil, nil, n.pos)
		}
		if err != nil {
			return nil, th.traced(err, b.Name, n.pos)
		}
		return v, nil
	}
	args, err := evalArgs(th, fr, n.args)
	if err != nil {
		return nil, err
	}
	var v lang.Value
	if b, ok := f.(*Builtin); ok {
		v, err = th.callBuiltin(b, args, n.pos)
		if v == tailMarker {
			v, err = th.run(nil, nil, nil, nil, n.pos)
		}
	} else {
		v, err = th.apply(f, args, n.pos)
	}
	if err != nil {
		return nil, th.traced(err, ProcedureName(f), n.pos)
	}
	return v, nil
}

// maxStackArgs is the largest fixed arity of builtins whose arguments
// are passed in the Thread's argument stack rather than a fresh slice.
// Builtins of fixed small arity use their arguments during the call only;
// variadic ones (list, vector...) may keep the slice and get their own.
const maxStackArgs = 4

// callBuiltinStacked evaluates the arguments of a call of b onto the
// Thread's argument stack and calls b with them, without allocating.
func (th *Thread) callBuiltinStacked(b *Builtin, ns []node, fr *frame, pos lang.Pos) (lang.Value, error) {
	base := len(th.argStack)
	for _, a := range ns {
		v, err := a.eval(th, fr)
		if err != nil {
			th.argStack = th.argStack[:base]
			return nil, err
		}
		th.argStack = append(th.argStack, v)
	}
	args := th.argStack[base:len(th.argStack):len(th.argStack)]
	v, err := th.callBuiltin(b, args, pos)
	clear(th.argStack[base:])
	th.argStack = th.argStack[:base]
	return v, err
}

func evalArgs(th *Thread, fr *frame, ns []node) ([]lang.Value, error) {
	args := make([]lang.Value, len(ns))
	for i, a := range ns {
		v, err := a.eval(th, fr)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	return args, nil
}

// tailCallNode is a call in tail position: it leaves the call pending
// for the trampoline of the enclosing run, so loops run in constant
// space.
type tailCallNode struct {
	fn     node
	args   []node
	pos    lang.Pos
	global *Cell
}

func (n *tailCallNode) eval(th *Thread, fr *frame) (lang.Value, error) {
	var f lang.Value
	if n.global != nil && n.global.Value != nil {
		f = n.global.Value
	} else {
		var err error
		if f, err = n.fn.eval(th, fr); err != nil {
			return nil, err
		}
	}
	if cl, ok := f.(*Closure); ok && cl.code.simple && cl.code.nreq == len(n.args) {
		if len(n.args) <= 4 && !fr.captured {
			var buf [4]lang.Value
			for i, a := range n.args {
				v, err := a.eval(th, fr)
				if err != nil {
					return nil, err
				}
				buf[i] = v
			}
			// Evaluating the arguments may have captured fr.
			if fr.reuse(cl.code, cl.env, buf[:len(n.args)]) {
				th.tcClosure, th.tcFrame = cl, fr
				return tailMarker, nil
			}
			nf := th.newFrame(cl.code.frameSize, cl.env)
			copy(nf.vals, buf[:len(n.args)])
			th.tcClosure, th.tcFrame = cl, nf
			return tailMarker, nil
		}
		nf := th.newFrame(cl.code.frameSize, cl.env)
		for i, a := range n.args {
			v, err := a.eval(th, fr)
			if err != nil {
				return nil, err
			}
			nf.vals[i] = v
		}
		th.tcClosure, th.tcFrame = cl, nf
		return tailMarker, nil
	}
	if b, ok := f.(*Builtin); ok && b.MaxArgs >= 0 && b.MaxArgs <= maxStackArgs {
		v, err := th.callBuiltinStacked(b, n.args, fr, n.pos)
		if err != nil {
			return nil, th.traced(err, b.Name, n.pos)
		}
		return v, nil
	}
	args, err := evalArgs(th, fr, n.args)
	if err != nil {
		return nil, err
	}
	if b, ok := f.(*Builtin); ok {
		// A builtin does not grow the Scheme stack; a control builtin
		// such as apply may itself leave a call pending, which suits a
		// tail position.
		v, err := th.callBuiltin(b, args, n.pos)
		if err != nil {
			return nil, th.traced(err, b.Name, n.pos)
		}
		return v, nil
	}
	th.tcProc, th.tcArgs, th.tcPos = f, args, n.pos
	return tailMarker, nil
}

// runClosure runs a call of closure cl whose frame fr is filled, and
// the tail calls that follow, until a value results. It is the hot path
// of every Scheme call, kept small because its Go frame is part of the
// cost of each level of non-tail recursion.
func (th *Thread) runClosure(cl *Closure, fr *frame) (lang.Value, error) {
	if th.depth >= th.maxDepth {
		return nil, th.tooDeep(lang.Pos{})
	}
	if th.depth%depthSegment == 0 && th.depth > 0 {
		return th.runOnNewStack(cl, fr)
	}
	th.depth++
	for {
		th.budget--
		if th.budget <= 0 {
			if err := th.poll(lang.Pos{}); err != nil {
				th.depth--
				return nil, err
			}
		}
		v, err := cl.code.body.eval(th, fr)
		if err != nil || v != tailMarker {
			th.depth--
			if err == nil {
				th.releaseFrame(fr)
			}
			return v, err
		}
		if c := th.tcClosure; c != nil {
			cl, fr = c, th.tcFrame
			th.tcClosure, th.tcFrame = nil, nil
			continue
		}
		if v, cl, fr, err = th.pendingCall(); err != nil || cl == nil {
			th.depth--
			return v, err
		}
	}
}

// depthSegment is how many nested calls run on one goroutine. Go limits
// the stack of each goroutine (1 GB by default), so every depthSegment
// nested calls the evaluation continues on a fresh goroutine while the
// previous one waits: deep recursion is then bounded by MaxDepth and
// memory, not by one goroutine's stack. Half of what fits in 1 GB, it is
// a constant: runClosure takes the depth modulo it at every call, and a
// variable divisor costs a division there.
const depthSegment = (1 << 30) / stackPerCall / 2

// runOnNewStack runs a closure call on a new goroutine and waits for it.
// The Thread is still used by one goroutine at a time: the caller blocks
// until the callee's goroutine has finished with it.
func (th *Thread) runOnNewStack(cl *Closure, fr *frame) (lang.Value, error) {
	type result struct {
		v   lang.Value
		err error
	}
	done := make(chan result)
	th.depth++ // so that the new goroutine does not hop again at once
	go func() {
		v, err := th.runClosure(cl, fr)
		done <- result{v, err}
	}()
	r := <-done
	th.depth--
	return r.v, r.err
}

// pendingCall carries out a pending tail call of anything but a simple
// closure call: it returns the closure and frame to continue with, or
// the final value.
func (th *Thread) pendingCall() (lang.Value, *Closure, *frame, error) {
	for {
		if c := th.tcClosure; c != nil {
			fr := th.tcFrame
			th.tcClosure, th.tcFrame = nil, nil
			return nil, c, fr, nil
		}
		proc, args, pos := th.tcProc, th.tcArgs, th.tcPos
		th.tcProc, th.tcArgs = nil, nil
		if cl, ok := proc.(*CaseLambda); ok {
			if c := cl.pick(len(args)); c != nil {
				proc = c
			}
		}
		if c, ok := proc.(*Closure); ok {
			fr, err := th.bindArgs(c, args, pos)
			if err != nil {
				return nil, nil, nil, err
			}
			return nil, c, fr, nil
		}
		v, err := th.callOther(proc, args, pos)
		if err != nil || v != tailMarker {
			return v, nil, nil, err
		}
	}
}

// run runs a closure call (cl with its filled frame fr), or a call of any
// other procedure (proc with args), or, when both are nil, the call left
// pending in the Thread; then it carries out the tail calls that follow,
// until a value results.
func (th *Thread) run(cl *Closure, fr *frame, proc lang.Value, args []lang.Value, pos lang.Pos) (lang.Value, error) {
	if cl != nil {
		return th.runClosure(cl, fr)
	}
	if proc != nil {
		v, err := th.callOther(proc, args, pos)
		if err != nil || v != tailMarker {
			return v, err
		}
	}
	v, c, f, err := th.pendingCall()
	if err != nil || c == nil {
		return v, err
	}
	return th.runClosure(c, f)
}

// apply calls proc with args.
func (th *Thread) apply(proc lang.Value, args []lang.Value, pos lang.Pos) (lang.Value, error) {
	if cl, ok := proc.(*CaseLambda); ok {
		if c := cl.pick(len(args)); c != nil {
			proc = c
		}
	}
	if c, ok := proc.(*Closure); ok {
		fr, err := th.bindArgs(c, args, pos)
		if err != nil {
			return nil, err
		}
		return th.runClosure(c, fr)
	}
	return th.run(nil, nil, proc, args, pos)
}

// callOther calls a procedure that is not a closure.
func (th *Thread) callOther(proc lang.Value, args []lang.Value, pos lang.Pos) (lang.Value, error) {
	switch p := proc.(type) {
	case *Builtin:
		return th.callBuiltin(p, args, pos)
	case *Closure:
		fr, err := th.bindArgs(p, args, pos)
		if err != nil {
			return nil, err
		}
		return th.runClosure(p, fr)
	case *CaseLambda:
		if c := p.pick(len(args)); c != nil {
			return th.callOther(c, args, pos)
		}
		return nil, th.errorAt(pos, KindArity, procLabel(p.name)+": wrong number of arguments: no clause accepts "+itoa(int64(len(args))))
	case *Continuation:
		return nil, th.throw(p, args, pos)
	case *Parameter:
		switch len(args) {
		case 0:
			return th.ParameterValue(p), nil
		case 1:
			// Guile: calling a parameter with a value sets it in the
			// current dynamic extent.
			for b := th.params; b != nil; b = b.next {
				if b.param == p {
					b.value = args[0]
					return lang.Unspec, nil
				}
			}
			p.value = args[0]
			return lang.Unspec, nil
		}
		return nil, th.arityError("parameter", 0, 1, len(args), pos)
	}
	return nil, th.errorAt(pos, KindWrongType, "wrong type to apply: "+writeString(proc))
}

func (th *Thread) callBuiltin(b *Builtin, args []lang.Value, pos lang.Pos) (lang.Value, error) {
	if len(args) < b.MinArgs || (b.MaxArgs >= 0 && len(args) > b.MaxArgs) {
		return nil, th.arityError(b.Name, b.MinArgs, b.MaxArgs, len(args), pos)
	}
	v, err := b.Fn(th, args)
	if err != nil {
		return th.builtinFailed(err, pos)
	}
	if v == nil {
		v = lang.Unspec
	}
	return v, nil
}

// bindArgs makes the frame of a call of c with args.
func (th *Thread) bindArgs(c *Closure, args []lang.Value, pos lang.Pos) (*frame, error) {
	code := c.code
	if code.kw != nil {
		return th.bindStar(c, args, pos)
	}
	n := len(args)
	if n < code.nreq || (!code.rest && n > code.nreq) {
		return nil, th.arityError(code.name, code.minArgs(), code.maxArgs(), n, pos)
	}
	fr := th.newFrame(code.frameSize, c.env)
	copy(fr.vals, args[:code.nreq])
	if code.rest {
		var l lang.Value = lang.Nil
		for i := n - 1; i >= code.nreq; i-- {
			l = &lang.Pair{Car: args[i], Cdr: l}
		}
		fr.vals[code.nreq] = l
	}
	return fr, nil
}

// chargeExpansion counts one pair built by a macro expansion like a
// call, so that Cancel and the step limit also stop a macro whose
// expansion grows without end.
func (th *Thread) chargeExpansion(pos lang.Pos) error {
	th.budget--
	if th.budget <= 0 {
		return th.poll(pos)
	}
	return nil
}

// poll runs every pollInterval calls: it honours Cancel and the step
// limit.
func (th *Thread) poll(pos lang.Pos) error {
	th.steps += pollInterval
	th.budget = pollInterval
	if th.cancel.Load() {
		th.cancel.Store(false)
		return &Exception{Payload: NewError(KindInterrupt, "interrupted"), Pos: pos, fatal: true}
	}
	if th.opts.StepLimit > 0 && th.steps > th.opts.StepLimit {
		return &Exception{Payload: NewError(KindLimit, "step limit exceeded ("+itoa(th.opts.StepLimit)+" calls)"), Pos: pos, fatal: true}
	}
	return nil
}
