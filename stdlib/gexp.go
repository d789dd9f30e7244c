package stdlib

import (
	"strings"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// The (fruix gexp) module: G-expressions and file-like objects, the way
// a configuration says what to put in the store and how to build it.
//
// A G-expression (#~exp) is code to run at build time. Inside it, #$x
// (ungexp) inserts the value of x, computed when the gexp is made, in the
// user's scope: a file-like object or a derivation is replaced by its
// store path, and the gexp records that the build needs it. #$@x splices
// a list; #+ and #+@ are the same for native inputs (Fruix does not
// cross-compile, so they mean what #$ and #$@ mean); #$output and
// #$output:NAME, or #$(output "NAME"), stand for the outputs of the
// derivation the gexp is built into.
//
// Gexps and file-like objects are cheap descriptions: nothing is hashed
// until they are lowered (lower.go), and lowering writes nothing.

func init() {
	modules = append(modules, moduleSpec{name: []string{"fruix", "gexp"}, extra: defineGexpModule})
}

// gexpParamsKey finds a Thread's %current-imported-modules parameter.
type gexpParamsKey struct{}

func defineGexpModule(th *eval.Thread, m *eval.Module) {
	imported, err := th.MakeParameter(lang.Nil, &eval.Builtin{Name: "with-imported-modules", MinArgs: 1, MaxArgs: 1, Fn: checkImportedModules})
	if err != nil {
		panic("stdlib: making %current-imported-modules: " + err.Error())
	}
	th.SetLocal(gexpParamsKey{}, imported)
	m.Define("%current-imported-modules", imported)
	m.DefineNativeMacro("gexp", expandGexp)
	for _, name := range []string{"ungexp", "ungexp-splicing", "ungexp-native", "ungexp-native-splicing"} {
		m.DefineNativeMacro(name, expandUngexpOutside)
	}
	m.DefineNativeMacro("with-imported-modules", expandWithImportedModules)
	m.DefineNativeMacro("local-file", expandLocalFile)
	m.DefineNativeMacro("define-gexp-compiler", expandDefineGexpCompiler)
	m.DefineBuiltins(gexpBuiltins)
	m.DefineBuiltins(fileLikeBuiltins)
	// Named local-file, so that backtraces show the call as the user
	// wrote it.
	m.Define("%local-file", &eval.Builtin{Name: "local-file", MinArgs: 2, MaxArgs: -1, Fn: makeLocalFile,
		Doc: "The procedure the local-file macro calls with the place of its use."})
}

// Gexp is a G-expression: the code of one #~ form, with the values its
// escapes had when it was evaluated and the modules it imports.
type Gexp struct {
	site    *gexpSite
	values  []lang.Value     // one per value slot of site, in order
	modules []importedModule // %current-imported-modules when it was made
}

// TypeName implements lang.Named.
func (*Gexp) TypeName() string { return "gexp" }

// gexpSite is what the gexp macro learned about one #~ form: its code,
// with each escape replaced by a hole. Every evaluation of the form makes
// a Gexp sharing it.
type gexpSite struct {
	template lang.Value
	slots    int // number of values each Gexp holds
	pos      lang.Pos
}

func (*gexpSite) TypeName() string { return "gexp-site" }

// gexpHole is an escape in a gexp's template.
type gexpHole struct {
	kind   holeKind
	slot   int    // the value's index in Gexp.values (holeValue)
	outVal int    // index of the evaluated output name, or -1
	output string // the output name written literally, or ""
	splice bool
	native bool
	pos    lang.Pos
}

type holeKind int

const (
	holeValue  holeKind = iota // #$x, #$@x, #+x, #+@x, (ungexp x output)
	holeOutput                 // #$output, #$output:NAME, #$(output NAME)
)

func (*gexpHole) TypeName() string { return "gexp-hole" }

// String renders g as its printer does.
func (g *Gexp) String() string { return lang.WriteString(g) }

// PrintScheme implements lang.Printable: the code with each escape shown
// as written, and where the gexp was made.
func (g *Gexp) PrintScheme(p *lang.Printer, _ bool) {
	p.WriteRaw("#<gexp ")
	p.Print(g.approximate(true))
	if g.site.pos.Known() {
		p.WriteRaw(" ")
		p.WriteRaw(g.site.pos.String())
	}
	p.WriteRaw(">")
}

// approximate returns g's code with the escapes replaced by the values
// they hold, lowering nothing (as Guix's gexp->approximate-sexp). With
// marks, escapes print as #$value and outputs as #<gexp-output out>.
func (g *Gexp) approximate(marks bool) lang.Value {
	var walk func(v lang.Value) lang.Value
	walk = func(v lang.Value) lang.Value {
		switch x := v.(type) {
		case *holePair:
			if h, ok := x.car.(*gexpHole); ok && h.splice && !marks {
				if items, proper := listArgs(g.values[h.slot]); proper {
					return sliceToList(items, walk(x.cdr))
				}
			}
			return &lang.Pair{Car: walk(x.car), Cdr: walk(x.cdr)}
		case *lang.Pair:
			if !marks { // a constant part of the template: the caller's to change
				return copyPairs(x)
			}
		case *gexpHole:
			if !marks {
				if x.kind == holeOutput {
					return lang.List(lang.Intern("ungexp"), lang.Intern("output"))
				}
				return g.values[x.slot]
			}
			return &holeMark{g: g, h: x}
		}
		return v
	}
	return walk(g.site.template)
}

// holeMark prints an escape inside a gexp's printed form.
type holeMark struct {
	g *Gexp
	h *gexpHole
}

func (*holeMark) TypeName() string { return "gexp-input" }

func (m *holeMark) PrintScheme(p *lang.Printer, write bool) {
	h := m.h
	if h.kind == holeOutput {
		name := h.output
		if h.outVal >= 0 {
			name = lang.DisplayString(m.g.values[h.outVal])
		}
		p.WriteRaw("#<gexp-output " + name + ">")
		return
	}
	prefix := "#$"
	if h.native {
		prefix = "#+"
	}
	if h.splice {
		prefix += "@"
	}
	p.WriteRaw(prefix)
	p.Print(m.g.values[h.slot])
	if out := m.g.outputName(h); out != "" {
		p.WriteRaw(":" + out)
	}
}

// outputName is the output an escape asks for ("" when it names none).
func (g *Gexp) outputName(h *gexpHole) string {
	if h.outVal >= 0 {
		if s, err := outputNameArg("ungexp", 2, g.values[h.outVal]); err == nil {
			return s
		}
		return lang.DisplayString(g.values[h.outVal])
	}
	return h.output
}

// importedModule is a module a gexp ships into its build: a name such as
// (fruix build utils), found in the standard library or on the load
// path, or given as (name => file-like).
type importedModule struct {
	name []string
	file lang.Value // nil, or the file-like holding its source
}

func (m importedModule) key() string { return strings.Join(m.name, " ") }

var symArrow = lang.Intern("=>")

// checkImportedModules is the converter of %current-imported-modules: a
// list of module names, or (name => file-like) pairs.
func checkImportedModules(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := parseImportedModules(args[0]); err != nil {
		return nil, err
	}
	return args[0], nil
}

func parseImportedModules(v lang.Value) ([]importedModule, error) {
	const want = "a list of module names such as ((fruix build utils)), or (module-name => file-like) pairs"
	items, ok := listArgs(v)
	if !ok {
		return nil, eval.WrongType("with-imported-modules", 1, want, v)
	}
	out := make([]importedModule, 0, len(items))
	for _, it := range items {
		parts, ok := listArgs(it)
		if !ok || len(parts) == 0 {
			return nil, eval.WrongType("with-imported-modules", 1, want, v)
		}
		var m importedModule
		if len(parts) == 3 && parts[1] == lang.Value(symArrow) {
			name, ok := listArgs(parts[0])
			if !ok {
				return nil, eval.WrongType("with-imported-modules", 1, want, v)
			}
			parts, m.file = name, parts[2]
			if !isFileLike(m.file) {
				return nil, eval.WrongType("with-imported-modules", 1, "a file-like object after =>", m.file)
			}
		}
		for _, p := range parts {
			s, ok := p.(*lang.Symbol)
			if !ok {
				return nil, eval.WrongType("with-imported-modules", 1, want, v)
			}
			m.name = append(m.name, s.Name)
		}
		out = append(out, m)
	}
	return out, nil
}

func addImportedModules(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if _, err := parseImportedModules(args[0]); err != nil {
		return nil, err
	}
	items, _ := listArgs(args[0])
	p, _ := th.Local(gexpParamsKey{}).(*eval.Parameter)
	return sliceToList(items, th.ParameterValue(p)), nil
}

// currentImportedModules is the value of %current-imported-modules.
func currentImportedModules(th *eval.Thread) []importedModule {
	p, _ := th.Local(gexpParamsKey{}).(*eval.Parameter)
	if p == nil {
		return nil
	}
	mods, _ := parseImportedModules(th.ParameterValue(p))
	return mods
}

var gexpBuiltins = []*eval.Builtin{
	{Name: "%make-gexp", MinArgs: 1, MaxArgs: -1, Fn: makeGexp,
		Doc: "Makes the gexp of one #~ form from the values of its escapes; the gexp macro's expansion calls it."},
	{Name: "%add-imported-modules", MinArgs: 1, MaxArgs: 1, Fn: addImportedModules,
		Doc: "The value with-imported-modules gives %current-imported-modules: the modules, then the current ones."},
	{Name: "gexp?", MinArgs: 1, MaxArgs: 1, Doc: "Is obj a G-expression?",
		Fn: func(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
			_, ok := args[0].(*Gexp)
			return lang.MakeBool(ok), nil
		}},
	{Name: "gexp->approximate-sexp", MinArgs: 1, MaxArgs: 1,
		Doc: "The code of a gexp with each escape replaced by the value it holds, lowering nothing.",
		Fn: func(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
			g, ok := args[0].(*Gexp)
			if !ok {
				return nil, eval.WrongType("gexp->approximate-sexp", 1, "gexp", args[0])
			}
			return g.approximate(false), nil
		}},
	{Name: "gexp->sexp", MinArgs: 1, MaxArgs: 2, Fn: gexpToSexpBuiltin,
		Doc: "(gexp->sexp gexp [system]): the code the build runs: escapes replaced by store paths and values, #$output by (getenv \"out\")."},
	{Name: "gexp-imported-modules", MinArgs: 1, MaxArgs: 1,
		Doc: "The names of the modules a gexp ships into its build, its own and those of the gexps it contains.",
		Fn: func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
			g, ok := args[0].(*Gexp)
			if !ok {
				return nil, eval.WrongType("gexp-imported-modules", 1, "gexp", args[0])
			}
			var out []lang.Value
			for _, m := range g.allModules(nil, map[*Gexp]bool{}) {
				names := make([]lang.Value, len(m.name))
				for i, n := range m.name {
					names[i] = lang.Intern(n)
				}
				out = append(out, lang.List(names...))
			}
			return lang.List(out...), nil
		}},
	{Name: "gexp-input", MinArgs: 1, MaxArgs: 4, Fn: makeGexpInput,
		Doc: "(gexp-input obj [output] #:native? bool): obj with the output of it an escape inserts."},
	{Name: "gexp-input?", MinArgs: 1, MaxArgs: 1, Doc: "Is obj a gexp-input?",
		Fn: func(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
			_, ok := args[0].(*GexpInput)
			return lang.MakeBool(ok), nil
		}},
}

