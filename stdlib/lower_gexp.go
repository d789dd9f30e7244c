package stdlib

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/derivation/nar"
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// Lowering a gexp: its code with every escape replaced by what the build
// sees (store paths, values), and what that code needs: the derivation
// outputs and sources it names, the modules it imports, and the outputs
// of its own derivation it refers to.

// SchemeBuiltinVersion is the version of the builtin:scheme builder's
// meaning that derivations made here ask for (FRUIX_BUILTIN_VERSION).
// Bump it, with the build side's, when the meaning of a build program
// changes; a new fruix binary with the same meaning keeps the hashes.
const SchemeBuiltinVersion = "1"

// gexpRefs is what lowered code refers to. A gexp refers to a handful of
// things, and a configuration lowers thousands of gexps: the references
// are kept in slices, searched, until there are many.
type gexpRefs struct {
	drvs    []*drvUse          // in the order first used
	drvSeen map[string]*drvUse // by .drv path
	sources []string           // store paths of source items, in the order first used
	srcSeen map[string]bool
	modules []importedModule
	modSeen map[string]bool
	outputs []outputUse // own outputs referred to, in the order first used
	depth   int         // nesting of the data being inserted
}

// manyRefs is how many references are searched before they are indexed.
const manyRefs = 16

// maxInsertDepth bounds the nesting of data inserted in a gexp, so that
// a structure that contains itself is an error, not a crash.
const maxInsertDepth = 10000

type drvUse struct {
	drv     *Derivation
	outputs []string // sorted, without duplicates
}

type outputUse struct {
	name string
	pos  lang.Pos // where first referred to
}

// nest enters one more level of the data being inserted, which the
// caller leaves with refs.depth--.
func (r *gexpRefs) nest() error {
	if r.depth >= maxInsertDepth {
		return eval.NewError(eval.KindWrongType, "gexp: cannot insert data nested more than 10,000 deep (is it circular?)")
	}
	r.depth++
	return nil
}

// newGexpRefs returns empty references.
func newGexpRefs() *gexpRefs { return &gexpRefs{} }

func (r *gexpRefs) addModules(ms []importedModule) {
	for _, m := range ms {
		if k := m.key(); !r.modSeen[k] {
			if r.modSeen == nil {
				r.modSeen = map[string]bool{}
			}
			r.modSeen[k] = true
			r.modules = append(r.modules, m)
		}
	}
}

func (r *gexpRefs) addSource(p string) {
	if r.srcSeen != nil {
		if r.srcSeen[p] {
			return
		}
		r.srcSeen[p] = true
	} else if slices.Contains(r.sources, p) {
		return
	} else if len(r.sources) == manyRefs {
		r.srcSeen = make(map[string]bool, 2*manyRefs)
		for _, q := range r.sources {
			r.srcSeen[q] = true
		}
		r.srcSeen[p] = true
	}
	r.sources = append(r.sources, p)
}

func (r *gexpRefs) sortedSources() []string {
	out := slices.Clone(r.sources)
	sort.Strings(out)
	return out
}

// drvUse is the use of d recorded so far, made when d is first used.
func (r *gexpRefs) drvUse(d *Derivation) *drvUse {
	if r.drvSeen != nil {
		if u := r.drvSeen[d.File]; u != nil {
			return u
		}
	} else {
		for _, u := range r.drvs {
			if u.drv == d || u.drv.File == d.File {
				return u
			}
		}
	}
	u := &drvUse{drv: d}
	r.drvs = append(r.drvs, u)
	switch {
	case r.drvSeen != nil:
		r.drvSeen[d.File] = u
	case len(r.drvs) > manyRefs:
		r.drvSeen = make(map[string]*drvUse, 2*len(r.drvs))
		for _, v := range r.drvs {
			r.drvSeen[v.drv.File] = v
		}
	}
	return u
}

// referToOutput records a reference to output name of the derivation
// being built, at pos, unless there is one already.
func (r *gexpRefs) referToOutput(name string, pos lang.Pos) {
	for _, o := range r.outputs {
		if o.name == name {
			return
		}
	}
	r.outputs = append(r.outputs, outputUse{name: name, pos: pos})
}

// gexpSexp is g's code as the build runs it.
func (lw *lowering) gexpSexp(g *Gexp, refs *gexpRefs) (lang.Value, error) {
	refs.addModules(g.modules)
	return lw.template(g, g.site.template, refs)
}

