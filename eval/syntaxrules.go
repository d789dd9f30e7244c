package eval

import (
	"fruix.dev/fruix/lang"
)

// syntaxRules is a parsed (syntax-rules [ellipsis] (literal...) (pattern
// template)...) transformer.
type syntaxRules struct {
	ellipsis lang.Value // nil: the standard ...
	literals []lang.Value
	rules    [][2]lang.Value
}

// mtree is what a pattern variable matched: a datum at depth 0, or one
// mtree per repetition under an ellipsis.
type mtree struct {
	val   lang.Value
	items []*mtree
	deep  bool // matched under an ellipsis (items is meaningful, even if empty)
}

func (c *compiler) parseSyntaxRules(spec *lang.Pair, s *scope) (*syntaxRules, error) {
	a, err := c.listItems(spec, spec.Cdr, "syntax-rules")
	if err != nil {
		return nil, err
	}
	sr := &syntaxRules{}
	if len(a) > 0 && isIdent(a[0]) {
		sr.ellipsis = a[0]
		a = a[1:]
	}
	if len(a) == 0 {
		return nil, c.syntaxError(spec, "syntax-rules: expected a list of literals")
	}
	lits, err := c.listItems(spec, a[0], "syntax-rules literals")
	if err != nil {
		return nil, err
	}
	for _, l := range lits {
		if !isIdent(l) {
			return nil, c.syntaxError(spec, "syntax-rules: literal %s is not an identifier", writeString(stripSyntax(l)))
		}
	}
	sr.literals = lits
	for _, r := range a[1:] {
		parts, err := c.listItems(spec, r, "syntax-rules rule")
		if err != nil || len(parts) != 2 {
			return nil, c.syntaxError(spec, "syntax-rules: bad rule %s: expected (pattern template)", writeString(stripSyntax(r)))
		}
		if _, ok := parts[0].(*lang.Pair); !ok {
			return nil, c.syntaxError(spec, "syntax-rules: pattern %s must be a list", writeString(stripSyntax(parts[0])))
		}
		if containsItself(parts[0]) || containsItself(parts[1]) {
			return nil, c.syntaxError(spec, "syntax-rules: the pattern or template of rule %d contains itself; expected finite data, not a circular list or vector", len(sr.rules)+1)
		}
		sr.rules = append(sr.rules, [2]lang.Value{parts[0], parts[1]})
	}
	return sr, nil
}

func (sr *syntaxRules) isEllipsis(x lang.Value) bool {
	if !isIdent(x) || sr.isLiteral(x) {
		// R7RS: an ellipsis listed among the literals is a literal.
		return false
	}
	if sr.ellipsis != nil {
		return x == sr.ellipsis || baseSymbol(x) == baseSymbol(sr.ellipsis)
	}
	return baseSymbol(x).Name == "..."
}

func (sr *syntaxRules) isLiteral(x lang.Value) bool {
	for _, l := range sr.literals {
		if l == x {
			return true
		}
	}
	return false
}

// matcher matches one use of a macro.
type matcher struct {
	c      *compiler
	sr     *syntaxRules
	m      *Macro
	use    *scope
	module *Module
	// sawCircular is set when an ellipsis was asked to match a circular
	// list, which no pattern matches.
	sawCircular bool
}