func makeGexp(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	site, ok := args[0].(*gexpSite)
	if !ok || len(args)-1 != site.slots {
		return nil, procErrorf("%make-gexp", "called other than by the gexp macro (write #~exp)")
	}
	return &Gexp{site: site, values: append([]lang.Value(nil), args[1:]...), modules: currentImportedModules(th)}, nil
}

// allModules is the modules g imports and those of the gexps it holds,
// without duplicates, in the order first met.
func (g *Gexp) allModules(out []importedModule, seen map[*Gexp]bool) []importedModule {
	if seen[g] {
		return out
	}
	seen[g] = true
	have := map[string]bool{}
	for _, m := range out {
		have[m.key()] = true
	}
	for _, m := range g.modules {
		if !have[m.key()] {
			have[m.key()] = true
			out = append(out, m)
		}
	}
	pairs := map[*lang.Pair]bool{} // visited, for data that contains itself
	var visit func(v lang.Value)
	visit = func(v lang.Value) {
		switch x := v.(type) {
		case *Gexp:
			out = x.allModules(out, seen)
		case *GexpInput:
			visit(x.Thing)
		case *lang.Pair:
			for l := lang.Value(x); ; {
				p, ok := l.(*lang.Pair)
				if !ok || pairs[p] {
					break
				}
				pairs[p] = true
				visit(p.Car)
				l = p.Cdr
			}
		}
	}
	for _, v := range g.values {
		visit(v)
	}
	return out
}