func (lw *lowering) template(g *Gexp, v lang.Value, refs *gexpRefs) (lang.Value, error) {
	switch x := v.(type) {
	case *holePair:
		if h, ok := x.car.(*gexpHole); ok && h.splice {
			items, err := lw.spliceHole(g, h, refs)
			if err != nil {
				return nil, err
			}
			rest, err := lw.template(g, x.cdr, refs)
			if err != nil {
				return nil, err
			}
			return sliceToList(items, rest), nil
		}
		car, err := lw.template(g, x.car, refs)
		if err != nil {
			return nil, err
		}
		cdr, err := lw.template(g, x.cdr, refs)
		if err != nil {
			return nil, err
		}
		return &lang.Pair{Car: car, Cdr: cdr}, nil
	case *gexpHole:
		if x.splice { // in a cdr: (a . #$@x)
			val, err := lw.holeValue(g, x, refs)
			if err != nil {
				return nil, err
			}
			if _, ok := listArgs(val); !ok {
				return nil, lw.holeError(x, "#$@ wants a list to splice, got %s", lang.WriteString(g.values[x.slot]))
			}
			return val, nil
		}
		return lw.holeValue(g, x, refs)
	}
	return v, nil
}

// spliceHole is the items #$@x splices in a list.
func (lw *lowering) spliceHole(g *Gexp, h *gexpHole, refs *gexpRefs) ([]lang.Value, error) {
	val, err := lw.holeValue(g, h, refs)
	if err != nil {
		return nil, err
	}
	items, ok := listArgs(val)
	if !ok {
		return nil, lw.holeError(h, "#$@ wants a list to splice, got %s", lang.WriteString(g.values[h.slot]))
	}
	return items, nil
}

var symGetenvRef = lang.List(lang.Intern("@"), lang.List(lang.Intern("guile")), lang.Intern("getenv"))

// holeValue is what one escape becomes.
func (lw *lowering) holeValue(g *Gexp, h *gexpHole, refs *gexpRefs) (lang.Value, error) {
	output, err := lw.holeOutputName(g, h)
	if err != nil {
		return nil, err
	}
	if h.kind == holeOutput {
		if err := lw.outputHole(h, output, refs); err != nil {
			return nil, err
		}
		// The build program exists before the output paths are known
		// (it is an input of the derivation that defines them), so it
		// reads them from the environment.
		return lang.List(symGetenvRef, lang.NewString(output)), nil
	}
	v, err := lw.insert(g.values[h.slot], output, refs)
	if err != nil {
		if _, positioned := err.(*eval.Exception); positioned || !h.pos.Known() {
			return nil, err
		}
		return nil, &eval.Exception{Payload: eval.AsErrorObject(err), Pos: h.pos}
	}
	return v, nil
}

// holeOutputName is the output an escape names: written literally, or
// the value of an expression.
func (lw *lowering) holeOutputName(g *Gexp, h *gexpHole) (string, error) {
	if h.outVal < 0 {
		return h.output, nil
	}
	name, err := outputNameArg("ungexp", 2, g.values[h.outVal])
	if err != nil {
		return "", lw.holeError(h, "want an output name (a string), got %s", lang.WriteString(g.values[h.outVal]))
	}
	return name, nil
}

// outputHole checks the name of an output of the derivation being built
// that code refers to (#$output:NAME), and records the reference.
func (lw *lowering) outputHole(h *gexpHole, output string, refs *gexpRefs) error {
	if err := derivation.ValidateName(output); err != nil || output == "drv" {
		return lw.holeError(h, "invalid output name %q", output)
	}
	refs.referToOutput(output, h.pos)
	return nil
}

func (lw *lowering) holeError(h *gexpHole, format string, a ...any) error {
	e := eval.NewError(eval.KindError, "gexp: "+fmt.Sprintf(format, a...))
	if !h.pos.Known() {
		return e
	}
	return &eval.Exception{Payload: e, Pos: h.pos}
}