func (mt *matcher) match(pat, form lang.Value, b map[lang.Value]*mtree) bool {
	switch p := pat.(type) {
	case *lang.Symbol, *alias:
		if mt.sr.isLiteral(p) {
			return isIdent(form) && sameBinding(form, mt.use, mt.module, p, mt.m.env, mt.m.module)
		}
		if baseSymbol(p).Name == "_" {
			return true
		}
		b[p] = &mtree{val: form}
		return true
	case *lang.Pair:
		if next, ok := p.Cdr.(*lang.Pair); ok && mt.sr.isEllipsis(next.Car) {
			tailPat := next.Cdr
			minTail := 0
			for t, ok := tailPat.(*lang.Pair); ok; t, ok = t.Cdr.(*lang.Pair) {
				minTail++
			}
			// A use written with #0=(a . #0#) notation can be circular
			// and would be counted for ever.
			n, _, circular := lang.ListLength(form)
			if circular {
				mt.sawCircular = true
				return false
			}
			n -= minTail
			if n < 0 {
				return false
			}
			vars := mt.patternVars(p.Car, nil)
			seqs := make(map[lang.Value]*mtree, len(vars))
			for _, v := range vars {
				seqs[v] = &mtree{deep: true}
			}
			f := form
			for i := 0; i < n; i++ {
				fp := f.(*lang.Pair)
				bi := map[lang.Value]*mtree{}
				if !mt.match(p.Car, fp.Car, bi) {
					return false
				}
				for _, v := range vars {
					seqs[v].items = append(seqs[v].items, bi[v])
				}
				f = fp.Cdr
			}
			for v, t := range seqs {
				b[v] = t
			}
			return mt.match(tailPat, f, b)
		}
		fp, ok := form.(*lang.Pair)
		if !ok {
			return false
		}
		return mt.match(p.Car, fp.Car, b) && mt.match(p.Cdr, fp.Cdr, b)
	case *lang.Null:
		_, ok := form.(*lang.Null)
		return ok
	case *lang.Vector:
		fv, ok := form.(*lang.Vector)
		if !ok {
			return false
		}
		return mt.match(lang.List(p.Items...), lang.List(fv.Items...), b)
	}
	return lang.Equal(stripSyntax(pat), stripSyntax(form))
}

// patternVars lists the pattern variables of pat.
func (mt *matcher) patternVars(pat lang.Value, acc []lang.Value) []lang.Value {
	switch p := pat.(type) {
	case *lang.Symbol, *alias:
		if !mt.sr.isLiteral(p) && !mt.sr.isEllipsis(p) && baseSymbol(p).Name != "_" {
			acc = append(acc, p)
		}
	case *lang.Pair:
		acc = mt.patternVars(p.Car, acc)
		acc = mt.patternVars(p.Cdr, acc)
	case *lang.Vector:
		for _, it := range p.Items {
			acc = mt.patternVars(it, acc)
		}
	}
	return acc
}

// expand expands one use of a syntax-rules macro.
func (sr *syntaxRules) expand(c *compiler, m *Macro, form *lang.Pair, s *scope) (lang.Value, error) {
	mt := &matcher{c: c, sr: sr, m: m, use: s, module: c.module}
	for _, r := range sr.rules {
		b := map[lang.Value]*mtree{}
		pat := r[0].(*lang.Pair)
		// The keyword position is not matched.
		if !mt.match(pat.Cdr, form.Cdr, b) {
			continue
		}
		ex := &instantiator{c: c, sr: sr, m: m, renames: map[lang.Value]*alias{}, pos: form.Pos}
		out, err := ex.expand(r[1], b, true)
		if err != nil {
			return nil, err
		}
		if p, ok := out.(*lang.Pair); ok && !p.Pos.Known() {
			p.Pos = form.Pos
		}
		return out, nil
	}
	if mt.sawCircular {
		return nil, c.syntaxError(form, "%s: expected a proper list to match an ellipsis, not a circular one", m.name)
	}
	return nil, c.syntaxError(form, "%s: no syntax rule matches %s", m.name, writeString(stripSyntax(form)))
}

// instantiator fills a template: pattern variables are replaced by what
// they matched, every other identifier by an alias, the same alias for
// the same identifier within one expansion.
type instantiator struct {
	c       *compiler
	sr      *syntaxRules
	m       *Macro
	renames map[lang.Value]*alias
	pos     lang.Pos
}

func (ex *instantiator) rename(id lang.Value) lang.Value {
	if a, ok := ex.renames[id]; ok {
		return a
	}
	a := &alias{sym: id, env: ex.m.env, module: ex.m.module}
	ex.renames[id] = a
	return a
}

