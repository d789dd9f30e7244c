package eval

import (
	"errors"

	"fruix.dev/fruix/lang"
)

// The core special forms. Each compile function takes the whole form.

func (c *compiler) coreIdent(name string) lang.Value {
	return &alias{sym: lang.Intern(name), module: c.th.core}
}

// coreCall builds (name args...) where name refers to the core module's
// binding whatever the user has bound.
func (c *compiler) coreCall(name string, args ...lang.Value) lang.Value {
	return &lang.Pair{Car: c.coreIdent(name), Cdr: lang.List(args...), Pos: c.pos}
}

func (c *compiler) form(head string, rest ...lang.Value) *lang.Pair {
	return &lang.Pair{Car: c.coreIdent(head), Cdr: lang.List(rest...), Pos: c.pos}
}

// isCore reports whether identifier id means the core binding name in s:
// it is spelled name and is either unbound or bound to the core's value.
func (c *compiler) isCore(id lang.Value, name string, s *scope) bool {
	if !isIdent(id) || baseSymbol(id).Name != name {
		return false
	}
	b, cell := lookupIdent(id, s, c.module)
	if b != nil {
		return false
	}
	if cell == nil || cell.Value == nil {
		return true
	}
	core := c.th.core.vars[lang.Intern(name)]
	return core != nil && cell.Value == core.Value
}

// args returns the operands of form, checking their number.
func (c *compiler) args(form *lang.Pair, min, max int, usage string) ([]lang.Value, error) {
	items, err := c.listItems(form, form.Cdr, formName(form))
	if err != nil {
		return nil, err
	}
	if len(items) < min || (max >= 0 && len(items) > max) {
		return nil, c.syntaxError(form, "bad %s form: expected %s", formName(form), usage)
	}
	return items, nil
}

// formName returns the keyword of form: its head identifier, or the
// name in a head (@ (module) name).
func formName(form *lang.Pair) string {
	head := form.Car
	for {
		if isIdent(head) {
			return baseSymbol(head).Name
		}
		p, ok := head.(*lang.Pair)
		if !ok {
			return "form"
		}
		// (@ (module) name): the last element.
		for {
			next, ok := p.Cdr.(*lang.Pair)
			if !ok {
				break
			}
			p = next
		}
		if !isIdent(p.Car) {
			return "form"
		}
		head = p.Car
	}
}

func compileQuote(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	a, err := c.args(form, 1, 1, "(quote datum)")
	if err != nil {
		return nil, err
	}
	return &constNode{literal(stripSyntax(a[0]))}, nil
}

func compileIf(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	a, err := c.args(form, 2, 3, "(if test consequent [alternative])")
	if err != nil {
		return nil, err
	}
	test, err := c.compile(a[0], s, false)
	if err != nil {
		return nil, err
	}
	then, err := c.compile(a[1], s, tail)
	if err != nil {
		return nil, err
	}
	var els node = &constNode{lang.Unspec}
	if len(a) == 3 {
		if els, err = c.compile(a[2], s, tail); err != nil {
			return nil, err
		}
	}
	if p, ok := test.(*prim2Node); ok && !p.tail {
		switch p.op {
		case opLt, opGt, opLe, opGe, opNumEq:
			return &ifCompareNode{cmp: p, then: then, els: els}, nil
		}
	}
	return &ifNode{test: test, then: then, els: els}, nil
}

func compileDefine(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	name := formName(form)
	if !s.toplevel {
		return nil, c.syntaxError(form, "%s: not allowed here (definitions go at the start of a body or at top level)", name)
	}
	id, val, err := c.parseDefine(form, name == "define*")
	if err != nil {
		return nil, err
	}
	sym := baseSymbol(id)
	// Declare the variable first, so that the value's own references
	// (a recursive procedure) and later forms compile to this module's
	// cell rather than to an imported binding of the same name.
	cell := c.module.vars[sym]
	if cell == nil {
		cell = &Cell{Name: sym, owner: c.module}
		c.module.vars[sym] = cell
	}
	cell.declared = true
	c.nameHint = sym.Name
	n, err := c.compile(val, s, false)
	c.nameHint = ""
	if err != nil {
		return nil, err
	}
	if name == "define-public" {
		c.module.exports[sym] = sym
	}
	return &globalDefine{module: c.module, sym: sym, val: n}, nil
}

