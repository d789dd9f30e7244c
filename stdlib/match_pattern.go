package stdlib

import (
	"fmt"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// This file compiles one (ice-9 match) pattern into core Scheme. The
// compiler works in continuation-passing style: compiling a pattern
// against a temporary that holds the value produces an expression that
// tests the value and then either continues with the code for the rest of
// the clause (the success continuation, a Go function called with the
// pattern variables bound so far) or evaluates the failure expression,
// which is always a small call of a thunk, so that it can be duplicated
// freely. Every intermediate value is bound to a fresh uninterned symbol,
// and library procedures are module-qualified, so user bindings can
// neither capture nor be captured by the expansion.

// patternVars maps pattern variables to the temporaries holding their
// values, most recent first. It is persistent: extending it never changes
// what an earlier continuation sees.
type patternVars struct {
	name  *lang.Symbol
	temp  lang.Value
	outer *patternVars
}

func (pv *patternVars) lookup(name *lang.Symbol) (lang.Value, bool) {
	for ; pv != nil; pv = pv.outer {
		if pv.name == name {
			return pv.temp, true
		}
	}
	return nil, false
}

func (pv *patternVars) bind(name *lang.Symbol, temp lang.Value) *patternVars {
	return &patternVars{name: name, temp: temp, outer: pv}
}

// ordered returns the distinct variables in the order they were bound.
func (pv *patternVars) ordered() []*patternVars {
	var all []*patternVars
	for ; pv != nil; pv = pv.outer {
		all = append(all, pv)
	}
	seen := map[*lang.Symbol]bool{}
	var out []*patternVars
	for i := len(all) - 1; i >= 0; i-- {
		if !seen[all[i].name] {
			seen[all[i].name] = true
			out = append(out, all[i])
		}
	}
	return out
}

// success produces the code that follows a successful match, given the
// variables bound by then.
type success func(vars *patternVars) (lang.Value, error)

// location says where a matched value lives, for the (set! id) and
// (get! id) patterns: in the car or cdr of a pair, or in a vector slot.
type location struct {
	container *lang.Symbol
	kind      string // "car", "cdr" or "vector"
	index     lang.Value
}

// matchCompiler holds the state of one expansion.
type matchCompiler struct {
	th   *eval.Thread
	pos  lang.Pos // of the macro use; given to every generated pair
	name string   // the macro being expanded, for messages
}

var (
	symUnderscore  = lang.Intern("_")
	symEllipsis    = lang.Intern("...")
	symEllipsis3   = lang.Intern("___")
	symEllipsis1   = lang.Intern("..1")
	matchQuote     = lang.Intern("quote")
	symQuasiquote  = lang.Intern("quasiquote")
	symUnquote     = lang.Intern("unquote")
	symUnquoteSpl  = lang.Intern("unquote-splicing")
	symPred        = lang.Intern("?")
	symApplyPat    = lang.Intern("=")
	symAnd         = lang.Intern("and")
	symOr          = lang.Intern("or")
	symNot         = lang.Intern("not")
	symSetBang     = lang.Intern("set!")
	symGetBang     = lang.Intern("get!")
	symRecordPat   = lang.Intern("$")
	symFailArrow   = lang.Intern("=>")
	symAt          = lang.Intern("@")
	symGuileModule = lang.Intern("guile")
)

// list builds a list whose pairs carry the position of the macro use, so
// that errors in generated code point at it.
func (mc *matchCompiler) list(items ...lang.Value) lang.Value {
	var l lang.Value = lang.Nil
	for i := len(items) - 1; i >= 0; i-- {
		l = &lang.Pair{Car: items[i], Cdr: l, Pos: mc.pos}
	}
	return l
}

// coreSyntax are the syntactic keywords expansions use. They are written
// as plain symbols: a program that rebinds if or lambda around a match
// form is not worth the cost of qualifying every keyword.
var coreSyntax = map[string]bool{
	"quote": true, "if": true, "let": true, "let*": true, "letrec": true,
	"lambda": true, "and": true, "begin": true, "set!": true,
}

// core returns a reference to a binding of (guile). Procedures are
// module-qualified, (@ (guile) car), so that user bindings of the same
// name cannot change what the expansion calls.
func (mc *matchCompiler) core(name string) lang.Value {
	if coreSyntax[name] {
		return lang.Intern(name)
	}
	return mc.list(symAt, mc.list(symGuileModule), lang.Intern(name))
}

// support returns a reference to a helper of the match runtime module.
func (mc *matchCompiler) support(name string) lang.Value {
	var mod []lang.Value
	for _, part := range matchSupportModule {
		mod = append(mod, lang.Intern(part))
	}
	return mc.list(symAt, mc.list(mod...), lang.Intern(name))
}

func (mc *matchCompiler) quote(v lang.Value) lang.Value {
	return mc.list(mc.core("quote"), v)
}

func (mc *matchCompiler) ifThen(test, then, els lang.Value) lang.Value {
	return mc.list(mc.core("if"), test, then, els)
}

// let1 binds temp to value around body.
func (mc *matchCompiler) let1(temp *lang.Symbol, value, body lang.Value) lang.Value {
	return mc.list(mc.core("let"), mc.list(mc.list(temp, value)), body)
}

func (mc *matchCompiler) temp(prefix string) *lang.Symbol {
	return mc.th.Gensym(prefix)
}

// errorf returns a syntax error about the macro use.
func (mc *matchCompiler) errorf(format string, a ...any) error {
	return eval.NewError(eval.KindSyntax, mc.name+": "+fmt.Sprintf(format, a...))
}

func isEllipsis(v lang.Value) bool {
	return v == lang.Value(symEllipsis) || v == lang.Value(symEllipsis3) || v == lang.Value(symEllipsis1)
}

// compile returns code that matches pat against the value of v,
// continuing with sk on success and evaluating fk (a small expression) on
// failure. v is a temporary or a cheap, pure expression such as
// (car tmp); it is bound to a fresh temporary first when the pattern
// needs the value more than once, so that frames stay small.
func (mc *matchCompiler) compile(pat lang.Value, value lang.Value, loc *location, vars *patternVars, sk success, fk lang.Value) (lang.Value, error) {
	v, isTemp := value.(*lang.Symbol)
	if !isTemp {
		if mc.usesValueOnce(pat) {
			return mc.compileOnce(pat, value, vars, sk, fk)
		}
		t := mc.temp("match-part-")
		code, err := mc.compile(pat, t, loc, vars, sk, fk)
		if err != nil {
			return nil, err
		}
		return mc.let1(t, value, code), nil
	}
	switch p := pat.(type) {
	case *lang.Symbol:
		if p == symUnderscore {
			return sk(vars)
		}
		if isEllipsis(p) {
			return nil, mc.errorf("misplaced ellipsis `%s` in pattern", p.Name)
		}
		if prev, ok := vars.lookup(p); ok {
			// A variable seen before in the same pattern: the values must be
			// equal?, as in Guile.
			rest, err := sk(vars)
			if err != nil {
				return nil, err
			}
			return mc.ifThen(mc.list(mc.core("equal?"), prev, v), rest, fk), nil
		}
		return sk(vars.bind(p, v))
	case *lang.Null:
		return mc.test(mc.list(mc.core("null?"), v), vars, sk, fk)
	case *lang.Pair:
		return mc.compilePair(p, v, loc, vars, sk, fk)
	case *lang.Vector:
		return mc.compileVector(p, v, vars, sk, fk)
	}
	return mc.literal(pat, v, vars, sk, fk)
}

// usesValueOnce reports whether pat refers to the value it matches at
// most once, so that the value may stay an expression.
func (mc *matchCompiler) usesValueOnce(pat lang.Value) bool {
	switch p := pat.(type) {
	case *lang.Pair:
		head, _ := p.Car.(*lang.Symbol)
		args, proper := listArgs(p.Cdr)
		if !proper {
			return false
		}
		switch head {
		case matchQuote, symApplyPat:
			return true
		case symPred:
			return len(args) == 1
		}
		return false
	case *lang.Vector:
		return false
	}
	return true
}

// compileOnce compiles a pattern that uses its value once (see
// usesValueOnce) against the expression value.
func (mc *matchCompiler) compileOnce(pat lang.Value, value lang.Value, vars *patternVars, sk success, fk lang.Value) (lang.Value, error) {
	switch p := pat.(type) {
	case *lang.Symbol:
		if p == symUnderscore {
			return sk(vars)
		}
		if isEllipsis(p) {
			return nil, mc.errorf("misplaced ellipsis `%s` in pattern", p.Name)
		}
		if prev, ok := vars.lookup(p); ok {
			return mc.test(mc.list(mc.core("equal?"), prev, value), vars, sk, fk)
		}
		return sk(vars.bind(p, value))
	case *lang.Null:
		return mc.test(mc.list(mc.core("null?"), value), vars, sk, fk)
	case *lang.Pair:
		args, _ := listArgs(p.Cdr)
		switch p.Car {
		case lang.Value(matchQuote):
			if len(args) != 1 {
				return nil, mc.errorf("bad quote pattern %s", lang.WriteString(p))
			}
			return mc.test(mc.list(mc.core("equal?"), value, mc.quote(args[0])), vars, sk, fk)
		case lang.Value(symApplyPat):
			if len(args) != 2 {
				return nil, mc.errorf("bad pattern %s: want (= procedure pattern)", lang.WriteString(p))
			}
			return mc.compile(args[1], mc.list(args[0], value), nil, vars, sk, fk)
		case lang.Value(symPred):
			return mc.test(mc.list(args[0], value), vars, sk, fk)
		}
	}
	return mc.literal(pat, value, vars, sk, fk)
}

// literal matches a self-evaluating datum.
func (mc *matchCompiler) literal(pat lang.Value, v lang.Value, vars *patternVars, sk success, fk lang.Value) (lang.Value, error) {
	switch p := pat.(type) {
	case lang.Boolean:
		return mc.test(mc.list(mc.core("eq?"), v, p), vars, sk, fk)
	case lang.Fixnum, lang.Char:
		return mc.test(mc.list(mc.core("eqv?"), v, p), vars, sk, fk)
	case *lang.String, *lang.Keyword, *lang.Bignum, *lang.Ratnum, lang.Flonum, *lang.Bytevector:
		return mc.test(mc.list(mc.core("equal?"), v, mc.quote(p)), vars, sk, fk)
	}
	return nil, mc.errorf("bad pattern %s", lang.WriteString(pat))
}

// test continues with sk when the expression test is true.
func (mc *matchCompiler) test(test lang.Value, vars *patternVars, sk success, fk lang.Value) (lang.Value, error) {
	rest, err := sk(vars)
	if err != nil {
		return nil, err
	}
	return mc.ifThen(test, rest, fk), nil
}

// listArgs returns the elements of the proper list l, or ok false for an
// improper list (with the elements before its tail) or a circular one
// (with none).
func listArgs(l lang.Value) (items []lang.Value, ok bool) {
	items, tail, circular := lang.ListItems(l)
	return items, !circular && isNull(tail)
}

func (mc *matchCompiler) compilePair(p *lang.Pair, v *lang.Symbol, loc *location, vars *patternVars, sk success, fk lang.Value) (lang.Value, error) {
	if head, ok := p.Car.(*lang.Symbol); ok {
		args, proper := listArgs(p.Cdr)
		switch head {
		case matchQuote:
			if !proper || len(args) != 1 {
				return nil, mc.errorf("bad quote pattern %s", lang.WriteString(p))
			}
			return mc.test(mc.list(mc.core("equal?"), v, mc.quote(args[0])), vars, sk, fk)
		case symQuasiquote:
			if !proper || len(args) != 1 {
				return nil, mc.errorf("bad quasi-pattern %s", lang.WriteString(p))
			}
			converted, err := mc.unquasi(args[0])
			if err != nil {
				return nil, err
			}
			return mc.compile(converted, v, loc, vars, sk, fk)
		case symPred:
			if !proper || len(args) < 1 {
				return nil, mc.errorf("bad pattern %s: want (? predicate pattern ...)", lang.WriteString(p))
			}
			rest, err := mc.compileAll(args[1:], v, loc, vars, sk, fk)
			if err != nil {
				return nil, err
			}
			return mc.ifThen(mc.list(args[0], v), rest, fk), nil
		case symApplyPat:
			if !proper || len(args) != 2 {
				return nil, mc.errorf("bad pattern %s: want (= procedure pattern)", lang.WriteString(p))
			}
			return mc.compile(args[1], mc.list(args[0], v), nil, vars, sk, fk)
		case symAnd:
			if !proper {
				return nil, mc.errorf("bad pattern %s", lang.WriteString(p))
			}
			return mc.compileAll(args, v, loc, vars, sk, fk)
		case symOr:
			if !proper {
				return nil, mc.errorf("bad pattern %s", lang.WriteString(p))
			}
			return mc.compileOr(args, v, loc, vars, sk, fk)
		case symNot:
			if !proper || len(args) != 1 {
				return nil, mc.errorf("bad pattern %s: want (not pattern)", lang.WriteString(p))
			}
			// Success of the inner pattern is failure of (not ...), and the
			// other way round; the rest of the clause goes in a thunk so it
			// appears once however often the inner pattern can fail.
			rest, err := sk(vars)
			if err != nil {
				return nil, err
			}
			k := mc.temp("match-not-")
			inner, err := mc.compile(args[0], v, loc, vars, func(*patternVars) (lang.Value, error) { return fk, nil }, mc.list(k))
			if err != nil {
				return nil, err
			}
			return mc.let1(k, mc.list(mc.core("lambda"), lang.Nil, rest), inner), nil
		case symSetBang, symGetBang:
			if !proper || len(args) != 1 {
				return nil, mc.errorf("bad pattern %s: want (%s identifier)", lang.WriteString(p), head.Name)
			}
			id, ok := args[0].(*lang.Symbol)
			if !ok {
				return nil, mc.errorf("bad pattern %s: want (%s identifier)", lang.WriteString(p), head.Name)
			}
			if loc == nil {
				return nil, mc.errorf("pattern %s: the value has no location to %s (use it inside a pair or vector pattern)", lang.WriteString(p), head.Name)
			}
			t := mc.temp("match-" + head.Name[:3] + "-")
			rest, err := sk(vars.bind(id, t))
			if err != nil {
				return nil, err
			}
			return mc.let1(t, mc.accessor(head == symSetBang, loc), rest), nil
		case symRecordPat:
			if !proper || len(args) < 1 {
				return nil, mc.errorf("bad pattern %s: want ($ record-type pattern ...)", lang.WriteString(p))
			}
			return mc.compileRecord(args[0], args[1:], v, vars, sk, fk)
		}
	}
	// A list pattern, possibly with an ellipsis after its first element.
	if next, ok := p.Cdr.(*lang.Pair); ok && isEllipsis(next.Car) {
		return mc.compileEllipsis(p.Car, next.Car.(*lang.Symbol), next.Cdr, v, vars, sk, fk)
	}
	body, err := mc.compile(p.Car, mc.list(mc.core("car"), v), &location{container: v, kind: "car"}, vars, func(vars *patternVars) (lang.Value, error) {
		return mc.compile(p.Cdr, mc.list(mc.core("cdr"), v), &location{container: v, kind: "cdr"}, vars, sk, fk)
	}, fk)
	if err != nil {
		return nil, err
	}
	return mc.ifThen(mc.list(mc.core("pair?"), v), body, fk), nil
}

// accessor returns a procedure that sets (for set!) or a thunk that gets
// (for get!) the value at loc.
func (mc *matchCompiler) accessor(set bool, loc *location) lang.Value {
	x := mc.temp("match-new-")
	switch loc.kind {
	case "car", "cdr":
		if set {
			return mc.list(mc.core("lambda"), mc.list(x), mc.list(mc.core("set-"+loc.kind+"!"), loc.container, x))
		}
		return mc.list(mc.core("lambda"), lang.Nil, mc.list(mc.core(loc.kind), loc.container))
	default:
		if set {
			return mc.list(mc.core("lambda"), mc.list(x), mc.list(mc.core("vector-set!"), loc.container, loc.index, x))
		}
		return mc.list(mc.core("lambda"), lang.Nil, mc.list(mc.core("vector-ref"), loc.container, loc.index))
	}
}

// compileAll matches every pattern of pats against the same value.
func (mc *matchCompiler) compileAll(pats []lang.Value, v *lang.Symbol, loc *location, vars *patternVars, sk success, fk lang.Value) (lang.Value, error) {
	if len(pats) == 0 {
		return sk(vars)
	}
	return mc.compile(pats[0], v, loc, vars, func(vars *patternVars) (lang.Value, error) {
		return mc.compileAll(pats[1:], v, loc, vars, sk, fk)
	}, fk)
}

// compileOr tries each alternative in turn. The rest of the clause is
// compiled once, as a procedure of the variables the alternatives bind;
// a variable an alternative does not bind is #f there.
func (mc *matchCompiler) compileOr(alts []lang.Value, v *lang.Symbol, loc *location, vars *patternVars, sk success, fk lang.Value) (lang.Value, error) {
	switch len(alts) {
	case 0:
		return fk, nil
	case 1:
		return mc.compile(alts[0], v, loc, vars, sk, fk)
	}
	var names []*lang.Symbol
	seen := map[*lang.Symbol]bool{}
	for _, alt := range alts {
		vs, err := mc.patternVariables(alt)
		if err != nil {
			return nil, err
		}
		for _, n := range vs {
			if _, bound := vars.lookup(n); !bound && !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	params := make([]lang.Value, len(names))
	inner := vars
	for i, n := range names {
		t := mc.temp("match-or-")
		params[i] = t
		inner = inner.bind(n, t)
	}
	rest, err := sk(inner)
	if err != nil {
		return nil, err
	}
	k := mc.temp("match-or-k-")
	call := func(vars *patternVars) (lang.Value, error) {
		args := []lang.Value{k}
		for _, n := range names {
			t, ok := vars.lookup(n)
			if !ok {
				t = lang.False
			}
			args = append(args, t)
		}
		return mc.list(args...), nil
	}
	// The alternatives are tried last to first so each one's failure is
	// a thunk trying the next.
	var code lang.Value = fk
	var bindings []lang.Value
	for i := len(alts) - 1; i >= 0; i-- {
		var err error
		altCode, err := mc.compile(alts[i], v, loc, vars, call, code)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			code = altCode
			break
		}
		t := mc.temp("match-alt-")
		bindings = append(bindings, mc.list(t, mc.list(mc.core("lambda"), lang.Nil, altCode)))
		code = mc.list(t)
	}
	// Later alternatives are bound first (they are referred to by earlier
	// ones): let* in reverse order of the alternatives.
	all := append([]lang.Value{mc.list(k, mc.list(append([]lang.Value{mc.core("lambda"), mc.list(params...)}, rest)...))}, bindings...)
	return mc.list(mc.core("let*"), mc.list(all...), code), nil
}

// compileEllipsis matches a list of elements each matching elem, followed
// by the patterns of tail (a proper list of patterns).
func (mc *matchCompiler) compileEllipsis(elem lang.Value, ell *lang.Symbol, tail lang.Value, v *lang.Symbol, vars *patternVars, sk success, fk lang.Value) (lang.Value, error) {
	tailPats, proper := listArgs(tail)
	if !proper {
		return nil, mc.errorf("a dotted tail after `%s` is not supported", ell.Name)
	}
	for _, tp := range tailPats {
		if isEllipsis(tp) {
			return nil, mc.errorf("more than one ellipsis in the same list pattern")
		}
	}
	minCount := 0
	if ell == symEllipsis1 {
		minCount = 1
	}
	// The common case (x ...) and (_ ...): a proper list, nothing to loop over.
	if sym, ok := elem.(*lang.Symbol); ok && len(tailPats) == 0 {
		test := mc.list(mc.core("list?"), v)
		if minCount == 1 {
			test = mc.list(mc.core("and"), mc.list(mc.core("pair?"), v), test)
		}
		if sym == symUnderscore {
			return mc.test(test, vars, sk, fk)
		}
		return mc.test(test, vars, func(vars *patternVars) (lang.Value, error) {
			return mc.compile(sym, v, nil, vars, sk, fk)
		}, fk)
	}

	rep, err := mc.newRepetition(elem, vars)
	if err != nil {
		return nil, err
	}
	ls, count := mc.temp("match-rest-"), mc.temp("match-count-")
	// After the loop, the tail patterns match what is left of the list.
	done, err := rep.finish(func(after *patternVars) (lang.Value, error) {
		var pat lang.Value = lang.Nil
		for i := len(tailPats) - 1; i >= 0; i-- {
			pat = lang.Cons(tailPats[i], pat)
		}
		return mc.compile(pat, ls, nil, after, sk, fk)
	}, fk)
	if err != nil {
		return nil, err
	}
	var next []lang.Value
	if len(tailPats) > 0 {
		next = []lang.Value{mc.list(mc.core("cdr"), ls), mc.list(mc.core("-"), count, lang.Fixnum(1))}
	} else {
		next = []lang.Value{mc.list(mc.core("cdr"), ls)}
	}
	step, err := rep.step(mc.list(mc.core("car"), ls), &location{container: ls, kind: "car"}, next, fk)
	if err != nil {
		return nil, err
	}

	if len(tailPats) == 0 {
		// (p ...): walk the list to its end.
		body := mc.ifThen(mc.list(mc.core("pair?"), ls), step,
			mc.ifThen(mc.list(mc.core("null?"), ls), done, fk))
		code := rep.loop([]lang.Value{mc.list(ls, v)}, body)
		if minCount == 1 {
			return mc.ifThen(mc.list(mc.core("pair?"), v), code, fk), nil
		}
		return code, nil
	}
	// (p ... q r): the list must be proper and long enough; its first
	// length - 2 elements match p.
	n := mc.temp("match-length-")
	body := mc.ifThen(mc.list(mc.core("="), count, lang.Fixnum(0)), done, step)
	code := rep.loop([]lang.Value{
		mc.list(ls, v),
		mc.list(count, mc.list(mc.core("-"), n, lang.Fixnum(len(tailPats)))),
	}, body)
	enough := mc.list(mc.core("and"), n, mc.list(mc.core(">="), n, lang.Fixnum(len(tailPats)+minCount)))
	return mc.let1(n, mc.list(mc.support("proper-length"), v), mc.ifThen(enough, code, fk)), nil
}

// repetition is the loop that matches the repeated pattern of an ellipsis
// against successive elements, accumulating the values of its variables
// in reverse.
type repetition struct {
	mc    *matchCompiler
	elem  lang.Value
	names []*lang.Symbol
	accs  []*lang.Symbol
	loopF *lang.Symbol
	vars  *patternVars // bound before the loop
}

func (mc *matchCompiler) newRepetition(elem lang.Value, vars *patternVars) (*repetition, error) {
	names, err := mc.patternVariables(elem)
	if err != nil {
		return nil, err
	}
	r := &repetition{mc: mc, elem: elem, names: names, accs: make([]*lang.Symbol, len(names)), loopF: mc.temp("match-loop-"), vars: vars}
	for i := range names {
		r.accs[i] = mc.temp("match-acc-")
	}
	return r, nil
}

// loop returns the named let running body, with the loop variables
// initVars followed by the accumulators.
func (r *repetition) loop(initVars []lang.Value, body lang.Value) lang.Value {
	mc := r.mc
	for _, a := range r.accs {
		initVars = append(initVars, mc.list(a, mc.quote(lang.Nil)))
	}
	return mc.list(mc.core("let"), r.loopF, mc.list(initVars...), body)
}

// step matches the repeated pattern against the element (an expression)
// and, on success, loops again with the arguments next followed by the
// grown accumulators.
func (r *repetition) step(elem lang.Value, loc *location, next []lang.Value, fk lang.Value) (lang.Value, error) {
	mc := r.mc
	return mc.compile(r.elem, elem, loc, nil, func(inner *patternVars) (lang.Value, error) {
		args := append([]lang.Value{r.loopF}, next...)
		for i, n := range r.names {
			t, ok := inner.lookup(n)
			if !ok {
				t = lang.False
			}
			args = append(args, mc.list(mc.core("cons"), t, r.accs[i]))
		}
		return mc.list(args...), nil
	}, fk)
}

// finish binds each variable of the repeated pattern to the list of its
// values (equal? to an earlier binding of the same name, if any) and
// continues with then.
func (r *repetition) finish(then success, fk lang.Value) (lang.Value, error) {
	mc := r.mc
	after := r.vars
	var binds, checks []lang.Value
	for i, n := range r.names {
		t := mc.temp("match-list-")
		binds = append(binds, mc.list(t, mc.list(mc.core("reverse"), r.accs[i])))
		if prev, ok := r.vars.lookup(n); ok {
			checks = append(checks, mc.list(mc.core("equal?"), prev, t))
		}
		after = after.bind(n, t)
	}
	rest, err := then(after)
	if err != nil {
		return nil, err
	}
	for _, c := range checks {
		rest = mc.ifThen(c, rest, fk)
	}
	if len(binds) == 0 {
		return rest, nil
	}
	return mc.list(mc.core("let"), mc.list(binds...), rest), nil
}

// compileVector matches #(p ...), with at most one ellipsis.
func (mc *matchCompiler) compileVector(vec *lang.Vector, v *lang.Symbol, vars *patternVars, sk success, fk lang.Value) (lang.Value, error) {
	items := vec.Items
	ellAt := -1
	for i, it := range items {
		if isEllipsis(it) {
			if ellAt >= 0 {
				return nil, mc.errorf("more than one ellipsis in vector pattern %s", lang.WriteString(vec))
			}
			if i == 0 {
				return nil, mc.errorf("ellipsis with no pattern before it in %s", lang.WriteString(vec))
			}
			ellAt = i
		}
	}
	// slots matches pats against the slots at index base+i.
	var slots func(pats []lang.Value, base lang.Value, i int, vars *patternVars, sk success) (lang.Value, error)
	slots = func(pats []lang.Value, base lang.Value, i int, vars *patternVars, sk success) (lang.Value, error) {
		if i == len(pats) {
			return sk(vars)
		}
		var index lang.Value = lang.Fixnum(i)
		if base != nil {
			index = mc.list(mc.core("+"), base, lang.Fixnum(i))
		}
		return mc.compile(pats[i], mc.list(mc.core("vector-ref"), v, index), &location{container: v, kind: "vector", index: index}, vars,
			func(vars *patternVars) (lang.Value, error) { return slots(pats, base, i+1, vars, sk) }, fk)
	}
	length := mc.list(mc.core("vector-length"), v)
	if ellAt < 0 {
		rest, err := slots(items, nil, 0, vars, sk)
		if err != nil {
			return nil, err
		}
		test := mc.list(mc.core("and"), mc.list(mc.core("vector?"), v), mc.list(mc.core("="), length, lang.Fixnum(len(items))))
		return mc.ifThen(test, rest, fk), nil
	}
	// #(h ... p ELL t ...): the heads by index, then the repeated part by
	// a loop over indices, then the tails counted from the end.
	heads, elem, tails := items[:ellAt-1], items[ellAt-1], items[ellAt+1:]
	minCount := 0
	if items[ellAt] == lang.Value(symEllipsis1) {
		minCount = 1
	}
	end, idx := mc.temp("match-vend-"), mc.temp("match-index-")
	body, err := slots(heads, nil, 0, vars, func(vars *patternVars) (lang.Value, error) {
		rep, err := mc.newRepetition(elem, vars)
		if err != nil {
			return nil, err
		}
		done, err := rep.finish(func(after *patternVars) (lang.Value, error) {
			return slots(tails, end, 0, after, sk)
		}, fk)
		if err != nil {
			return nil, err
		}
		stepCode, err := rep.step(mc.list(mc.core("vector-ref"), v, idx), &location{container: v, kind: "vector", index: idx},
			[]lang.Value{mc.list(mc.core("+"), idx, lang.Fixnum(1))}, fk)
		if err != nil {
			return nil, err
		}
		return rep.loop([]lang.Value{mc.list(idx, lang.Fixnum(len(heads)))},
			mc.ifThen(mc.list(mc.core("="), idx, end), done, stepCode)), nil
	})
	if err != nil {
		return nil, err
	}
	minLen := len(heads) + len(tails) + minCount
	test := mc.list(mc.core("and"), mc.list(mc.core("vector?"), v), mc.list(mc.core(">="), length, lang.Fixnum(minLen)))
	return mc.ifThen(test,
		mc.let1(end, mc.list(mc.core("-"), length, lang.Fixnum(len(tails))), body),
		fk), nil
}

// compileRecord matches ($ type field-pattern ...): an instance of the
// record type whose first fields match the patterns.
func (mc *matchCompiler) compileRecord(typ lang.Value, fields []lang.Value, v *lang.Symbol, vars *patternVars, sk success, fk lang.Value) (lang.Value, error) {
	rtd := mc.temp("match-rtd-")
	var from func(i int, vars *patternVars) (lang.Value, error)
	from = func(i int, vars *patternVars) (lang.Value, error) {
		if i == len(fields) {
			return sk(vars)
		}
		return mc.compile(fields[i], mc.list(mc.support("record-field"), v, lang.Fixnum(i)), nil, vars,
			func(vars *patternVars) (lang.Value, error) { return from(i+1, vars) }, fk)
	}
	rest, err := from(0, vars)
	if err != nil {
		return nil, err
	}
	test := mc.list(mc.support("record-of-type?"), v, rtd, lang.Fixnum(len(fields)))
	return mc.let1(rtd, typ, mc.ifThen(test, rest, fk)), nil
}

// unquasi turns a quasi-pattern into an ordinary pattern: ,p is p, ,@p
// (last in a list) matches the rest of the list, and every other datum
// matches itself.
func (mc *matchCompiler) unquasi(q lang.Value) (lang.Value, error) {
	switch x := q.(type) {
	case *lang.Pair:
		if x.Car == lang.Value(symUnquote) {
			args, ok := listArgs(x.Cdr)
			if !ok || len(args) != 1 {
				return nil, mc.errorf("bad unquote in quasi-pattern %s", lang.WriteString(q))
			}
			return args[0], nil
		}
		if inner, ok := x.Car.(*lang.Pair); ok && inner.Car == lang.Value(symUnquoteSpl) {
			args, ok := listArgs(inner.Cdr)
			if !ok || len(args) != 1 {
				return nil, mc.errorf("bad unquote-splicing in quasi-pattern %s", lang.WriteString(q))
			}
			if x.Cdr != lang.Value(lang.Nil) {
				return nil, mc.errorf("`,@` is only allowed last in a quasi-pattern list: %s", lang.WriteString(q))
			}
			return args[0], nil
		}
		car, err := mc.unquasi(x.Car)
		if err != nil {
			return nil, err
		}
		if isEllipsis(x.Car) {
			car = x.Car
		}
		cdr, err := mc.unquasi(x.Cdr)
		if err != nil {
			return nil, err
		}
		return &lang.Pair{Car: car, Cdr: cdr, Pos: x.Pos}, nil
	case *lang.Vector:
		items := make([]lang.Value, len(x.Items))
		for i, it := range x.Items {
			if isEllipsis(it) {
				items[i] = it
				continue
			}
			c, err := mc.unquasi(it)
			if err != nil {
				return nil, err
			}
			items[i] = c
		}
		return &lang.Vector{Items: items}, nil
	case *lang.Symbol:
		return lang.List(matchQuote, x), nil
	}
	return q, nil
}

// patternVariables returns the variables pat binds, in order, each once.
func (mc *matchCompiler) patternVariables(pat lang.Value) ([]*lang.Symbol, error) {
	var out []*lang.Symbol
	seen := map[*lang.Symbol]bool{}
	var walk func(p lang.Value) error
	add := func(s *lang.Symbol) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	walk = func(p lang.Value) error {
		switch x := p.(type) {
		case *lang.Symbol:
			if x != symUnderscore && !isEllipsis(x) {
				add(x)
			}
		case *lang.Vector:
			for _, it := range x.Items {
				if err := walk(it); err != nil {
					return err
				}
			}
		case *lang.Pair:
			args, proper := listArgs(x.Cdr)
			if head, ok := x.Car.(*lang.Symbol); ok && proper {
				switch head {
				case matchQuote, symNot:
					return nil
				case symQuasiquote:
					if len(args) == 1 {
						c, err := mc.unquasi(args[0])
						if err != nil {
							return err
						}
						return walk(c)
					}
					return nil
				case symPred, symApplyPat, symRecordPat:
					if len(args) == 0 {
						return nil
					}
					for _, a := range args[1:] {
						if err := walk(a); err != nil {
							return err
						}
					}
					return nil
				case symAnd, symOr, symSetBang, symGetBang:
					for _, a := range args {
						if err := walk(a); err != nil {
							return err
						}
					}
					return nil
				}
			}
			if err := walk(x.Car); err != nil {
				return err
			}
			return walk(x.Cdr)
		}
		return nil
	}
	err := walk(pat)
	return out, err
}