func (ex *instantiator) expand(t lang.Value, b map[lang.Value]*mtree, ellipsisActive bool) (lang.Value, error) {
	switch v := t.(type) {
	case *lang.Symbol, *alias:
		if mv, ok := b[v]; ok {
			if mv.deep {
				return nil, ex.c.syntaxError(nil, "%s: pattern variable `%s' used without an ellipsis", ex.m.name, baseSymbol(v).Name)
			}
			return mv.val, nil
		}
		return ex.rename(v), nil
	case *lang.Pair:
		if ellipsisActive && ex.sr.isEllipsis(v.Car) {
			// (... template): the template with ... as an ordinary
			// identifier.
			if rest, ok := v.Cdr.(*lang.Pair); ok {
				return ex.expand(rest.Car, b, false)
			}
		}
		if next, ok := v.Cdr.(*lang.Pair); ok && ellipsisActive && ex.sr.isEllipsis(next.Car) {
			depth := 1
			after := next.Cdr
			for {
				ap, ok := after.(*lang.Pair)
				if !ok || !ex.sr.isEllipsis(ap.Car) {
					break
				}
				depth++
				after = ap.Cdr
			}
			items, err := ex.repeat(v.Car, b, depth)
			if err != nil {
				return nil, err
			}
			rest, err := ex.expand(after, b, ellipsisActive)
			if err != nil {
				return nil, err
			}
			for i := len(items) - 1; i >= 0; i-- {
				rest = &lang.Pair{Car: items[i], Cdr: rest}
			}
			return rest, nil
		}
		if err := ex.c.th.chargeExpansion(ex.pos); err != nil {
			return nil, err
		}
		car, err := ex.expand(v.Car, b, ellipsisActive)
		if err != nil {
			return nil, err
		}
		cdr, err := ex.expand(v.Cdr, b, ellipsisActive)
		if err != nil {
			return nil, err
		}
		return &lang.Pair{Car: car, Cdr: cdr, Pos: v.Pos}, nil
	case *lang.Vector:
		l, err := ex.expand(lang.List(v.Items...), b, ellipsisActive)
		if err != nil {
			return nil, err
		}
		var items []lang.Value
		for p, ok := l.(*lang.Pair); ok; p, ok = p.Cdr.(*lang.Pair) {
			items = append(items, p.Car)
		}
		return &lang.Vector{Items: items}, nil
	}
	return t, nil
}

