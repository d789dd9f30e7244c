package eval

import (
	"sort"
	"strings"

	"fruix.dev/fruix/lang"
)

// Cell is a module-level binding. Compiled code holds the cell itself, so
// a global reference is one pointer load; a nil Value means unbound.
type Cell struct {
	Value lang.Value
	Name  *lang.Symbol
	owner *Module
	// declared: a top-level define of the module names this cell, so it
	// shadows imports even before the definition has run (recursion).
	declared bool
}

// Module is a named set of top-level bindings with a public interface and
// a list of imported interfaces.
type Module struct {
	th   *Thread
	name []string
	vars map[*lang.Symbol]*Cell // own bindings (and unbound placeholders)
	uses []*importSpec
	// imported remembers the bound cells imports gave, so that a name
	// is looked for through the imports once; use empties it.
	imported map[*lang.Symbol]*Cell
	exports  map[*lang.Symbol]*lang.Symbol // public name -> local name
	// exportAll: every definition is public (native modules, R7RS-less
	// anonymous environments).
	exportAll bool
	native    bool
}

// importSpec is one imported interface with the selection, renaming and
// prefix of use-modules or import applied: it maps local names to the
// public names of from.
type importSpec struct {
	from    *Module
	select_ map[*lang.Symbol]*lang.Symbol // local -> public; nil: all
	hide    map[*lang.Symbol]bool         // public names hidden
	prefix  string
	rename  func(public *lang.Symbol) *lang.Symbol // nil: identity (after prefix)
	// renamed caches local -> public when rename is set.
	renamed map[*lang.Symbol]*lang.Symbol
}

func newModule(th *Thread, name []string) *Module {
	return &Module{th: th, name: name, vars: map[*lang.Symbol]*Cell{}, exports: map[*lang.Symbol]*lang.Symbol{}}
}

// Name returns the module's name, e.g. ["guile"].
func (m *Module) Name() []string { return m.name }

// TypeName implements lang.Named.
func (*Module) TypeName() string { return "module" }

func (m *Module) String() string { return "#<module " + m.NameString() + ">" }

// NameString returns the name as written: "(ice-9 match)".
func (m *Module) NameString() string { return "(" + strings.Join(m.name, " ") + ")" }

// Define binds name to v in m. In a native module's init every
// definition is exported.
func (m *Module) Define(name string, v lang.Value) {
	m.define(lang.Intern(name), v)
}

func (m *Module) define(sym *lang.Symbol, v lang.Value) *Cell {
	c := m.vars[sym]
	if c == nil {
		c = &Cell{Name: sym, owner: m}
		m.vars[sym] = c
	}
	c.Value = v
	if m.exportAll {
		m.exports[sym] = sym
	}
	return c
}

// ExpectDefinitions sizes the tables of m, still empty, for about n
// definitions, so that filling a native module with hundreds of builtins
// does not grow them step by step.
func (m *Module) ExpectDefinitions(n int) {
	if len(m.vars) == 0 {
		m.vars = make(map[*lang.Symbol]*Cell, n)
	}
	if m.exportAll && len(m.exports) == 0 {
		m.exports = make(map[*lang.Symbol]*lang.Symbol, n)
	}
}

// DefineBuiltins defines each builtin under its Name.
func (m *Module) DefineBuiltins(bs []*Builtin) {
	for _, b := range bs {
		m.Define(b.Name, b)
	}
}

// DefineNativeMacro binds name to a macro expanded by Go code; see
// MacroFunc for the contract an expansion follows.
func (m *Module) DefineNativeMacro(name string, expand MacroFunc) {
	m.Define(name, &Macro{name: name, native: expand, module: m})
}

// Export adds names (defined in m or imported into it) to m's public
// interface.
func (m *Module) Export(names ...string) {
	for _, n := range names {
		s := lang.Intern(n)
		m.exports[s] = s
	}
}

// Use imports every public binding of other into m.
func (m *Module) Use(other *Module) { m.use(&importSpec{from: other}) }

// ReExportAll imports every public binding of other into m and makes it
// public in m too.
func (m *Module) ReExportAll(other *Module) {
	m.Use(other)
	for pub := range other.exports {
		m.exports[pub] = pub
	}
}