// insert is the value v stands for in lowered code: a store path for
// what lowers, the code of a gexp, literal data as it is. output is the
// output asked for ("" for the default).
func (lw *lowering) insert(v lang.Value, output string, refs *gexpRefs) (lang.Value, error) {
	switch x := v.(type) {
	case *Gexp:
		return lw.gexpSexp(x, refs)
	case *GexpInput:
		if x.Output != "" {
			output = x.Output
		}
		return lw.insert(x.Thing, output, refs)
	case *FileAppend:
		base, err := lw.insert(x.Base, output, refs)
		if err != nil {
			return nil, err
		}
		s, ok := base.(*lang.String)
		if !ok {
			return nil, fmt.Errorf("file-append: the base %s is not a file", lang.WriteString(x.Base))
		}
		return lang.NewString(s.String() + strings.Join(x.Suffix, "")), nil
	case *lang.Pair:
		items, tail, circular := lang.ListItems(x)
		if circular {
			return nil, eval.NewError(eval.KindWrongType, "gexp: cannot insert a circular list")
		}
		if err := refs.nest(); err != nil {
			return nil, err
		}
		defer func() { refs.depth-- }()
		for i, it := range items { // items is a fresh copy: its elements are replaced
			var err error
			if items[i], err = lw.insert(it, "", refs); err != nil {
				return nil, err
			}
		}
		tail, err := lw.insert(tail, "", refs)
		if err != nil {
			return nil, err
		}
		return sliceToList(items, tail), nil
	case *lang.Vector:
		if err := refs.nest(); err != nil {
			return nil, err
		}
		defer func() { refs.depth-- }()
		items := make([]lang.Value, len(x.Items))
		for i, it := range x.Items {
			c, err := lw.insert(it, "", refs)
			if err != nil {
				return nil, err
			}
			items[i] = c
		}
		return &lang.Vector{Items: items}, nil
	case *lang.String, *lang.Symbol, *lang.Keyword, *lang.Null, lang.Boolean, lang.Char, *lang.Bytevector:
		return v, nil
	}
	if lang.IsNumber(v) {
		return v, nil
	}
	if Lowerable(lw.th, v) {
		l, err := lw.lower(v)
		if err != nil {
			return nil, err
		}
		if rec, ok := v.(*eval.Record); ok {
			if c := lw.st.compilers[rec.Type]; c != nil && c.expander != nil {
				return c.expand(lw, rec, l, output, refs)
			}
		}
		p, err := lw.use(l, output, refs)
		if err != nil {
			return nil, err
		}
		return lang.NewString(p), nil
	}
	return nil, eval.NewError(eval.KindWrongType, fmt.Sprintf("gexp: cannot insert %s (a %s): want a file-like object, a derivation, a gexp, or literal data", lang.WriteString(v), lang.TypeName(v)))
}

// use records that lowered code refers to output of l, and returns its
// path.
func (lw *lowering) use(l *Lowered, output string, refs *gexpRefs) (string, error) {
	if l.Source != nil {
		if output != "" && output != "out" {
			return "", fmt.Errorf("%s is a source file; it has no output `%s' (outputs: out)", l.Source.Path, output)
		}
		refs.addSource(l.Source.Path)
		return l.Source.Path, nil
	}
	if output == "" {
		output = "out"
	}
	p := l.Outputs[output]
	if p == "" {
		return "", eval.NewError(eval.KindRange, fmt.Sprintf("derivation %s has no output `%s' (outputs: %s)", l.Drv.Drv.Name, output, strings.Join(l.Drv.outputOrder(), ", ")))
	}
	u := refs.drvUse(l.Drv)
	if i := sort.SearchStrings(u.outputs, output); i == len(u.outputs) || u.outputs[i] != output {
		u.outputs = slices.Insert(u.outputs, i, output)
	}
	return p, nil
}

// schemeDrvOptions are the choices gexp->derivation offers besides the
// code.
type schemeDrvOptions struct {
	system  string
	env     lang.Value // #:env-vars, an alist, or nil
	outputs []string   // nil: "out" and the outputs the code names
	fixed   *derivation.Output
	modules []importedModule // besides those of the code
	pos     lang.Pos         // of the call, for errors
}

// schemeDerivation makes the builtin:scheme derivation that runs the
// program text (lowered code as gexpText or codeText write it, with
// refs) to build name.
func (lw *lowering) schemeDerivation(name string, text []byte, refs *gexpRefs, opts schemeDrvOptions) (*Derivation, error) {
	if err := derivation.ValidateName(name); err != nil {
		return nil, eval.NewError(eval.KindRange, fmt.Sprintf("%q: %v", name, err))
	}
	refs.addModules(opts.modules)
	outputs := opts.outputs
	if outputs == nil {
		outputs = []string{"out"}
		var named []string
		for _, o := range refs.outputs {
			if o.name != "out" {
				named = append(named, o.name)
			}
		}
		sort.Strings(named)
		outputs = append(outputs, named...)
	}
	for _, ref := range refs.outputs {
		if o, pos := ref.name, ref.pos; !slices.Contains(outputs, o) {
			msg := fmt.Sprintf("gexp: #$output:%s: derivation %s has no output `%s' (outputs: %s)", o, name, o, strings.Join(outputs, ", "))
			if pos.Known() {
				return nil, &eval.Exception{Payload: eval.NewError(eval.KindRange, msg), Pos: pos}
			}
			return nil, eval.NewError(eval.KindRange, msg)
		}
	}
	if opts.fixed != nil && (len(outputs) != 1 || outputs[0] != "out") {
		return nil, fmt.Errorf("a fixed-output derivation (with #:hash) has the single output \"out\", not %s", strings.Join(outputs, ", "))
	}

	system := opts.system
	if system == "" {
		system = lw.system
	}
	d := derivation.New(name, system, "builtin:scheme")
	if opts.env != nil {
		if err := addEnvVars(d, opts.env); err != nil {
			return nil, err
		}
	}
	d.Env["FRUIX_BUILTIN_VERSION"] = SchemeBuiltinVersion
	if len(refs.modules) > 0 {
		tree, err := lw.moduleTree(refs.modules)
		if err != nil {
			return nil, err
		}
		d.Env["FRUIX_MODULES"] = tree.Path
		d.InputSrcs = append(d.InputSrcs, tree.Path)
	}
	script, err := lw.textSource(name+"-builder", text, refs.sortedSources())
	if err != nil {
		return nil, err
	}
	d.Args = []string{script.Path}
	d.InputSrcs = append(d.InputSrcs, script.Path)
	d.InputSrcs = append(d.InputSrcs, refs.sources...)
	sort.Strings(d.InputSrcs)
	d.InputSrcs = dedupStrings(d.InputSrcs)
	for _, u := range refs.drvs {
		d.InputDrvs[u.drv.File] = u.outputs
	}
	for _, o := range outputs {
		d.Outputs[o] = derivation.Output{}
		d.Env[o] = ""
	}
	if opts.fixed != nil {
		d.Outputs["out"] = *opts.fixed
	}
	return registerDerivation(lw.th, d, lw.dir)
}

