package eval

import (
	"fruix.dev/fruix/lang"
)

// Compile-time environments.
//
// A scope maps identifiers to bindings. Identifiers are symbols, or
// aliases made by syntax-rules when it inserts a template symbol: an alias
// remembers the symbol it renames and the environment of the macro's
// definition. Binding forms key their bindings by the identifier itself,
// so a binding introduced by a macro (keyed by an alias) never captures a
// user's symbol, and a user's binding never captures an alias; an alias
// that no binding in the use environment claims means what its symbol
// means where the macro was defined. This is renaming hygiene, as in
// explicit-renaming and syntactic-closure expanders.

// alias is a renamed identifier inserted by a macro expansion.
type alias struct {
	sym    lang.Value // *lang.Symbol or *alias (nested expansions)
	env    *scope     // the macro's definition scope; nil at module level
	module *Module    // the macro's module
}

// TypeName implements lang.Named.
func (*alias) TypeName() string { return "identifier" }

func (a *alias) String() string { return baseSymbol(a).Name }

// IdentifierSymbol returns the symbol v names when v is an identifier: a
// plain symbol, or an identifier a macro expansion renamed (native
// macros receive those among their arguments). For anything else it
// returns false.
func IdentifierSymbol(v lang.Value) (*lang.Symbol, bool) {
	s := baseSymbol(v)
	return s, s != nil
}

// baseSymbol returns the symbol an identifier ultimately renames.
func baseSymbol(id lang.Value) *lang.Symbol {
	for {
		switch x := id.(type) {
		case *lang.Symbol:
			return x
		case *alias:
			id = x.sym
		default:
			return nil
		}
	}
}

func isIdent(v lang.Value) bool {
	switch v.(type) {
	case *lang.Symbol, *alias:
		return true
	}
	return false
}

// frameInfo describes the run-time frame of one lambda (or top-level
// form): let-bound variables of its body share the frame, each in its own
// slot, since a Scheme body runs once per frame.
type frameInfo struct {
	parent *frameInfo
	size   int
}

func (fi *frameInfo) alloc() int {
	fi.size++
	return fi.size - 1
}

type bindingKind uint8

const (
	bindVar bindingKind = iota
	bindMacro
)

type binding struct {
	kind  bindingKind
	fi    *frameInfo
	index int
	macro *Macro
	// maybeUnset marks letrec and internal-define slots, read before
	// their initialisation is an error rather than a Go nil.
	maybeUnset bool
	name       *lang.Symbol
}

type scope struct {
	// toplevel marks the scope of a top-level form, where define binds
	// module variables.
	toplevel bool
	parent   *scope
	fi       *frameInfo
	ids      []lang.Value
	binds    []*binding
}

func newScope(parent *scope, fi *frameInfo) *scope {
	return &scope{parent: parent, fi: fi}
}

func (s *scope) find(id lang.Value) *binding {
	for i := len(s.ids) - 1; i >= 0; i-- {
		if s.ids[i] == id {
			return s.binds[i]
		}
	}
	return nil
}

// bindVar adds a variable with a new slot in s's frame.
func (s *scope) bindVar(id lang.Value) *binding {
	b := &binding{kind: bindVar, fi: s.fi, index: s.fi.alloc(), name: baseSymbol(id)}
	s.ids = append(s.ids, id)
	s.binds = append(s.binds, b)
	return b
}

func (s *scope) bindMacro(id lang.Value, m *Macro) {
	s.ids = append(s.ids, id)
	s.binds = append(s.binds, &binding{kind: bindMacro, macro: m, name: baseSymbol(id)})
}

// lookupIdent resolves id in scope s of module m: a lexical binding, or
// else the module cell it denotes (nil if it denotes nothing yet).
func lookupIdent(id lang.Value, s *scope, m *Module) (*binding, *Cell) {
	for {
		for sc := s; sc != nil; sc = sc.parent {
			if b := sc.find(id); b != nil {
				return b, nil
			}
		}
		switch x := id.(type) {
		case *alias:
			id, s, m = x.sym, x.env, x.module
		case *lang.Symbol:
			return nil, m.resolve(x)
		default:
			return nil, nil
		}
	}
}

// globalTarget returns the module and symbol a free identifier refers to
// at module level: the module of the macro that inserted it, if any.
func globalTarget(id lang.Value, s *scope, m *Module) (*Module, *lang.Symbol) {
	for {
		a, ok := id.(*alias)
		if !ok {
			return m, id.(*lang.Symbol)
		}
		// A binding for the alias itself in the use environment would
		// have been found by lookupIdent; here we follow it to the
		// definition environment.
		id, m = a.sym, a.module
	}
}