// GexpInput is an object with the output of it an escape inserts, as
// (gexp-input obj "out") makes.
type GexpInput struct {
	Thing  lang.Value
	Output string // "" for the default
	Native bool
}

// TypeName implements lang.Named.
func (*GexpInput) TypeName() string { return "gexp-input" }

// PrintScheme implements lang.Printable.
func (in *GexpInput) PrintScheme(p *lang.Printer, _ bool) {
	p.WriteRaw("#<gexp-input ")
	p.Print(in.Thing)
	if in.Output != "" {
		p.WriteRaw(":" + in.Output)
	}
	if in.Native {
		p.WriteRaw(" native")
	}
	p.WriteRaw(">")
}

func makeGexpInput(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
	in := &GexpInput{Thing: args[0]}
	rest := args[1:]
	if len(rest) > 0 {
		if _, kw := rest[0].(*lang.Keyword); !kw {
			name, err := outputNameArg("gexp-input", 2, rest[0])
			if err != nil {
				return nil, err
			}
			in.Output = name
			rest = rest[1:]
		}
	}
	kw, err := keywordArgs("gexp-input", rest, len(args)-len(rest), "native?")
	if err != nil {
		return nil, err
	}
	if v, ok := kw["native?"]; ok {
		in.Native = v != lang.Value(lang.False)
	}
	return in, nil
}

func gexpToSexpBuiltin(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	g, ok := args[0].(*Gexp)
	if !ok {
		return nil, eval.WrongType("gexp->sexp", 1, "gexp", args[0])
	}
	lw, err := newLowering(th, "gexp->sexp", args[1:], 2)
	if err != nil {
		return nil, err
	}
	refs := newGexpRefs()
	code, err := lw.gexpSexp(g, refs)
	if err != nil {
		return nil, err
	}
	return copyPairs(code), nil
}

// copyPairs copies the pairs and vectors of code that shares its
// constant parts with a gexp's template (acyclic), before a program can
// change them.
func copyPairs(v lang.Value) lang.Value {
	switch x := v.(type) {
	case *lang.Pair:
		return &lang.Pair{Car: copyPairs(x.Car), Cdr: copyPairs(x.Cdr)}
	case *lang.Vector:
		items := make([]lang.Value, len(x.Items))
		for i, it := range x.Items {
			items[i] = copyPairs(it)
		}
		return &lang.Vector{Items: items}
	}
	return v
}
