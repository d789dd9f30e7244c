package eval

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"fruix.dev/fruix/lang"
)

// Finding, loading and declaring modules.

func (th *Thread) isLoading(key string) int {
	for i, k := range th.loading {
		if k == key {
			return i
		}
	}
	return -1
}

// findSource returns the text of module name's Scheme source: the
// embedded sources first, then the load path.
func (th *Thread) findSource(name []string) ([]byte, string, bool) {
	rel := strings.Join(name, "/")
	for _, ext := range []string{".scm", ".sld"} {
		for _, fsys := range th.opts.Sources {
			if b, err := fs.ReadFile(fsys, rel+ext); err == nil {
				return b, rel + ext, true
			}
		}
	}
	for _, dir := range th.opts.LoadPath {
		for _, ext := range []string{".scm", ".sld"} {
			p := filepath.Join(dir, filepath.FromSlash(rel)+ext)
			if b, err := os.ReadFile(p); err == nil {
				if abs, err := filepath.Abs(p); err == nil {
					p = abs
				}
				return b, p, true
			}
		}
	}
	return nil, "", false
}

func (th *Thread) moduleExists(name []string) bool {
	key := moduleKey(name)
	if _, ok := th.modules[key]; ok {
		return true
	}
	if len(th.natives[key]) > 0 {
		return true
	}
	_, _, ok := th.findSource(name)
	return ok
}

func moduleNameString(name []string) string { return "(" + strings.Join(name, " ") + ")" }

func (th *Thread) requireModule(name []string, pos lang.Pos) (*Module, error) {
	th.ensureBoot()
	key := moduleKey(name)
	if i := th.isLoading(key); i >= 0 {
		var chain []string
		for _, k := range th.loading[i:] {
			chain = append(chain, "("+k+")")
		}
		chain = append(chain, "("+key+")")
		return nil, &Exception{Payload: NewError(KindError, "module cycle: "+strings.Join(chain, " -> ")), Pos: pos}
	}
	if m, ok := th.modules[key]; ok {
		return m, nil
	}
	inits := th.natives[key]
	src, where, found := th.findSource(name)
	if len(inits) == 0 && !found {
		searched := []string{}
		if len(th.opts.Sources) > 0 {
			searched = append(searched, "the embedded library")
		}
		searched = append(searched, th.opts.LoadPath...)
		return nil, &Exception{Payload: &ErrorObject{Kind: KindError, Message: "no code for module " + moduleNameString(name) + " (searched: " + strings.Join(searched, ", ") + ")", Cause: ErrNoModule}, Pos: pos}
	}
	m := newModule(th, name)
	th.modules[key] = m
	th.loading = append(th.loading, key)
	defer func() { th.loading = th.loading[:len(th.loading)-1] }()
	if len(inits) > 0 {
		m.native = true
		m.exportAll = true
		for _, init := range inits {
			if err := init(th, m); err != nil {
				delete(th.modules, key)
				return nil, err
			}
		}
		m.exportAll = false
	}
	if found {
		if err := th.loadModuleSource(m, src, where); err != nil {
			delete(th.modules, key)
			return nil, err
		}
	}
	return m, nil
}

// loadModuleSource evaluates a module's Scheme source in the module.
func (th *Thread) loadModuleSource(m *Module, text []byte, where string) error {
	savedCur, savedDir := th.current, th.fileDir
	defer func() { th.current, th.fileDir = savedCur, savedDir }()
	th.current = m
	if filepath.IsAbs(where) {
		th.fileDir = filepath.Dir(where)
	}
	next, stop := readForms(&lang.Source{Name: where}, text)
	defer stop()
	for first := true; ; first = false {
		f := next()
		if f.err != nil {
			if isEOF(f.err) {
				return nil
			}
			return readFailure(f.err)
		}
		if first && !declaresModule(f.datum) {
			th.useGuile(m)
		}
		if _, err := th.evalForm(f.datum, f.pos); err != nil {
			return err
		}
	}
}

func declaresModule(d lang.Value) bool {
	p, ok := d.(*lang.Pair)
	if !ok {
		return false
	}
	s, ok := p.Car.(*lang.Symbol)
	return ok && (s.Name == "define-module" || s.Name == "define-library" || s.Name == "import")
}

func (th *Thread) useGuile(m *Module) {
	if len(m.name) == 1 && m.name[0] == "guile" {
		return
	}
	if g, err := th.requireModule([]string{"guile"}, lang.Pos{}); err == nil {
		m.Use(g)
	}
}