func (m *Module) use(spec *importSpec) {
	for _, u := range m.uses {
		if u.from == spec.from && u.select_ == nil && spec.select_ == nil && u.prefix == spec.prefix && u.rename == nil && spec.rename == nil && u.hide == nil && spec.hide == nil {
			return
		}
	}
	// Later imports take precedence, as in Guile.
	m.uses = append([]*importSpec{spec}, m.uses...)
	m.imported = nil
}

// Lookup returns the value bound to name in m or its imports.
func (m *Module) Lookup(name string) (lang.Value, bool) {
	c := m.resolve(lang.Intern(name))
	if c == nil || c.Value == nil {
		return nil, false
	}
	return c.Value, true
}

// resolve finds the cell of sym in m: its own binding, else an imported
// one. It returns nil when sym is bound nowhere (an own placeholder
// counts as bound only once it has a value).
func (m *Module) resolve(sym *lang.Symbol) *Cell {
	if c := m.vars[sym]; c != nil && (c.Value != nil || c.declared) {
		return c
	}
	if c := m.imported[sym]; c != nil {
		return c
	}
	for _, u := range m.uses {
		if c := u.lookup(sym, 0); c != nil {
			if c.Value != nil {
				if m.imported == nil {
					m.imported = map[*lang.Symbol]*Cell{}
				}
				m.imported[sym] = c
			}
			return c
		}
	}
	return m.vars[sym]
}

// cellFor returns the cell compiled code uses for sym in m: the resolved
// binding, or an own placeholder that a later define fills.
func (m *Module) cellFor(sym *lang.Symbol) *Cell {
	if c := m.resolve(sym); c != nil {
		return c
	}
	c := &Cell{Name: sym, owner: m}
	m.vars[sym] = c
	return c
}

// public returns the cell exported by m under name pub, or nil.
func (m *Module) public(pub *lang.Symbol, depth int) *Cell {
	local, ok := m.exports[pub]
	if !ok {
		return nil
	}
	if c := m.vars[local]; c != nil && c.Value != nil {
		return c
	}
	if depth > 64 {
		return nil
	}
	for _, u := range m.uses {
		if c := u.lookup(local, depth+1); c != nil {
			return c
		}
	}
	return m.vars[local]
}

func (u *importSpec) lookup(local *lang.Symbol, depth int) *Cell {
	pub := u.publicName(local)
	if pub == nil {
		return nil
	}
	return u.from.public(pub, depth)
}

// publicName maps a local name to the public name of u.from it stands
// for, or nil if the import does not provide it.
func (u *importSpec) publicName(local *lang.Symbol) *lang.Symbol {
	if u.select_ != nil {
		return u.select_[local]
	}
	name := local
	if u.rename != nil {
		if u.renamed == nil {
			u.renamed = map[*lang.Symbol]*lang.Symbol{}
			for pub := range u.from.exports {
				u.renamed[u.rename(pub)] = pub
			}
		}
		p, ok := u.renamed[local]
		if !ok {
			return nil
		}
		name = p
	} else if u.prefix != "" {
		if !strings.HasPrefix(local.Name, u.prefix) {
			return nil
		}
		name = lang.Intern(local.Name[len(u.prefix):])
	}
	if u.hide[name] {
		return nil
	}
	if _, ok := u.from.exports[name]; !ok {
		return nil
	}
	return name
}

// visibleNames returns every name bound in m or imported into it, for
// "did you mean" suggestions.
func (m *Module) visibleNames() []string {
	seen := map[string]bool{}
	for s, c := range m.vars {
		if c.Value != nil {
			seen[s.Name] = true
		}
	}
	for _, u := range m.uses {
		for pub := range u.from.exports {
			local := pub
			if u.select_ != nil {
				local = nil
				for l, p := range u.select_ {
					if p == pub {
						local = l
					}
				}
				if local == nil {
					continue
				}
			} else if u.hide[pub] {
				continue
			} else if u.rename != nil {
				local = u.rename(pub)
			} else if u.prefix != "" {
				local = lang.Intern(u.prefix + pub.Name)
			}
			seen[local.Name] = true
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ExportedNames returns the public names of m, sorted.
func (m *Module) ExportedNames() []string {
	names := make([]string, 0, len(m.exports))
	for s := range m.exports {
		names = append(names, s.Name)
	}
	sort.Strings(names)
	return names
}