func compileSet(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	a, err := c.args(form, 2, 2, "(set! variable expression)")
	if err != nil {
		return nil, err
	}
	if !isIdent(a[0]) {
		return nil, c.syntaxError(form, "set!: expected a variable, got %s", writeString(stripSyntax(a[0])))
	}
	val, err := c.compile(a[1], s, false)
	if err != nil {
		return nil, err
	}
	b, cell := lookupIdent(a[0], s, c.module)
	if b != nil {
		if b.kind != bindVar {
			return nil, c.syntaxError(form, "set!: `%s' is syntax, not a variable", b.name.Name)
		}
		d, err := c.frameDepth(s.fi, b.fi)
		if err != nil {
			return nil, err
		}
		return &localSet{depth: d, i: b.index, val: val}, nil
	}
	if cell == nil {
		m, sym := globalTarget(a[0], s, c.module)
		cell = m.cellFor(sym)
	}
	switch cell.Value.(type) {
	case *SpecialForm, *Macro:
		return nil, c.syntaxError(form, "set!: `%s' is syntax, not a variable", cell.Name.Name)
	}
	return &globalSet{cell: cell, val: val, pos: c.pos}, nil
}

func compileLambdaForm(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	name := c.lambdaName
	c.lambdaName = ""
	a, err := c.listItems(form, form.Cdr, "lambda")
	if err != nil {
		return nil, err
	}
	if len(a) < 2 {
		return nil, c.syntaxError(form, "bad lambda form: expected (lambda formals body...)")
	}
	star := formName(form) == "lambda*"
	code, err := c.compileLambda(form, a[0], a[1:], s, name, star)
	if err != nil {
		return nil, err
	}
	return &lambdaNode{code}, nil
}

func compileBegin(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	a, err := c.listItems(form, form.Cdr, "begin")
	if err != nil {
		return nil, err
	}
	if s.toplevel {
		// (begin) at top level splices definitions; the driver handles
		// it before compiling, so this is a nested one.
		return c.compileBody(form, a, s, tail)
	}
	return c.compileSeq(a, s, tail)
}

type letBinding struct {
	id   lang.Value
	init lang.Value
}

func (c *compiler) parseBindings(form *lang.Pair, x lang.Value, what string) ([]letBinding, error) {
	items, err := c.listItems(form, x, what)
	if err != nil {
		return nil, err
	}
	out := make([]letBinding, len(items))
	for i, it := range items {
		bp, ok := it.(*lang.Pair)
		if ok && isIdent(bp.Car) {
			switch r := bp.Cdr.(type) {
			case *lang.Pair:
				if _, ok := r.Cdr.(*lang.Null); ok {
					out[i] = letBinding{bp.Car, r.Car}
					continue
				}
			}
		}
		return nil, c.syntaxError(form, "%s: bad binding %s: expected (name value)", what, writeString(stripSyntax(it)))
	}
	return out, nil
}

func (c *compiler) compileInit(b letBinding, s *scope) (node, error) {
	c.nameHint = baseSymbol(b.id).Name
	n, err := c.compile(b.init, s, false)
	c.nameHint = ""
	return n, err
}

func compileLet(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	a, err := c.listItems(form, form.Cdr, "let")
	if err != nil {
		return nil, err
	}
	if len(a) >= 1 && isIdent(a[0]) {
		return c.compileNamedLet(form, a, s, tail)
	}
	if len(a) < 2 {
		return nil, c.syntaxError(form, "bad let form: expected (let ((name value) ...) body...)")
	}
	binds, err := c.parseBindings(form, a[0], "let")
	if err != nil {
		return nil, err
	}
	ns := newScope(s, s.fi)
	n := &letNode{}
	for _, b := range binds {
		in, err := c.compileInit(b, s)
		if err != nil {
			return nil, err
		}
		for _, prev := range ns.ids {
			if prev == b.id {
				return nil, c.syntaxError(form, "let: duplicate binding of `%s'", baseSymbol(b.id).Name)
			}
		}
		n.inits = append(n.inits, in)
		n.slots = append(n.slots, ns.bindVar(b.id).index)
	}
	if n.body, err = c.compileBody(form, a[1:], ns, tail); err != nil {
		return nil, err
	}
	if len(binds) == 0 {
		return n.body, nil
	}
	return n, nil
}