// moduleName converts a module name datum (a b c) to its parts. R7RS
// numbers in names are kept as text, and (srfi N) means Guile's
// (srfi srfi-N).
func (c *compiler) moduleName(form *lang.Pair, x lang.Value) ([]string, error) {
	items, err := c.listItems(form, x, "module name")
	if err != nil || len(items) == 0 {
		return nil, c.syntaxError(form, "bad module name %s: expected a list of symbols", writeString(stripSyntax(x)))
	}
	var name []string
	for _, it := range items {
		switch v := it.(type) {
		case *lang.Symbol, *alias:
			name = append(name, baseSymbol(v).Name)
		case lang.Fixnum:
			name = append(name, itoa(int64(v)))
		case *lang.Pair, *lang.Null:
			// A Guile version spec at the end: ignored.
		default:
			return nil, c.syntaxError(form, "bad module name %s: expected a list of symbols", writeString(stripSyntax(x)))
		}
	}
	if len(name) == 2 && name[0] == "srfi" && name[1] != "" && name[1][0] >= '0' && name[1][0] <= '9' {
		name[1] = "srfi-" + name[1]
	}
	return name, nil
}

func (c *compiler) requireModule(form *lang.Pair, x lang.Value) (*Module, error) {
	list, isList := x.(*lang.Pair)
	if m := c.th.moduleNames[list]; isList && m != nil && namesModule(list, m) {
		return m, nil
	}
	name, err := c.moduleName(form, x)
	if err != nil {
		return nil, err
	}
	m, err := c.th.requireModule(name, form.Pos)
	if err != nil {
		if ex, ok := err.(*Exception); ok && !ex.Pos.Known() {
			ex.Pos = form.Pos
		}
		return nil, err
	}
	if isList {
		if c.th.moduleNames == nil {
			c.th.moduleNames = map[*lang.Pair]*Module{}
		}
		c.th.moduleNames[list] = m
	}
	return m, nil
}

// namesModule reports whether list, a module name remembered for m, is
// still m's name as written (code is data a program could have changed).
func namesModule(list *lang.Pair, m *Module) bool {
	var x lang.Value = list
	for _, part := range m.name {
		p, ok := x.(*lang.Pair)
		if !ok || !isIdent(p.Car) || baseSymbol(p.Car).Name != part {
			return false
		}
		x = p.Cdr
	}
	_, end := x.(*lang.Null)
	return end
}

func symbolsOf(c *compiler, form *lang.Pair, x lang.Value, what string) ([]*lang.Symbol, error) {
	items, err := c.listItems(form, x, what)
	if err != nil {
		return nil, err
	}
	out := make([]*lang.Symbol, len(items))
	for i, it := range items {
		if !isIdent(it) {
			return nil, c.syntaxError(form, "%s: expected a symbol, got %s", what, writeString(stripSyntax(it)))
		}
		out[i] = baseSymbol(it)
	}
	return out, nil
}

