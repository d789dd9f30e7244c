package stdlib

import (
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// The (ice-9 match) module: Guile's pattern matcher, as native macros
// that expand into core Scheme (see match_pattern.go for the pattern
// compiler). As in Guile, a program imports it with
// (use-modules (ice-9 match)); it is not part of (guile).

// matchSupportModule holds the few procedures expansions call besides
// the standard ones; it is separate so that importing (ice-9 match)
// brings in only the macros.
var matchSupportModule = []string{"fruix", "match-support"}

// InstallMatch registers (ice-9 match), the runtime support its
// expansions use, (srfi srfi-26) with cut and cute, and the combinators
// of combinators.go in (guile). Install calls it.
func InstallMatch(th *eval.Thread) {
	native := func(define func(*eval.Thread, *eval.Module)) func(*eval.Thread, *eval.Module) error {
		return func(th *eval.Thread, m *eval.Module) error { define(th, m); return nil }
	}
	th.RegisterNativeModule([]string{"ice-9", "match"}, native(defineMatchMacros))
	th.RegisterNativeModule(matchSupportModule, native(func(_ *eval.Thread, m *eval.Module) {
		m.DefineBuiltins(matchSupportBuiltins)
		// Named match, so that a backtrace shows the failing form as a
		// call of match rather than of a helper.
		m.Define("match-error", &eval.Builtin{Name: "match", MinArgs: 1, MaxArgs: 1, Fn: matchError,
			Doc: "Signals that no clause of a match form matched the value."})
	}))
	th.RegisterNativeModule([]string{"srfi", "srfi-26"}, native(defineCut))
	th.RegisterNativeModule([]string{"guile"}, native(defineCombinators))
}

func defineMatchMacros(th *eval.Thread, m *eval.Module) {
	m.DefineNativeMacro("match", expandMatchForm)
	m.DefineNativeMacro("match-lambda", expandMatchLambda)
	m.DefineNativeMacro("match-lambda*", expandMatchLambdaStar)
	m.DefineNativeMacro("match-let", expandMatchLet)
	m.DefineNativeMacro("match-let*", expandMatchLetStar)
	m.DefineNativeMacro("match-letrec", expandMatchLetrec)
}

var matchSupportBuiltins = []*eval.Builtin{
	{Name: "proper-length", MinArgs: 1, MaxArgs: 1, Fn: properLength,
		Doc: "Returns the length of a proper list, or #f for anything else."},
	{Name: "record-of-type?", MinArgs: 3, MaxArgs: 3, Fn: recordOfType,
		Doc: "(record-of-type? obj type n): whether obj is a record of type with at least n fields."},
	{Name: "record-field", MinArgs: 2, MaxArgs: 2, Fn: recordField,
		Doc: "(record-field record i): the i-th field of record."},
}

func matchError(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return nil, eval.NewError(eval.KindError, "match: no matching pattern for", args[0])
}

func properLength(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	n := 0
	slow := args[0]
	for l := args[0]; ; n++ {
		p, ok := l.(*lang.Pair)
		if !ok {
			if l == lang.Value(lang.Nil) {
				return lang.Fixnum(n), nil
			}
			return lang.False, nil
		}
		l = p.Cdr
		if n%2 == 1 { // Floyd: the slow pointer moves every other step
			slow = slow.(*lang.Pair).Cdr
			if slow == l {
				return lang.False, nil // circular
			}
		}
	}
}

func recordOfType(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	rt, ok := args[1].(*eval.RecordType)
	if !ok {
		return nil, eval.WrongType("match: `$` pattern", 1, "record type", args[1])
	}
	r, ok := args[0].(*eval.Record)
	if !ok || r.Type != rt {
		return lang.False, nil
	}
	n, _ := args[2].(lang.Fixnum)
	if int(n) > len(r.Fields) {
		return nil, eval.NewError(eval.KindSyntax, "match: `$` pattern for record type "+rt.ShortName()+" has more patterns than the type has fields")
	}
	return lang.True, nil
}

func recordField(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	r := args[0].(*eval.Record) // checked by record-of-type? first
	return r.Fields[args[1].(lang.Fixnum)], nil
}

// macroArgs returns the elements of a macro use after its keyword, or a
// syntax error naming the expected shape.
func macroArgs(form *lang.Pair, shape string) ([]lang.Value, error) {
	args, ok := listArgs(form.Cdr)
	if !ok {
		return nil, eval.NewError(eval.KindSyntax, "bad syntax: want "+shape)
	}
	return args, nil
}

func newMatchCompiler(th *eval.Thread, form *lang.Pair) *matchCompiler {
	name := "match"
	if s, ok := form.Car.(*lang.Symbol); ok {
		name = s.Name
	}
	return &matchCompiler{th: th, pos: form.Pos, name: name}
}

// expandMatchForm expands (match expr clause ...).
func expandMatchForm(th *eval.Thread, form *lang.Pair, _ *eval.MacroEnv) (lang.Value, error) {
	mc := newMatchCompiler(th, form)
	args, err := macroArgs(form, "(match expression (pattern body ...) ...)")
	if err != nil || len(args) < 1 {
		return nil, mc.errorf("bad syntax: want (match expression (pattern body ...) ...)")
	}
	return mc.expandMatch(args[0], args[1:])
}

// expandMatch returns code that matches the value of subject against the
// clauses in order.
//
// Each clause becomes a test: an expression that is true when the
// pattern matches, and that then has stored the values of the pattern
// variables in slots (fresh variables bound once around the whole match).
// The clauses chain as (if test1 (let ((x slot) ...) body1 ...) (if test2
// ...)), so a failing clause costs no closure and every body is in tail
// position. Only a clause with (=> fail) wraps the clauses after it in a
// procedure, which fail calls.
func (mc *matchCompiler) expandMatch(subject lang.Value, clauses []lang.Value) (lang.Value, error) {
	v := mc.temp("match-value-")
	var chain lang.Value = mc.list(mc.support("match-error"), v)
	var slotInits []lang.Value
	for i := len(clauses) - 1; i >= 0; i-- {
		c, err := mc.parseClause(clauses[i])
		if err != nil {
			return nil, err
		}
		test, binds, slots, err := mc.clauseTest(c.pattern, v)
		if err != nil {
			return nil, err
		}
		for _, s := range slots {
			slotInits = append(slotInits, mc.list(s, lang.False))
		}
		if c.fail == nil {
			chain = mc.ifThen(test, mc.list(append([]lang.Value{mc.core("let"), mc.list(binds...)}, c.body...)...), chain)
			continue
		}
		k := mc.temp("match-next-")
		binds = append(binds, mc.list(c.fail, k))
		chain = mc.let1(k, mc.list(mc.core("lambda"), lang.Nil, chain),
			mc.ifThen(test, mc.list(append([]lang.Value{mc.core("let"), mc.list(binds...)}, c.body...)...), mc.list(k)))
	}
	if len(slotInits) > 0 {
		chain = mc.list(mc.core("let"), mc.list(slotInits...), chain)
	}
	return mc.let1(v, subject, chain), nil
}

// clause is one parsed (pattern [(=> fail)] body ...).
type clause struct {
	pattern lang.Value
	fail    *lang.Symbol // nil without (=> fail)
	body    []lang.Value
}

func (mc *matchCompiler) parseClause(c lang.Value) (*clause, error) {
	items, ok := listArgs(c)
	if !ok || len(items) < 2 {
		return nil, mc.errorf("bad clause %s: want (pattern body ...)", lang.WriteString(c))
	}
	cl := &clause{pattern: items[0], body: items[1:]}
	if arrow, ok := cl.body[0].(*lang.Pair); ok && arrow.Car == lang.Value(symFailArrow) {
		parts, ok := listArgs(arrow)
		var id *lang.Symbol
		if ok && len(parts) == 2 {
			id, _ = parts[1].(*lang.Symbol)
		}
		if id == nil {
			return nil, mc.errorf("bad failure clause %s: want (=> identifier)", lang.WriteString(arrow))
		}
		cl.fail = id
		cl.body = cl.body[1:]
		if len(cl.body) == 0 {
			return nil, mc.errorf("clause %s has no body", lang.WriteString(c))
		}
	}
	return cl, nil
}

// clauseTest compiles pat against the value in v into a test expression
// that stores the variables' values in slots on success. It returns the
// bindings of the user's names to the slots, for the body, and the slots.
func (mc *matchCompiler) clauseTest(pat lang.Value, v *lang.Symbol) (test lang.Value, binds []lang.Value, slots []*lang.Symbol, err error) {
	slotOf := map[*lang.Symbol]*lang.Symbol{}
	test, err = mc.compile(pat, v, nil, nil, func(vars *patternVars) (lang.Value, error) {
		sets := []lang.Value{mc.core("begin")}
		for _, pv := range vars.ordered() {
			slot := slotOf[pv.name]
			if slot == nil {
				slot = mc.temp("match-slot-")
				slotOf[pv.name] = slot
				slots = append(slots, slot)
				binds = append(binds, mc.list(pv.name, slot))
			}
			sets = append(sets, mc.list(mc.core("set!"), slot, pv.temp))
		}
		if len(sets) == 1 {
			return lang.True, nil
		}
		return mc.list(append(sets, lang.True)...), nil
	}, lang.False)
	return test, binds, slots, err
}

// bindAndRun binds the pattern variables (and the failure procedure) and
// runs body, which may start with definitions.
func (mc *matchCompiler) bindAndRun(vars *patternVars, failName *lang.Symbol, fk lang.Value, body []lang.Value) lang.Value {
	var binds []lang.Value
	for _, pv := range vars.ordered() {
		binds = append(binds, mc.list(pv.name, pv.temp))
	}
	if failName != nil {
		binds = append(binds, mc.list(failName, mc.list(mc.core("lambda"), lang.Nil, fk)))
	}
	return mc.list(append([]lang.Value{mc.core("let"), mc.list(binds...)}, body...)...)
}

// expandMatchLambda expands (match-lambda clause ...) into a procedure of
// one argument.
func expandMatchLambda(th *eval.Thread, form *lang.Pair, _ *eval.MacroEnv) (lang.Value, error) {
	mc := newMatchCompiler(th, form)
	clauses, err := macroArgs(form, "(match-lambda (pattern body ...) ...)")
	if err != nil {
		return nil, err
	}
	x := mc.temp("match-arg-")
	code, err := mc.expandMatch(x, clauses)
	if err != nil {
		return nil, err
	}
	return mc.list(mc.core("lambda"), mc.list(x), code), nil
}

// expandMatchLambdaStar expands (match-lambda* clause ...) into a
// procedure matching the list of its arguments.
func expandMatchLambdaStar(th *eval.Thread, form *lang.Pair, _ *eval.MacroEnv) (lang.Value, error) {
	mc := newMatchCompiler(th, form)
	clauses, err := macroArgs(form, "(match-lambda* (pattern body ...) ...)")
	if err != nil {
		return nil, err
	}
	x := mc.temp("match-args-")
	code, err := mc.expandMatch(x, clauses)
	if err != nil {
		return nil, err
	}
	return mc.list(mc.core("lambda"), x, code), nil
}

// letBindings parses ((pattern expression) ...).
func (mc *matchCompiler) letBindings(v lang.Value) (pats, exprs []lang.Value, err error) {
	items, ok := listArgs(v)
	if !ok {
		return nil, nil, mc.errorf("bad bindings %s: want ((pattern expression) ...)", lang.WriteString(v))
	}
	for _, it := range items {
		parts, ok := listArgs(it)
		if !ok || len(parts) != 2 {
			return nil, nil, mc.errorf("bad binding %s: want (pattern expression)", lang.WriteString(it))
		}
		pats = append(pats, parts[0])
		exprs = append(exprs, parts[1])
	}
	return pats, exprs, nil
}

// matchOne returns code that matches the value in temp t against pat,
// continuing with rest (a function of the variables bound) or failing
// with the no-match error.
func (mc *matchCompiler) matchOne(pat lang.Value, t *lang.Symbol, rest func(vars *patternVars) lang.Value) (lang.Value, error) {
	return mc.compile(pat, t, nil, nil, func(vars *patternVars) (lang.Value, error) {
		return rest(vars), nil
	}, mc.list(mc.support("match-error"), t))
}

// expandMatchLet expands (match-let ((pattern expr) ...) body ...) and
// the named form (match-let name ((pattern expr) ...) body ...).
func expandMatchLet(th *eval.Thread, form *lang.Pair, _ *eval.MacroEnv) (lang.Value, error) {
	mc := newMatchCompiler(th, form)
	args, err := macroArgs(form, "(match-let ((pattern expression) ...) body ...)")
	if err != nil {
		return nil, err
	}
	if len(args) >= 3 {
		if name, ok := args[0].(*lang.Symbol); ok {
			// (match-let name ((pat expr) ...) body ...): a named loop whose
			// arguments are matched against the patterns on each call.
			pats, exprs, err := mc.letBindings(args[1])
			if err != nil {
				return nil, err
			}
			params := make([]lang.Value, len(pats))
			for i := range pats {
				params[i] = mc.temp("match-param-")
			}
			inner, err := mc.matchSeq(pats, params, 0, nil, args[2:])
			if err != nil {
				return nil, err
			}
			proc := mc.list(mc.core("lambda"), mc.list(params...), inner)
			return mc.list(append([]lang.Value{mc.list(mc.core("letrec"), mc.list(mc.list(name, proc)), name)}, exprs...)...), nil
		}
	}
	if len(args) < 2 {
		return nil, mc.errorf("bad syntax: want (match-let ((pattern expression) ...) body ...)")
	}
	pats, exprs, err := mc.letBindings(args[0])
	if err != nil {
		return nil, err
	}
	temps := make([]lang.Value, len(pats))
	binds := make([]lang.Value, len(pats))
	for i := range pats {
		t := mc.temp("match-let-")
		temps[i] = t
		binds[i] = mc.list(t, exprs[i])
	}
	inner, err := mc.matchSeq(pats, temps, 0, nil, args[1:])
	if err != nil {
		return nil, err
	}
	return mc.list(mc.core("let"), mc.list(binds...), inner), nil
}

// matchSeq matches the values in temps against pats one after the other,
// then runs body with every variable bound.
func (mc *matchCompiler) matchSeq(pats, temps []lang.Value, i int, vars *patternVars, body []lang.Value) (lang.Value, error) {
	if i == len(pats) {
		return mc.bindAndRun(vars, nil, nil, body), nil
	}
	t := temps[i].(*lang.Symbol)
	return mc.compile(pats[i], t, nil, vars, func(vars *patternVars) (lang.Value, error) {
		return mc.matchSeq(pats, temps, i+1, vars, body)
	}, mc.list(mc.support("match-error"), t))
}

// expandMatchLetStar expands (match-let* ((pattern expr) ...) body ...):
// each expression sees the variables of the patterns before it.
func expandMatchLetStar(th *eval.Thread, form *lang.Pair, _ *eval.MacroEnv) (lang.Value, error) {
	mc := newMatchCompiler(th, form)
	args, err := macroArgs(form, "(match-let* ((pattern expression) ...) body ...)")
	if err != nil || len(args) < 2 {
		return nil, mc.errorf("bad syntax: want (match-let* ((pattern expression) ...) body ...)")
	}
	pats, exprs, err := mc.letBindings(args[0])
	if err != nil {
		return nil, err
	}
	var nest func(i int) (lang.Value, error)
	nest = func(i int) (lang.Value, error) {
		if i == len(pats) {
			return mc.list(append([]lang.Value{mc.core("let"), lang.Nil}, args[1:]...)...), nil
		}
		rest, err := nest(i + 1)
		if err != nil {
			return nil, err
		}
		t := mc.temp("match-let-")
		code, err := mc.matchOne(pats[i], t, func(vars *patternVars) lang.Value {
			return mc.bindAndRun(vars, nil, nil, []lang.Value{rest})
		})
		if err != nil {
			return nil, err
		}
		return mc.let1(t, exprs[i], code), nil
	}
	return nest(0)
}

// expandMatchLetrec expands (match-letrec ((pattern expr) ...) body ...):
// the expressions may refer to every pattern variable, as with letrec.
// The variables are bound first, the expressions evaluated, and the
// variables assigned from the matches.
func expandMatchLetrec(th *eval.Thread, form *lang.Pair, _ *eval.MacroEnv) (lang.Value, error) {
	mc := newMatchCompiler(th, form)
	args, err := macroArgs(form, "(match-letrec ((pattern expression) ...) body ...)")
	if err != nil || len(args) < 2 {
		return nil, mc.errorf("bad syntax: want (match-letrec ((pattern expression) ...) body ...)")
	}
	pats, exprs, err := mc.letBindings(args[0])
	if err != nil {
		return nil, err
	}
	var names []*lang.Symbol
	seen := map[*lang.Symbol]bool{}
	for _, p := range pats {
		vs, err := mc.patternVariables(p)
		if err != nil {
			return nil, err
		}
		for _, n := range vs {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	var outer []lang.Value
	for _, n := range names {
		outer = append(outer, mc.list(n, lang.False))
	}
	temps := make([]lang.Value, len(pats))
	var binds []lang.Value
	for i := range pats {
		t := mc.temp("match-letrec-")
		temps[i] = t
		binds = append(binds, mc.list(t, exprs[i]))
	}
	var assign func(i int, vars *patternVars) (lang.Value, error)
	assign = func(i int, vars *patternVars) (lang.Value, error) {
		if i == len(pats) {
			sets := []lang.Value{mc.core("begin")}
			for _, pv := range vars.ordered() {
				sets = append(sets, mc.list(mc.core("set!"), pv.name, pv.temp))
			}
			sets = append(sets, lang.Unspec)
			return mc.list(sets...), nil
		}
		t := temps[i].(*lang.Symbol)
		return mc.compile(pats[i], t, nil, vars, func(vars *patternVars) (lang.Value, error) {
			return assign(i+1, vars)
		}, mc.list(mc.support("match-error"), t))
	}
	sets, err := assign(0, nil)
	if err != nil {
		return nil, err
	}
	body := append([]lang.Value{mc.core("let"), lang.Nil}, args[1:]...)
	return mc.list(mc.core("let"), mc.list(outer...),
		mc.list(mc.core("let"), mc.list(binds...), sets),
		mc.list(body...)), nil
}