// namedLetNode runs (let name ((var init) ...) body...): it binds name to
// the loop procedure and calls it.
type namedLetNode struct {
	slot  int
	code  *lambdaCode
	inits []node
	tail  bool
	pos   lang.Pos
}

func (n *namedLetNode) eval(th *Thread, fr *frame) (lang.Value, error) {
	fr.captured = true
	cl := &Closure{code: n.code, env: fr}
	fr.vals[n.slot] = cl
	nf := th.newFrame(n.code.frameSize, fr)
	for i, in := range n.inits {
		v, err := in.eval(th, fr)
		if err != nil {
			return nil, err
		}
		nf.vals[i] = v
	}
	if n.tail {
		th.tcClosure, th.tcFrame = cl, nf
		return tailMarker, nil
	}
	v, err := th.run(cl, nf, nil, nil, n.pos)
	if err != nil {
		return nil, th.traced(err, n.code.name, n.pos)
	}
	return v, nil
}

func (c *compiler) compileNamedLet(form *lang.Pair, a []lang.Value, s *scope, tail bool) (node, error) {
	if len(a) < 3 {
		return nil, c.syntaxError(form, "bad named let: expected (let name ((var init) ...) body...)")
	}
	binds, err := c.parseBindings(form, a[1], "let")
	if err != nil {
		return nil, err
	}
	n := &namedLetNode{tail: tail, pos: c.pos}
	var vars []lang.Value
	for _, b := range binds {
		in, err := c.compileInit(b, s)
		if err != nil {
			return nil, err
		}
		n.inits = append(n.inits, in)
		vars = append(vars, b.id)
	}
	ns := newScope(s, s.fi)
	n.slot = ns.bindVar(a[0]).index
	n.code, err = c.compileLambda(form, lang.List(vars...), a[2:], ns, baseSymbol(a[0]).Name, false)
	if err != nil {
		return nil, err
	}
	return n, nil
}

func compileLetStar(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	a, err := c.listItems(form, form.Cdr, "let*")
	if err != nil {
		return nil, err
	}
	if len(a) < 2 {
		return nil, c.syntaxError(form, "bad let* form: expected (let* ((name value) ...) body...)")
	}
	binds, err := c.parseBindings(form, a[0], "let*")
	if err != nil {
		return nil, err
	}
	n := &seqLetNode{}
	cur := s
	for _, b := range binds {
		in, err := c.compileInit(b, cur)
		if err != nil {
			return nil, err
		}
		cur = newScope(cur, s.fi)
		n.inits = append(n.inits, in)
		n.slots = append(n.slots, cur.bindVar(b.id).index)
	}
	if n.body, err = c.compileBody(form, a[1:], cur, tail); err != nil {
		return nil, err
	}
	return n, nil
}

func compileLetrec(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	a, err := c.listItems(form, form.Cdr, "letrec")
	if err != nil {
		return nil, err
	}
	if len(a) < 2 {
		return nil, c.syntaxError(form, "bad letrec form: expected (letrec ((name value) ...) body...)")
	}
	binds, err := c.parseBindings(form, a[0], "letrec")
	if err != nil {
		return nil, err
	}
	ns := newScope(s, s.fi)
	n := &seqLetNode{}
	for _, b := range binds {
		bd := ns.bindVar(b.id)
		bd.maybeUnset = true
		n.slots = append(n.slots, bd.index)
	}
	for _, b := range binds {
		in, err := c.compileInit(b, ns)
		if err != nil {
			return nil, err
		}
		n.inits = append(n.inits, in)
	}
	if n.body, err = c.compileBody(form, a[1:], ns, tail); err != nil {
		return nil, err
	}
	return n, nil
}