// useSpec imports a Guile module spec into m: (a b) or
// ((a b) #:select (x (y . z)) #:prefix p: #:renamer proc #:hide (w)).
func (c *compiler) useSpec(form *lang.Pair, spec lang.Value, into *Module) error {
	p, ok := spec.(*lang.Pair)
	if !ok {
		return c.syntaxError(form, "bad module spec %s: expected (module name) or ((module name) #:select ...)", writeString(stripSyntax(spec)))
	}
	if _, nested := p.Car.(*lang.Pair); !nested {
		m, err := c.requireModule(form, spec)
		if err != nil {
			return err
		}
		if m != into {
			into.use(&importSpec{from: m})
		}
		return nil
	}
	m, err := c.requireModule(form, p.Car)
	if err != nil {
		return err
	}
	opts, err := c.listItems(form, p.Cdr, "module spec")
	if err != nil {
		return err
	}
	u := &importSpec{from: m}
	for i := 0; i < len(opts); i += 2 {
		kw, ok := opts[i].(*lang.Keyword)
		if !ok || i+1 >= len(opts) {
			return c.syntaxError(form, "bad module spec %s: expected keyword options", writeString(stripSyntax(spec)))
		}
		val := opts[i+1]
		switch kw.Name {
		case "select":
			items, err := c.listItems(form, val, "#:select")
			if err != nil {
				return err
			}
			u.select_ = map[*lang.Symbol]*lang.Symbol{}
			for _, it := range items {
				if isIdent(it) {
					u.select_[baseSymbol(it)] = baseSymbol(it)
				} else if ip, ok := it.(*lang.Pair); ok && isIdent(ip.Car) && isIdent(ip.Cdr) {
					u.select_[baseSymbol(ip.Cdr)] = baseSymbol(ip.Car)
				} else {
					return c.syntaxError(form, "#:select: bad entry %s: expected name or (name . local-name)", writeString(stripSyntax(it)))
				}
			}
		case "prefix":
			if !isIdent(val) {
				return c.syntaxError(form, "#:prefix: expected a symbol")
			}
			u.prefix = baseSymbol(val).Name
		case "hide":
			syms, err := symbolsOf(c, form, val, "#:hide")
			if err != nil {
				return err
			}
			u.hide = map[*lang.Symbol]bool{}
			for _, s := range syms {
				u.hide[s] = true
			}
		case "renamer":
			proc, err := c.th.evalIn(val, c.module)
			if err != nil {
				return err
			}
			u.renamed = map[*lang.Symbol]*lang.Symbol{}
			for pub := range m.exports {
				v, err := c.th.Call(proc, pub)
				if err != nil {
					return err
				}
				local, ok := v.(*lang.Symbol)
				if !ok {
					return c.syntaxError(form, "#:renamer: the renamer returned %s, not a symbol", writeString(v))
				}
				u.renamed[local] = pub
			}
			u.rename = func(pub *lang.Symbol) *lang.Symbol {
				for l, p := range u.renamed {
					if p == pub {
						return l
					}
				}
				return pub
			}
		case "version":
		default:
			return c.syntaxError(form, "module spec: unknown option #:%s (expected #:select, #:prefix, #:renamer or #:hide)", kw.Name)
		}
	}
	if u.select_ != nil && u.prefix != "" {
		sel := map[*lang.Symbol]*lang.Symbol{}
		for l, p := range u.select_ {
			sel[lang.Intern(u.prefix+l.Name)] = p
		}
		u.select_, u.prefix = sel, ""
	}
	into.use(u)
	return nil
}

func compileUseModules(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	specs, err := c.listItems(form, form.Cdr, "use-modules")
	if err != nil {
		return nil, err
	}
	for _, sp := range specs {
		if err := c.useSpec(form, sp, c.module); err != nil {
			return nil, err
		}
	}
	return &constNode{lang.Unspec}, nil
}

// addExports handles #:export / export entries: name or (local . public).
func (c *compiler) addExports(form *lang.Pair, x lang.Value, m *Module) error {
	items, err := c.listItems(form, x, "export")
	if err != nil {
		return err
	}
	for _, it := range items {
		if isIdent(it) {
			s := baseSymbol(it)
			m.exports[s] = s
		} else if p, ok := it.(*lang.Pair); ok && isIdent(p.Car) && isIdent(p.Cdr) {
			m.exports[baseSymbol(p.Cdr)] = baseSymbol(p.Car)
		} else {
			return c.syntaxError(form, "export: bad entry %s", writeString(stripSyntax(it)))
		}
	}
	return nil
}

// declaredModule is the module name, made empty if this is its first
// mention, for define-module and define-library to fill.
func (th *Thread) declaredModule(name []string) *Module {
	key := moduleKey(name)
	m := th.modules[key]
	if m == nil {
		m = newModule(th, name)
		th.modules[key] = m
	}
	return m
}

func compileDefineModule(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	if !s.toplevel {
		return nil, c.syntaxError(form, "define-module: only allowed at top level")
	}
	a, err := c.args(form, 1, -1, "(define-module (name ...) option ...)")
	if err != nil {
		return nil, err
	}
	name, err := c.moduleName(form, a[0])
	if err != nil {
		return nil, err
	}
	th := c.th
	m := th.declaredModule(name)
	pure := false
	var uses []lang.Value
	for i := 1; i < len(a); i++ {
		kw, ok := a[i].(*lang.Keyword)
		if !ok {
			return nil, c.syntaxError(form, "define-module: expected a keyword option, got %s", writeString(stripSyntax(a[i])))
		}
		if kw.Name == "pure" || kw.Name == "no-backtrace" {
			pure = pure || kw.Name == "pure"
			continue
		}
		if i+1 >= len(a) {
			return nil, c.syntaxError(form, "define-module: option #:%s has no value", kw.Name)
		}
		i++
		val := a[i]
		switch kw.Name {
		case "use-module":
			uses = append(uses, val)
		case "autoload":
			if i+1 >= len(a) {
				return nil, c.syntaxError(form, "define-module: #:autoload wants a module and a list of names")
			}
			i++
			uses = append(uses, lang.List(val, lang.InternKeyword("select"), a[i]))
		case "export", "export-syntax", "replace", "re-export", "re-export-syntax", "re-export-and-replace":
			if err := c.addExports(form, val, m); err != nil {
				return nil, err
			}
		case "version", "duplicates", "declarative?", "use-syntax":
		default:
			return nil, c.syntaxError(form, "define-module: unknown option #:%s", kw.Name)
		}
	}
	if !pure {
		th.useGuile(m)
	}
	for _, u := range uses {
		if err := c.useSpec(form, u, m); err != nil {
			return nil, err
		}
	}
	th.current = m
	c.module = m
	return &constNode{lang.Unspec}, nil
}

