package stdlib

import (
	"strings"
	"sync"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// The gexp macro. (gexp body) — what the reader makes of #~body — becomes
// a call that evaluates every escaped expression in the user's scope and
// makes a Gexp from them and the template, a copy of body with holes
// where the escapes were. The template is built once, when the form is
// compiled.

var (
	symUngexp               = lang.Intern("ungexp")
	symUngexpSplicing       = lang.Intern("ungexp-splicing")
	symUngexpNative         = lang.Intern("ungexp-native")
	symUngexpNativeSplicing = lang.Intern("ungexp-native-splicing")
	symGexp                 = lang.Intern("gexp")
	symOutput               = lang.Intern("output")
)

// gexpRef is (@ (fruix gexp) name), immune to the user's shadowing.
// The forms are made once and shared by every expansion. That is safe as
// long as they only ever stand inside a list an expansion makes afresh
// (as an operator or an argument): compiling them changes nothing, and
// only the outermost pair of an expansion gets a position filled in.
func gexpRef(name string) lang.Value {
	if ref, ok := gexpRefForms.Load(name); ok {
		return ref.(lang.Value)
	}
	ref, _ := gexpRefForms.LoadOrStore(name, lang.List(lang.Intern("@"), gexpModuleName, lang.Intern(name)))
	return ref.(lang.Value)
}

var (
	gexpModuleName = lang.List(lang.Intern("fruix"), lang.Intern("gexp"))
	gexpRefForms   sync.Map // name -> (@ (fruix gexp) name)
)

func expandGexp(th *eval.Thread, form *lang.Pair, env *eval.MacroEnv) (lang.Value, error) {
	args, ok := listArgs(form.Cdr)
	if !ok || len(args) != 1 {
		return nil, syntaxErrorAt(form.Pos, "gexp: bad syntax: want #~expression, one expression")
	}
	c := &gexpCollector{env: env}
	template, err := c.walk(args[0], form.Pos)
	if err != nil {
		return nil, err
	}
	site := &gexpSite{template: template, slots: len(c.exprs), pos: form.Pos}
	call := append([]lang.Value{gexpRef("%make-gexp"), quoted(site, form.Pos)}, c.exprs...)
	return listAt(form.Pos, call...), nil
}

// gexpCollector gathers the escaped expressions of one gexp form.
type gexpCollector struct {
	env   *eval.MacroEnv
	exprs []lang.Value
	// The template's pairs and holes are taken from blocks: they live as
	// long as the template, and lowering walks them together, long after
	// they were made, when pairs made one by one would each be a cache
	// miss.
	pairs blocks[holePair]
	holes blocks[gexpHole]
}

// blocks hands out values of type T from blocks that start small and
// double up to a limit, so that a small template keeps little more than
// it uses.
type blocks[T any] struct {
	free []T
	size int // of the last block made
}

func (b *blocks[T]) take(limit int) *T {
	if len(b.free) == 0 {
		b.size = min(max(2*b.size, 4), limit)
		b.free = make([]T, b.size)
	}
	p := &b.free[0]
	b.free = b.free[1:]
	return p
}

func (c *gexpCollector) newPair(car, cdr lang.Value) *holePair {
	p := c.pairs.take(32)
	p.car, p.cdr = car, cdr
	return p
}

func (c *gexpCollector) newHole(h gexpHole) *gexpHole {
	p := c.holes.take(16)
	*p = h
	return p
}

func (c *gexpCollector) slot(expr lang.Value) int {
	c.exprs = append(c.exprs, expr)
	return len(c.exprs) - 1
}

func (c *gexpCollector) walk(v lang.Value, pos lang.Pos) (lang.Value, error) {
	switch x := v.(type) {
	case *lang.Pair:
		if x.Pos.Known() {
			pos = x.Pos
		}
		if head, ok := identSymbol(x.Car); ok {
			switch head {
			case symUngexp, symUngexpSplicing, symUngexpNative, symUngexpNativeSplicing:
				return c.escape(head, x, pos)
			case symGexp:
				// A gexp written inside a gexp: its code is inserted, as
				// #$#~ would, and its inputs and modules join the outer's.
				return c.newHole(gexpHole{kind: holeValue, slot: c.slot(x), outVal: -1, pos: pos}), nil
			}
		}
		car, err := c.walk(x.Car, pos)
		if err != nil {
			return nil, err
		}
		cdr, err := c.walk(x.Cdr, pos)
		if err != nil {
			return nil, err
		}
		if hasHoles(car) || hasHoles(cdr) {
			return c.newPair(car, cdr), nil
		}
		if same(car, x.Car) && same(cdr, x.Cdr) {
			return x, nil // as written: the template shares it
		}
		return &lang.Pair{Car: car, Cdr: cdr, Pos: x.Pos}, nil
	case *lang.Symbol:
		return x, nil
	}
	// Identifiers renamed by syntax-rules stand for their symbol in the
	// code a build runs.
	if s, ok := identSymbol(v); ok {
		return s, nil
	}
	return v, nil
}

// same reports whether walk returned the part it was given: the pairs
// and symbols it makes are new pointers, and it returns every other part
// as it is.
func same(made, given lang.Value) bool {
	switch m := made.(type) {
	case *lang.Pair:
		p, ok := given.(*lang.Pair)
		return ok && m == p
	case *lang.Symbol:
		s, ok := given.(*lang.Symbol)
		return ok && m == s
	case *holePair, *gexpHole:
		return false
	}
	return true
}

// holePair is a pair of a gexp's template that has holes inside; the
// pairs of a template without holes are ordinary pairs, which lowering
// shares instead of copying.
type holePair struct{ car, cdr lang.Value }

func (*holePair) TypeName() string { return "gexp-template" }

func hasHoles(v lang.Value) bool {
	switch v.(type) {
	case *holePair, *gexpHole:
		return true
	}
	return false
}

// escape makes the hole for (ungexp x), (ungexp x output) and the
// splicing and native forms.
func (c *gexpCollector) escape(head *lang.Symbol, form *lang.Pair, pos lang.Pos) (lang.Value, error) {
	args, ok := listArgs(form.Cdr)
	if !ok || len(args) < 1 || len(args) > 2 {
		return nil, syntaxErrorAt(pos, "gexp: bad %s: want #$expression or (%s expression output)", head.Name, head.Name)
	}
	h := c.newHole(gexpHole{kind: holeValue, outVal: -1, pos: pos,
		splice: head == symUngexpSplicing || head == symUngexpNativeSplicing,
		native: head == symUngexpNative || head == symUngexpNativeSplicing})
	expr := args[0]
	if name, output, ok := c.outputReference(expr); ok {
		if h.splice {
			return nil, syntaxErrorAt(pos, "gexp: #$@%s: the derivation's output is not a list to splice", lang.WriteString(expr))
		}
		h.kind = holeOutput
		h.output = output
		if name != nil {
			if s, ok := name.(*lang.String); ok {
				h.output = s.String()
			} else {
				h.outVal = c.slot(name)
			}
		}
		if len(args) == 2 {
			return nil, syntaxErrorAt(pos, "gexp: bad %s: #$output takes its output name as #$output:NAME or #$(output \"NAME\")", head.Name)
		}
		return h, nil
	}
	if s, ok := expr.(*lang.Symbol); ok && !c.env.IsBound(s) {
		// #$drv:out names an output of drv, as Guix's reader has it.
		if i := strings.LastIndexByte(s.Name, ':'); i > 0 && i < len(s.Name)-1 {
			expr = lang.Intern(s.Name[:i])
			h.output = s.Name[i+1:]
		}
	}
	h.slot = c.slot(expr)
	if len(args) == 2 {
		if h.output != "" {
			return nil, syntaxErrorAt(pos, "gexp: %s: output given twice", lang.WriteString(form))
		}
		if s, ok := args[1].(*lang.String); ok {
			h.output = s.String()
		} else {
			h.outVal = c.slot(args[1])
		}
	}
	return h, nil
}

// outputReference recognizes output, output:NAME, (output) and (output
// NAME): a reference to an output of the derivation being built. It
// returns the name's expression, or the literal name.
func (c *gexpCollector) outputReference(expr lang.Value) (name lang.Value, literal string, ok bool) {
	switch x := expr.(type) {
	case *lang.Symbol:
		if x == symOutput {
			return nil, "out", true
		}
		if rest, found := strings.CutPrefix(x.Name, "output:"); found && rest != "" {
			return nil, rest, true
		}
	case *lang.Pair:
		if head, ok := identSymbol(x.Car); ok && head == symOutput {
			items, ok := listArgs(x.Cdr)
			if ok && len(items) == 0 {
				return nil, "out", true
			}
			if ok && len(items) == 1 {
				return items[0], "", true
			}
		}
	}
	return nil, "", false
}

// expandUngexpOutside reports #$ and friends used where no gexp encloses
// them.
func expandUngexpOutside(_ *eval.Thread, form *lang.Pair, _ *eval.MacroEnv) (lang.Value, error) {
	name := "ungexp"
	if s, ok := identSymbol(form.Car); ok {
		name = s.Name
	}
	return nil, syntaxErrorAt(form.Pos, "gexp: %s outside a gexp (#$, #$@, #+ and #+@ escape from a #~ form)", name)
}

// expandWithImportedModules expands (with-imported-modules modules body
// ...): gexps made in body ship modules into their builds.
func expandWithImportedModules(_ *eval.Thread, form *lang.Pair, _ *eval.MacroEnv) (lang.Value, error) {
	args, ok := listArgs(form.Cdr)
	if !ok || len(args) < 2 {
		return nil, syntaxErrorAt(form.Pos, "with-imported-modules: bad syntax: want (with-imported-modules modules body ...)")
	}
	pos := form.Pos
	param := gexpRef("%current-imported-modules")
	value := listAt(pos, gexpRef("%add-imported-modules"), args[0])
	bindings := listAt(pos, listAt(pos, param, value))
	return listAt(pos, append([]lang.Value{lang.Intern("parameterize"), bindings}, args[1:]...)...), nil
}