// repeat instantiates sub once per repetition of the ellipsis variables
// it contains; depth > 1 flattens nested repetitions (x ... ...).
func (ex *instantiator) repeat(sub lang.Value, b map[lang.Value]*mtree, depth int) ([]lang.Value, error) {
	var vars []lang.Value
	ex.templateVars(sub, b, &vars)
	n := -1
	for _, v := range vars {
		l := len(b[v].items)
		if n >= 0 && l != n {
			return nil, ex.c.syntaxError(nil, "%s: pattern variables under one ellipsis matched different numbers of items", ex.m.name)
		}
		n = l
	}
	if n < 0 {
		return nil, ex.c.syntaxError(nil, "%s: no pattern variable with an ellipsis in template %s", ex.m.name, writeString(stripSyntax(sub)))
	}
	var out []lang.Value
	for i := 0; i < n; i++ {
		bi := make(map[lang.Value]*mtree, len(b))
		for k, v := range b {
			bi[k] = v
		}
		for _, v := range vars {
			bi[v] = b[v].items[i]
		}
		if depth > 1 {
			items, err := ex.repeat(sub, bi, depth-1)
			if err != nil {
				return nil, err
			}
			out = append(out, items...)
			continue
		}
		x, err := ex.expand(sub, bi, true)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

// templateVars collects the pattern variables in t that still have
// repetitions to iterate.
func (ex *instantiator) templateVars(t lang.Value, b map[lang.Value]*mtree, acc *[]lang.Value) {
	switch v := t.(type) {
	case *lang.Symbol, *alias:
		if mv, ok := b[v]; ok && mv.deep {
			for _, a := range *acc {
				if a == v {
					return
				}
			}
			*acc = append(*acc, v)
		}
	case *lang.Pair:
		ex.templateVars(v.Car, b, acc)
		ex.templateVars(v.Cdr, b, acc)
	case *lang.Vector:
		for _, it := range v.Items {
			ex.templateVars(it, b, acc)
		}
	}
}

// makeMacro evaluates a transformer spec: a syntax-rules form, or an
// identifier naming another macro.
func (c *compiler) makeMacro(name lang.Value, spec lang.Value, s *scope) (*Macro, error) {
	if isIdent(spec) {
		_, m, err := c.syntaxOf(spec, s)
		if err != nil {
			return nil, err
		}
		if m != nil {
			return m, nil
		}
	}
	if p, ok := spec.(*lang.Pair); ok && c.isCore(p.Car, "syntax-rules", s) {
		sr, err := c.parseSyntaxRules(p, s)
		if err != nil {
			return nil, err
		}
		env := s
		if s != nil && s.toplevel {
			env = nil
		}
		return &Macro{name: baseSymbol(name).Name, rules: sr, env: env, module: c.module}, nil
	}
	return nil, c.syntaxError(spec, "define-syntax: unsupported transformer %s (Fruix supports syntax-rules)", writeString(stripSyntax(spec)))
}

// defineSyntax handles (define-syntax name transformer) in a body.
func (c *compiler) defineSyntax(form *lang.Pair, s *scope) error {
	a, err := c.args(form, 2, 2, "(define-syntax name transformer)")
	if err != nil {
		return err
	}
	if !isIdent(a[0]) {
		return c.syntaxError(form, "define-syntax: expected a name, got %s", writeString(stripSyntax(a[0])))
	}
	m, err := c.makeMacro(a[0], a[1], s)
	if err != nil {
		return err
	}
	s.bindMacro(a[0], m)
	return nil
}

func compileDefineSyntax(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	if !s.toplevel {
		return nil, c.syntaxError(form, "define-syntax: not allowed here")
	}
	a, err := c.args(form, 2, 2, "(define-syntax name transformer)")
	if err != nil {
		return nil, err
	}
	if !isIdent(a[0]) {
		return nil, c.syntaxError(form, "define-syntax: expected a name, got %s", writeString(stripSyntax(a[0])))
	}
	m, err := c.makeMacro(a[0], a[1], s)
	if err != nil {
		return nil, err
	}
	c.module.define(baseSymbol(a[0]), m)
	return &constNode{lang.Unspec}, nil
}

func compileLetSyntax(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	a, err := c.args(form, 2, -1, "(let-syntax ((name transformer) ...) body...)")
	if err != nil {
		return nil, err
	}
	items, err := c.listItems(form, a[0], "let-syntax")
	if err != nil {
		return nil, err
	}
	rec := formName(form) == "letrec-syntax"
	ns := newScope(s, s.fi)
	for _, it := range items {
		parts, err := c.listItems(form, it, "let-syntax binding")
		if err != nil || len(parts) != 2 || !isIdent(parts[0]) {
			return nil, c.syntaxError(form, "let-syntax: bad binding: expected (name transformer)")
		}
		env := s
		if rec {
			env = ns
		}
		m, err := c.makeMacro(parts[0], parts[1], env)
		if err != nil {
			return nil, err
		}
		ns.bindMacro(parts[0], m)
	}
	return c.compileBody(form, a[1:], ns, tail)
}

func expandDefineSyntaxRule(c *compiler, form *lang.Pair, s *scope) (lang.Value, error) {
	a, err := c.args(form, 2, 3, "(define-syntax-rule (name . pattern) [docstring] template)")
	if err != nil {
		return nil, err
	}
	head, ok := a[0].(*lang.Pair)
	if !ok || !isIdent(head.Car) {
		return nil, c.syntaxError(form, "define-syntax-rule: expected (name . pattern)")
	}
	tmpl := a[len(a)-1]
	rule := lang.List(&lang.Pair{Car: lang.Intern("_"), Cdr: head.Cdr}, tmpl)
	return c.form("define-syntax", head.Car, c.form("syntax-rules", lang.Nil, rule)), nil
}

// containsItself reports whether a pair or vector of d can be reached
// from its own car, cdr or items: d is circular, not merely shared.
// Patterns and templates are matched and filled by recursion over their
// structure, which would never end on such data.
func containsItself(d lang.Value) bool {
	budget := datumWalkBudget
	if _, finished := anyWithin(d, visitNothing, &budget); finished {
		return false // a walk round a cycle would not have finished
	}
	return reachesItself(d, map[lang.Value]bool{})
}

func visitNothing(lang.Value) bool { return false }

// reachesItself is a depth-first walk: onPath[v] is true while v's
// parts are being walked, false once they all were.
func reachesItself(d lang.Value, onPath map[lang.Value]bool) bool {
	switch x := d.(type) {
	case *lang.Pair, *lang.Vector:
		if walking, seen := onPath[d]; seen {
			return walking
		}
		onPath[d] = true
		if p, ok := x.(*lang.Pair); ok {
			if reachesItself(p.Car, onPath) || reachesItself(p.Cdr, onPath) {
				return true
			}
		} else {
			for _, it := range x.(*lang.Vector).Items {
				if reachesItself(it, onPath) {
					return true
				}
			}
		}
		onPath[d] = false
	}
	return false
}