func compileExport(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	if err := c.addExports(form, form.Cdr, c.module); err != nil {
		return nil, err
	}
	return &constNode{lang.Unspec}, nil
}

// importSet imports an R7RS import set into m: a library name, or
// (only set id...), (except set id...), (prefix set p), (rename set (a b)...).
func (c *compiler) importSet(form *lang.Pair, spec lang.Value, into *Module) error {
	if form == nil {
		form = &lang.Pair{Car: lang.Intern("import"), Cdr: lang.List(spec)}
	}
	from, names, err := c.resolveImportSet(form, spec)
	if err != nil {
		return err
	}
	if names == nil {
		if from != into {
			into.use(&importSpec{from: from})
		}
		return nil
	}
	into.use(&importSpec{from: from, select_: names})
	return nil
}

// resolveImportSet returns the library of an import set and, unless the
// set is the plain library, the local -> public names it provides.
func (c *compiler) resolveImportSet(form *lang.Pair, spec lang.Value) (*Module, map[*lang.Symbol]*lang.Symbol, error) {
	p, ok := spec.(*lang.Pair)
	if !ok {
		return nil, nil, c.syntaxError(form, "import: bad import set %s", writeString(stripSyntax(spec)))
	}
	head := ""
	if isIdent(p.Car) {
		head = baseSymbol(p.Car).Name
	}
	switch head {
	case "only", "except", "prefix", "rename":
		rest, ok := p.Cdr.(*lang.Pair)
		if !ok {
			break
		}
		if _, isSet := rest.Car.(*lang.Pair); !isSet {
			break
		}
		from, names, err := c.resolveImportSet(form, rest.Car)
		if err != nil {
			return nil, nil, err
		}
		if names == nil {
			names = map[*lang.Symbol]*lang.Symbol{}
			for pub := range from.exports {
				names[pub] = pub
			}
		}
		args, err := c.listItems(form, rest.Cdr, head)
		if err != nil {
			return nil, nil, err
		}
		out := map[*lang.Symbol]*lang.Symbol{}
		switch head {
		case "only":
			for _, a := range args {
				if !isIdent(a) {
					return nil, nil, c.syntaxError(form, "only: expected identifiers")
				}
				s := baseSymbol(a)
				pub, ok := names[s]
				if !ok {
					return nil, nil, c.syntaxError(form, "import: %s does not export `%s'", from.NameString(), s.Name)
				}
				out[s] = pub
			}
		case "except":
			for l, pub := range names {
				out[l] = pub
			}
			for _, a := range args {
				if isIdent(a) {
					delete(out, baseSymbol(a))
				}
			}
		case "prefix":
			if len(args) != 1 || !isIdent(args[0]) {
				return nil, nil, c.syntaxError(form, "prefix: expected (prefix import-set identifier)")
			}
			pre := baseSymbol(args[0]).Name
			for l, pub := range names {
				out[lang.Intern(pre+l.Name)] = pub
			}
		case "rename":
			for l, pub := range names {
				out[l] = pub
			}
			for _, a := range args {
				pair, err := c.listItems(form, a, "rename")
				if err != nil || len(pair) != 2 || !isIdent(pair[0]) || !isIdent(pair[1]) {
					return nil, nil, c.syntaxError(form, "rename: expected (old new) pairs")
				}
				old := baseSymbol(pair[0])
				pub, ok := out[old]
				if !ok {
					return nil, nil, c.syntaxError(form, "import: %s does not export `%s'", from.NameString(), old.Name)
				}
				delete(out, old)
				out[baseSymbol(pair[1])] = pub
			}
		}
		return from, out, nil
	}
	m, err := c.requireModule(form, spec)
	return m, nil, err
}