func compileAnd(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	parts, err := compileSequence(c, form, s, tail, "and")
	if err != nil {
		return nil, err
	}
	if parts == nil {
		return &constNode{lang.True}, nil
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return &andNode{parts}, nil
}

func compileOr(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	parts, err := compileSequence(c, form, s, tail, "or")
	if err != nil {
		return nil, err
	}
	if parts == nil {
		return &constNode{lang.False}, nil
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return &orNode{parts}, nil
}

// compileSequence compiles the operands of and/or, the last one in tail
// position when the form is; it returns nil for a form without operands.
func compileSequence(c *compiler, form *lang.Pair, s *scope, tail bool, name string) ([]node, error) {
	a, err := c.listItems(form, form.Cdr, name)
	if err != nil || len(a) == 0 {
		return nil, err
	}
	parts := make([]node, len(a))
	for i, x := range a {
		if parts[i], err = c.compile(x, s, tail && i == len(a)-1); err != nil {
			return nil, err
		}
	}
	return parts, nil
}

func compileWhen(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	a, err := c.args(form, 1, -1, "(when test body...)")
	if err != nil {
		return nil, err
	}
	test, err := c.compile(a[0], s, false)
	if err != nil {
		return nil, err
	}
	body, err := c.compileSeq(a[1:], s, tail)
	if err != nil {
		return nil, err
	}
	return &whenNode{test: test, body: body, negate: formName(form) == "unless"}, nil
}

// callMaybeTail calls f with args, leaving the call pending when in tail
// position.
func (th *Thread) callMaybeTail(f lang.Value, args []lang.Value, pos lang.Pos, tail bool) (lang.Value, error) {
	if tail {
		th.tcProc, th.tcArgs, th.tcPos = f, args, pos
		return tailMarker, nil
	}
	v, err := th.apply(f, args, pos)
	if err != nil {
		return nil, th.traced(err, ProcedureName(f), pos)
	}
	return v, nil
}

// arrowNode is a cond clause (test => receiver).
type arrowNode struct {
	test, recv, rest node
	tail             bool
	pos              lang.Pos
}

func (n *arrowNode) eval(th *Thread, fr *frame) (lang.Value, error) {
	v, err := n.test.eval(th, fr)
	if err != nil {
		return nil, err
	}
	if !lang.IsTrue(v) {
		return n.rest.eval(th, fr)
	}
	f, err := n.recv.eval(th, fr)
	if err != nil {
		return nil, err
	}
	return th.callMaybeTail(f, []lang.Value{v}, n.pos, n.tail)
}

func compileCond(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	clauses, err := c.listItems(form, form.Cdr, "cond")
	if err != nil {
		return nil, err
	}
	return c.condClauses(form, clauses, s, tail, nil)
}

// condClauses compiles cond clauses; fallback runs when none applies
// (nil: the value is unspecified).
func (c *compiler) condClauses(form *lang.Pair, clauses []lang.Value, s *scope, tail bool, fallback node) (node, error) {
	if len(clauses) == 0 {
		if fallback != nil {
			return fallback, nil
		}
		return &constNode{lang.Unspec}, nil
	}
	cl, err := c.listItems(form, clauses[0], "cond clause")
	if err != nil || len(cl) == 0 {
		return nil, c.syntaxError(form, "cond: bad clause %s: expected (test body...)", writeString(stripSyntax(clauses[0])))
	}
	if c.isCore(cl[0], "else", s) {
		if len(clauses) > 1 {
			return nil, c.syntaxError(form, "cond: else clause must be last")
		}
		if len(cl) == 3 && c.isCore(cl[1], "=>", s) {
			// (else => f) as in guard: f gets #t.
			cl[0] = lang.True
		} else {
			return c.compileSeq(cl[1:], s, tail)
		}
	}
	rest, err := c.condClauses(form, clauses[1:], s, tail, fallback)
	if err != nil {
		return nil, err
	}
	test, err := c.compile(cl[0], s, false)
	if err != nil {
		return nil, err
	}
	if len(cl) == 1 {
		return &orNode{[]node{test, rest}}, nil
	}
	if c.isCore(cl[1], "=>", s) {
		if len(cl) != 3 {
			return nil, c.syntaxError(form, "cond: bad => clause: expected (test => receiver)")
		}
		recv, err := c.compile(cl[2], s, false)
		if err != nil {
			return nil, err
		}
		return &arrowNode{test: test, recv: recv, rest: rest, tail: tail, pos: c.pos}, nil
	}
	body, err := c.compileSeq(cl[1:], s, tail)
	if err != nil {
		return nil, err
	}
	return &ifNode{test: test, then: body, els: rest}, nil
}

// caseNode is (case key clause...).
type caseNode struct {
	key     node
	data    [][]lang.Value
	bodies  []node
	arrows  []bool
	els     node
	elArrow bool
	tail    bool
	pos     lang.Pos
}

func (n *caseNode) eval(th *Thread, fr *frame) (lang.Value, error) {
	k, err := n.key.eval(th, fr)
	if err != nil {
		return nil, err
	}
	for i, data := range n.data {
		for _, d := range data {
			if lang.Eqv(k, d) {
				return n.run(th, fr, n.bodies[i], n.arrows[i], k)
			}
		}
	}
	if n.els == nil {
		return lang.Unspec, nil
	}
	return n.run(th, fr, n.els, n.elArrow, k)
}

func (n *caseNode) run(th *Thread, fr *frame, body node, arrow bool, k lang.Value) (lang.Value, error) {
	if !arrow {
		return body.eval(th, fr)
	}
	f, err := body.eval(th, fr)
	if err != nil {
		return nil, err
	}
	return th.callMaybeTail(f, []lang.Value{k}, n.pos, n.tail)
}

func compileCase(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	a, err := c.args(form, 1, -1, "(case key clause...)")
	if err != nil {
		return nil, err
	}
	n := &caseNode{tail: tail, pos: c.pos}
	if n.key, err = c.compile(a[0], s, false); err != nil {
		return nil, err
	}
	for i, clause := range a[1:] {
		cl, err := c.listItems(form, clause, "case clause")
		if err != nil || len(cl) < 2 {
			return nil, c.syntaxError(form, "case: bad clause %s: expected ((datum...) body...)", writeString(stripSyntax(clause)))
		}
		arrow := len(cl) == 3 && c.isCore(cl[1], "=>", s)
		var body node
		if arrow {
			body, err = c.compile(cl[2], s, false)
		} else {
			body, err = c.compileSeq(cl[1:], s, tail)
		}
		if err != nil {
			return nil, err
		}
		if c.isCore(cl[0], "else", s) {
			if i != len(a)-2 {
				return nil, c.syntaxError(form, "case: else clause must be last")
			}
			n.els, n.elArrow = body, arrow
			continue
		}
		data, err := c.listItems(form, cl[0], "case clause data")
		if err != nil {
			return nil, err
		}
		for j := range data {
			data[j] = stripSyntax(data[j])
		}
		n.data = append(n.data, data)
		n.bodies = append(n.bodies, body)
		n.arrows = append(n.arrows, arrow)
	}
	return n, nil
}

func expandDo(c *compiler, form *lang.Pair, s *scope) (lang.Value, error) {
	a, err := c.args(form, 2, -1, "(do ((var init step)...) (test expr...) command...)")
	if err != nil {
		return nil, err
	}
	specs, err := c.listItems(form, a[0], "do")
	if err != nil {
		return nil, err
	}
	loop := c.th.Gensym("do-loop")
	var binds, steps []lang.Value
	for _, sp := range specs {
		parts, err := c.listItems(form, sp, "do binding")
		if err != nil || len(parts) < 2 || len(parts) > 3 || !isIdent(parts[0]) {
			return nil, c.syntaxError(form, "do: bad binding %s: expected (var init [step])", writeString(stripSyntax(sp)))
		}
		binds = append(binds, lang.List(parts[0], parts[1]))
		if len(parts) == 3 {
			steps = append(steps, parts[2])
		} else {
			steps = append(steps, parts[0])
		}
	}
	exit, err := c.listItems(form, a[1], "do exit clause")
	if err != nil || len(exit) == 0 {
		return nil, c.syntaxError(form, "do: bad exit clause: expected (test expr...)")
	}
	result := append([]lang.Value{c.form("if", lang.False, lang.False)}, exit[1:]...)
	body := append(append([]lang.Value{}, a[2:]...), &lang.Pair{Car: loop, Cdr: lang.List(steps...)})
	return c.form("let", loop, lang.List(binds...),
		c.form("if", exit[0],
			&lang.Pair{Car: c.coreIdent("begin"), Cdr: lang.List(result...)},
			&lang.Pair{Car: c.coreIdent("begin"), Cdr: lang.List(body...)})), nil
}

// delayNode makes a promise from compiled thunk code.
type delayNode struct {
	code  *lambdaCode
	delay bool
}

func (n *delayNode) eval(_ *Thread, fr *frame) (lang.Value, error) {
	fr.captured = true
	return &Promise{st: &promiseState{thunk: &Closure{code: n.code, env: fr}, delay: n.delay}}, nil
}

func compileDelay(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	a, err := c.args(form, 1, 1, "(delay expression)")
	if err != nil {
		return nil, err
	}
	code, err := c.compileLambda(form, lang.Nil, a, s, "", false)
	if err != nil {
		return nil, err
	}
	return &delayNode{code: code, delay: formName(form) != "delay-force" && formName(form) != "make-promise-lazy"}, nil
}

// force forces promise p iteratively, so chains of delay-force run in
// constant space (R7RS).
func (th *Thread) force(v lang.Value, pos lang.Pos) (lang.Value, error) {
	p, ok := v.(*Promise)
	if !ok {
		return v, nil
	}
	for {
		st := p.st
		if st.done {
			return st.value, nil
		}
		r, err := th.apply(st.thunk, nil, pos)
		if err != nil {
			return nil, err
		}
		if p.st.done {
			return p.st.value, nil
		}
		if st.delay {
			st.done, st.value, st.thunk = true, r, nil
			return r, nil
		}
		q, ok := r.(*Promise)
		if !ok {
			st.done, st.value, st.thunk = true, r, nil
			return r, nil
		}
		qs := q.st
		st.done, st.value, st.thunk, st.delay = qs.done, qs.value, qs.thunk, qs.delay
		q.st = st
	}
}

// paramNode is (parameterize ((param value) ...) body...).
type paramNode struct {
	params, vals []node
	body         node
	pos          lang.Pos
}

func (n *paramNode) eval(th *Thread, fr *frame) (lang.Value, error) {
	saved := th.params
	bindings := saved
	for i := range n.params {
		pv, err := n.params[i].eval(th, fr)
		if err != nil {
			return nil, err
		}
		p, ok := pv.(*Parameter)
		if !ok {
			return nil, th.errorAt(n.pos, KindWrongType, "parameterize: want parameter, got "+lang.TypeName(pv))
		}
		v, err := n.vals[i].eval(th, fr)
		if err != nil {
			return nil, err
		}
		if p.converter != nil {
			if v, err = th.apply(p.converter, []lang.Value{v}, n.pos); err != nil {
				return nil, err
			}
		}
		bindings = &paramBinding{param: p, value: v, next: bindings}
	}
	th.params = bindings
	v, err := n.body.eval(th, fr)
	th.params = saved
	return v, err
}

func compileParameterize(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	a, err := c.args(form, 2, -1, "(parameterize ((param value) ...) body...)")
	if err != nil {
		return nil, err
	}
	items, err := c.listItems(form, a[0], "parameterize")
	if err != nil {
		return nil, err
	}
	n := &paramNode{pos: c.pos}
	for _, it := range items {
		parts, err := c.listItems(form, it, "parameterize binding")
		if err != nil || len(parts) != 2 {
			return nil, c.syntaxError(form, "parameterize: bad binding %s: expected (param value)", writeString(stripSyntax(it)))
		}
		p, err := c.compile(parts[0], s, false)
		if err != nil {
			return nil, err
		}
		v, err := c.compile(parts[1], s, false)
		if err != nil {
			return nil, err
		}
		n.params = append(n.params, p)
		n.vals = append(n.vals, v)
	}
	if n.body, err = c.compileBody(form, a[1:], newScope(s, s.fi), false); err != nil {
		return nil, err
	}
	return n, nil
}

// assertNode is (assert expr).
type assertNode struct {
	expr node
	text string
	pos  lang.Pos
}

func (n *assertNode) eval(th *Thread, fr *frame) (lang.Value, error) {
	v, err := n.expr.eval(th, fr)
	if err != nil {
		return nil, err
	}
	if !lang.IsTrue(v) {
		return nil, th.errorAt(n.pos, KindAssertion, "assertion failed: "+n.text)
	}
	return lang.Unspec, nil
}

func compileAssert(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	a, err := c.args(form, 1, 1, "(assert expression)")
	if err != nil {
		return nil, err
	}
	e, err := c.compile(a[0], s, false)
	if err != nil {
		return nil, err
	}
	return &assertNode{expr: e, text: writeString(stripSyntax(a[0])), pos: c.pos}, nil
}

// CaseLambda is a procedure made by case-lambda: the first clause whose
// arity accepts the arguments runs.
type CaseLambda struct {
	name    string
	clauses []*Closure
}

// TypeName implements lang.Named.
func (*CaseLambda) TypeName() string { return "procedure" }

func (c *CaseLambda) String() string { return "#<procedure " + procLabel(c.name) + ">" }

func (c *CaseLambda) pick(n int) *Closure {
	for _, cl := range c.clauses {
		max := cl.code.maxArgs()
		if n >= cl.code.minArgs() && (max < 0 || n <= max) {
			return cl
		}
	}
	return nil
}

type caseLambdaNode struct {
	name  string
	codes []*lambdaCode
}

func (n *caseLambdaNode) eval(_ *Thread, fr *frame) (lang.Value, error) {
	fr.captured = true
	cl := &CaseLambda{name: n.name, clauses: make([]*Closure, len(n.codes))}
	for i, code := range n.codes {
		cl.clauses[i] = &Closure{code: code, env: fr}
	}
	return cl, nil
}

func compileCaseLambda(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	name := c.lambdaName
	c.lambdaName = ""
	a, err := c.args(form, 0, -1, "(case-lambda (formals body...) ...)")
	if err != nil {
		return nil, err
	}
	n := &caseLambdaNode{name: name}
	for _, cl := range a {
		parts, err := c.listItems(form, cl, "case-lambda clause")
		if err != nil || len(parts) < 2 {
			return nil, c.syntaxError(form, "case-lambda: bad clause: expected (formals body...)")
		}
		code, err := c.compileLambda(form, parts[0], parts[1:], s, name, false)
		if err != nil {
			return nil, err
		}
		n.codes = append(n.codes, code)
	}
	return n, nil
}

// guardNode is (guard (var clause...) body...).
type guardNode struct {
	body    node
	slot    int // the condition variable
	exSlot  int // the caught *Exception, for re-raising
	handler node
}

func (n *guardNode) eval(th *Thread, fr *frame) (lang.Value, error) {
	savedH, savedP, savedD := th.handlers, th.params, th.depth
	th.handlers = &handlerEntry{guard: &guardMark{}, next: savedH}
	v, err := n.body.eval(th, fr)
	th.handlers = savedH
	if err == nil {
		return v, nil
	}
	var ex *Exception
	if !errors.As(err, &ex) || ex.fatal {
		return nil, err
	}
	th.params, th.depth = savedP, savedD
	th.tcClosure, th.tcFrame, th.tcProc, th.tcArgs = nil, nil, nil, nil
	fr.vals[n.slot] = ex.Payload
	fr.vals[n.exSlot] = ex
	return n.handler.eval(th, fr)
}

// reraiseNode re-raises the condition a guard caught when no clause
// applies, with raise-continuable (R7RS).
type reraiseNode struct{ exSlot int }

func (n *reraiseNode) eval(th *Thread, fr *frame) (lang.Value, error) {
	ex := fr.vals[n.exSlot].(*Exception)
	if th.handlers == nil || th.handlers.guard != nil {
		return nil, ex
	}
	return th.raise(ex.Payload, true, ex.Pos)
}

func compileGuard(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	a, err := c.args(form, 2, -1, "(guard (var clause...) body...)")
	if err != nil {
		return nil, err
	}
	spec, ok := a[0].(*lang.Pair)
	if !ok || !isIdent(spec.Car) {
		return nil, c.syntaxError(form, "guard: expected (guard (var clause...) body...)")
	}
	clauses, err := c.listItems(form, spec.Cdr, "guard clauses")
	if err != nil {
		return nil, err
	}
	body, err := c.compileBody(form, a[1:], newScope(s, s.fi), false)
	if err != nil {
		return nil, err
	}
	hs := newScope(s, s.fi)
	slot := hs.bindVar(spec.Car).index
	exSlot := s.fi.alloc()
	handler, err := c.condClauses(form, clauses, hs, tail, &reraiseNode{exSlot: exSlot})
	if err != nil {
		return nil, err
	}
	return &guardNode{body: body, slot: slot, exSlot: exSlot, handler: handler}, nil
}