// sameBinding reports whether identifiers a (in sa, ma) and b (in sb, mb)
// denote the same binding (free-identifier=?): the same lexical binding,
// the same module cell, or both unbound with the same name.
func sameBinding(a lang.Value, sa *scope, ma *Module, b lang.Value, sb *scope, mb *Module) bool {
	ba, ca := lookupIdent(a, sa, ma)
	bb, cb := lookupIdent(b, sb, mb)
	if ba != nil || bb != nil {
		return ba == bb
	}
	if ca != nil && cb != nil && ca.Value != nil && cb.Value != nil {
		return ca == cb || ca.Value == cb.Value
	}
	if (ca == nil || ca.Value == nil) && (cb == nil || cb.Value == nil) {
		return baseSymbol(a) == baseSymbol(b)
	}
	return false
}

// stripSyntax returns datum d with every alias replaced by its symbol
// (syntax->datum). A datum without aliases is returned as it is; one with
// aliases is copied, with the same shape: a pair or vector met twice,
// circular data included, is copied once.
//
// Most data are small and acyclic, and are walked and copied without a
// map of what was seen. A walk that outlasts datumWalkBudget steps may be
// going round a circular datum (#0=(a . #0#)) or through shared structure
// many times over, and is done again with a map, which visits each pair
// and vector once.
func stripSyntax(d lang.Value) lang.Value {
	if !hasAlias(d) {
		return d
	}
	budget := datumWalkBudget
	if c, ok := stripWithin(d, &budget); ok {
		return c
	}
	return stripOnce(d, map[lang.Value]lang.Value{})
}

// hasAlias reports whether datum d holds an alias. It terminates on
// circular data, reporting false for a cycle that holds none.
func hasAlias(d lang.Value) bool { return anyInDatum(d, isAlias) }

func isAlias(v lang.Value) bool {
	_, ok := v.(*alias)
	return ok
}

// stripWithin copies d with its aliases replaced by their symbols,
// spending one of budget per pair and vector, and reports whether it
// finished. Structure met twice is copied twice, so it is meant for data
// a walk within the same budget found acyclic.
func stripWithin(d lang.Value, budget *int) (lang.Value, bool) {
	switch x := d.(type) {
	case *alias:
		return baseSymbol(x), true
	case *lang.Pair:
		var head, tail *lang.Pair
		var rest lang.Value = x
		for {
			p, ok := rest.(*lang.Pair)
			if !ok {
				end, ok := stripWithin(rest, budget)
				tail.Cdr = end
				return head, ok
			}
			if *budget--; *budget < 0 {
				return nil, false
			}
			car, ok := stripWithin(p.Car, budget)
			if !ok {
				return nil, false
			}
			n := &lang.Pair{Car: car, Pos: p.Pos}
			if head == nil {
				head = n
			} else {
				tail.Cdr = n
			}
			tail = n
			rest = p.Cdr
		}
	case *lang.Vector:
		if *budget--; *budget < 0 {
			return nil, false
		}
		items := make([]lang.Value, len(x.Items))
		for i, it := range x.Items {
			c, ok := stripWithin(it, budget)
			if !ok {
				return nil, false
			}
			items[i] = c
		}
		return &lang.Vector{Items: items}, true
	}
	return d, true
}

// stripOnce copies d with its aliases replaced by their symbols, copying
// each pair and vector once: copies maps the originals met so far to
// their copies, so shared and circular structure keeps its shape.
func stripOnce(d lang.Value, copies map[lang.Value]lang.Value) lang.Value {
	switch x := d.(type) {
	case *alias:
		return baseSymbol(x)
	case *lang.Pair:
		if c, ok := copies[x]; ok {
			return c
		}
		head := &lang.Pair{Pos: x.Pos}
		copies[x] = head
		head.Car = stripOnce(x.Car, copies)
		tail := head
		rest := x.Cdr
		for {
			p, ok := rest.(*lang.Pair)
			if !ok {
				tail.Cdr = stripOnce(rest, copies)
				return head
			}
			if c, ok := copies[p]; ok {
				tail.Cdr = c
				return head
			}
			n := &lang.Pair{Pos: p.Pos}
			copies[p] = n
			tail.Cdr = n
			n.Car = stripOnce(p.Car, copies)
			tail = n
			rest = p.Cdr
		}
	case *lang.Vector:
		if c, ok := copies[x]; ok {
			return c
		}
		v := &lang.Vector{Items: make([]lang.Value, len(x.Items))}
		copies[x] = v
		for i, it := range x.Items {
			v.Items[i] = stripOnce(it, copies)
		}
		return v
	}
	return d
}