func compileImport(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	sets, err := c.listItems(form, form.Cdr, "import")
	if err != nil {
		return nil, err
	}
	for _, set := range sets {
		if err := c.importSet(form, set, c.module); err != nil {
			return nil, err
		}
	}
	return &constNode{lang.Unspec}, nil
}

// compileDefineLibrary declares an R7RS library and evaluates its body in
// it, right away.
func compileDefineLibrary(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	if !s.toplevel {
		return nil, c.syntaxError(form, "define-library: only allowed at top level")
	}
	a, err := c.args(form, 1, -1, "(define-library (name ...) declaration ...)")
	if err != nil {
		return nil, err
	}
	name, err := c.moduleName(form, a[0])
	if err != nil {
		return nil, err
	}
	th := c.th
	m := th.declaredModule(name)
	saved := th.current
	th.current = m
	defer func() { th.current = saved }()
	lc := th.newCompiler(m)
	if err := lc.libraryDecls(form, a[1:], m); err != nil {
		return nil, err
	}
	return &constNode{lang.Unspec}, nil
}

func (c *compiler) libraryDecls(form *lang.Pair, decls []lang.Value, m *Module) error {
	for _, d := range decls {
		p, ok := d.(*lang.Pair)
		if !ok || !isIdent(p.Car) {
			return c.syntaxError(form, "define-library: bad declaration %s", writeString(stripSyntax(d)))
		}
		args, err := c.listItems(form, p.Cdr, "library declaration")
		if err != nil {
			return err
		}
		switch baseSymbol(p.Car).Name {
		case "export":
			for _, e := range args {
				if isIdent(e) {
					s := baseSymbol(e)
					m.exports[s] = s
					continue
				}
				r, err := c.listItems(form, e, "export")
				if err != nil || len(r) != 3 || !isIdent(r[1]) || !isIdent(r[2]) {
					return c.syntaxError(form, "export: expected identifier or (rename local public)")
				}
				m.exports[baseSymbol(r[2])] = baseSymbol(r[1])
			}
		case "import":
			for _, set := range args {
				if err := c.importSet(form, set, m); err != nil {
					return err
				}
			}
		case "begin":
			for _, f := range args {
				if _, err := c.th.evalTop(f); err != nil {
					return err
				}
			}
		case "include", "include-ci":
			x, err := expandInclude(c, p, nil)
			if err != nil {
				return err
			}
			if _, err := c.th.evalTop(x); err != nil {
				return err
			}
		case "include-library-declarations":
			x, err := expandInclude(c, p, nil)
			if err != nil {
				return err
			}
			inner, _ := c.listItems(form, x.(*lang.Pair).Cdr, "include-library-declarations")
			if err := c.libraryDecls(form, inner, m); err != nil {
				return err
			}
		case "cond-expand":
			x, err := expandCondExpand(c, p, nil)
			if err != nil {
				return err
			}
			inner, _ := c.listItems(form, x.(*lang.Pair).Cdr, "cond-expand")
			if err := c.libraryDecls(form, inner, m); err != nil {
				return err
			}
		default:
			return c.syntaxError(form, "define-library: unknown declaration %s", baseSymbol(p.Car).Name)
		}
	}
	return nil
}

func (c *compiler) isModuleRef(h *lang.Pair, s *scope) bool {
	return c.isCore(h.Car, "@", s) || c.isCore(h.Car, "@@", s)
}

// moduleRefCell resolves (@ (module) name) or (@@ (module) name).
func (c *compiler) moduleRefCell(h *lang.Pair, s *scope) (*Cell, error) {
	a, err := c.args(h, 2, 2, "(@ (module name) variable)")
	if err != nil {
		return nil, err
	}
	if !isIdent(a[1]) {
		return nil, c.syntaxError(h, "@: expected a variable name, got %s", writeString(stripSyntax(a[1])))
	}
	m, err := c.requireModule(h, a[0])
	if err != nil {
		return nil, err
	}
	sym := baseSymbol(a[1])
	if formName(h) == "@" {
		cell := m.public(sym, 0)
		if cell == nil {
			return nil, c.syntaxError(h, "no public binding `%s' in module %s", sym.Name, m.NameString())
		}
		return cell, nil
	}
	return m.cellFor(sym), nil
}

func compileModuleRef(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	cell, err := c.moduleRefCell(form, s)
	if err != nil {
		return nil, err
	}
	switch cell.Value.(type) {
	case *SpecialForm, *Macro:
		return nil, c.syntaxError(form, "syntax `%s' used as a variable", cell.Name.Name)
	}
	return &globalRef{cell: cell, pos: c.pos}, nil
}