// textSource is a text file in the store, registered as a source.
func (lw *lowering) textSource(name string, text []byte, refs []string) (*Source, error) {
	p, err := lw.dir.MakeTextPath(name, sha256.Sum256(text), refs)
	if err != nil {
		return nil, err
	}
	s := &Source{Path: p, Name: name, Kind: SourceText, Text: text, Refs: refs}
	registerSource(lw.th, s)
	return s, nil
}

// moduleTree is the source tree holding the text of modules, as
// module-import/a/b/c.scm, which a build finds through FRUIX_MODULES.
func (lw *lowering) moduleTree(mods []importedModule) (*Source, error) {
	sorted := append([]importedModule(nil), mods...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].key() < sorted[j].key() })
	keys := make([]string, len(sorted))
	for i, m := range sorted {
		keys[i] = m.key()
	}
	memo := string(lw.dir) + "\x00" + strings.Join(keys, "\x00")
	for _, m := range sorted {
		if m.file != nil { // its text is read afresh: the file may differ
			memo = ""
		}
	}
	if s := lw.st.trees[memo]; s != nil && memo != "" {
		registerSource(lw.th, s)
		return s, nil
	}
	tree := make([]TreeFile, 0, len(sorted))
	for _, m := range sorted {
		data, err := lw.moduleSource(m)
		if err != nil {
			return nil, err
		}
		tree = append(tree, TreeFile{Name: strings.Join(m.name, "/") + ".scm", Data: data})
	}
	sum, err := nar.HashFiles(tree)
	if err != nil {
		return nil, err
	}
	p, err := lw.dir.MakeSourcePath("module-import", sum, nil, false)
	if err != nil {
		return nil, err
	}
	s := &Source{Path: p, Name: "module-import", Kind: SourceTree, Files: tree}
	if memo != "" {
		lw.st.trees[memo] = s
	}
	registerSource(lw.th, s)
	return s, nil
}

// moduleSource is the text of an imported module: the file-like given
// with =>, or module a/b/c's file a/b/c.scm in the standard library or on
// the load path.
func (lw *lowering) moduleSource(m importedModule) ([]byte, error) {
	display := "(" + m.key() + ")"
	switch f := m.file.(type) {
	case nil:
	case *PlainFile:
		return f.Content, nil
	case *LocalFile:
		if f.Recursive {
			return nil, fmt.Errorf("with-imported-modules: %s => %s: want a file, not a directory", display, lang.WriteString(f))
		}
		b, err := os.ReadFile(f.AbsPath)
		if err != nil {
			return nil, fmt.Errorf("with-imported-modules: %s: %v", display, err)
		}
		return b, nil
	default:
		return nil, fmt.Errorf("with-imported-modules: %s => %s: want a plain-file or a local-file, whose text evaluation can read", display, lang.WriteString(m.file))
	}
	if b, ok := lw.st.modText[m.key()]; ok {
		return b, nil
	}
	rel := strings.Join(m.name, "/") + ".scm"
	b, err := fs.ReadFile(Sources(), rel)
	if err != nil {
		looked := []string{"the standard library"}
		for _, dir := range lw.th.LoadPath() {
			p := filepath.Join(dir, filepath.FromSlash(rel))
			if b, err = os.ReadFile(p); err == nil {
				break
			}
			looked = append(looked, dir)
		}
		if err != nil {
			return nil, fmt.Errorf("with-imported-modules: module %s not found (looked for %s in %s); only modules written in Scheme can be shipped into a build", display, rel, strings.Join(looked, ", "))
		}
	}
	lw.st.modText[m.key()] = b
	return b, nil
}
