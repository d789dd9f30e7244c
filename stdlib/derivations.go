package stdlib

import (
	"fmt"
	"sort"
	"strings"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// The (fruix derivations) module: the Scheme face of the derivation
// package. (derivation name builder args #:key ...) computes a
// derivation's output paths and .drv path the way Nix does, purely:
// nothing is written anywhere. Every derivation made on a Thread is
// remembered by its .drv path, so that derivations using it as an input
// can compute their hashDerivationModulo without a store.

func init() {
	modules = append(modules, moduleSpec{name: []string{"fruix", "derivations"}, extra: defineDerivationsModule})
}

// DefaultSystem is the system a derivation is for when neither #:system
// nor %current-system says otherwise: Fruix builds FreeBSD, and a fixed
// default keeps evaluation identical on every host.
const DefaultSystem = "x86_64-freebsd"

// Derivation is a derivation value: the derivation with its output paths
// filled in, and its .drv path in the store directory it was computed for.
type Derivation struct {
	Drv      *derivation.Derivation
	File     string // the .drv store path
	StoreDir derivation.StoreDir
}

// TypeName implements lang.Named.
func (*Derivation) TypeName() string { return "derivation" }

func (d *Derivation) String() string {
	var b strings.Builder
	b.WriteString("#<derivation ")
	b.WriteString(d.File)
	b.WriteString(" =>")
	for _, name := range d.outputOrder() {
		b.WriteByte(' ')
		b.WriteString(d.Drv.Outputs[name].Path)
	}
	b.WriteByte('>')
	return b.String()
}

// PrintScheme implements lang.Printable.
func (d *Derivation) PrintScheme(p *lang.Printer, _ bool) { p.WriteRaw(d.String()) }

// outputOrder is "out" first, then the other outputs by name.
func (d *Derivation) outputOrder() []string {
	names := d.Drv.OutputNames()
	for i, n := range names {
		if n == "out" {
			copy(names[1:i+1], names[:i])
			names[0] = "out"
		}
	}
	return names
}

// OutputPath returns the store path of output name, or "" if there is none.
func (d *Derivation) OutputPath(name string) string { return d.Drv.Outputs[name].Path }

// drvRegistry is a Thread's memory of the derivations it computed.
type drvRegistry struct {
	byFile  map[string]*Derivation
	sources map[string]*Source // source items, by store path (see lower_graph.go)
	hasher  *derivation.ModuloHasher
}

type drvRegistryKey struct{}

func registry(th *eval.Thread) *drvRegistry {
	if r, ok := th.Local(drvRegistryKey{}).(*drvRegistry); ok {
		return r
	}
	r := &drvRegistry{byFile: map[string]*Derivation{}}
	r.hasher = derivation.NewModuloHasher(func(p string) (*derivation.Derivation, error) {
		if d := r.byFile[p]; d != nil {
			return d.Drv, nil
		}
		return nil, fmt.Errorf("not a derivation computed in this session")
	})
	th.SetLocal(drvRegistryKey{}, r)
	return r
}

// LookupDerivation returns the derivation computed on th whose .drv path
// is file, if any.
func LookupDerivation(th *eval.Thread, file string) *Derivation {
	return registry(th).byFile[file]
}

// derivationParams holds the module's parameter objects.
type derivationParams struct {
	storeDir, system *eval.Parameter
}

type derivationParamsKey struct{}

func defineDerivationsModule(th *eval.Thread, m *eval.Module) {
	params := &derivationParams{}
	params.storeDir = mustParameter(th, string(derivation.DefaultStoreDir), "%store-directory")
	params.system = mustParameter(th, DefaultSystem, "%current-system")
	th.SetLocal(derivationParamsKey{}, params)
	m.Define("%store-directory", params.storeDir)
	m.Define("%current-system", params.system)
	m.DefineBuiltins(derivationBuiltins)
}

// mustParameter makes a parameter holding a string, whose converter
// insists on strings.
func mustParameter(th *eval.Thread, value, name string) *eval.Parameter {
	conv := &eval.Builtin{Name: name, MinArgs: 1, MaxArgs: 1, Fn: func(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
		if _, ok := args[0].(*lang.String); !ok {
			return nil, eval.WrongType(name, 1, "string", args[0])
		}
		return args[0], nil
	}}
	p, err := th.MakeParameter(lang.NewString(value), conv)
	if err != nil {
		panic("stdlib: making " + name + ": " + err.Error())
	}
	return p
}

// currentStoreDir is the value of %store-directory, checked.
func currentStoreDir(th *eval.Thread) (derivation.StoreDir, error) {
	params, _ := th.Local(derivationParamsKey{}).(*derivationParams)
	if params == nil { // called from Go before the module was loaded
		return derivation.DefaultStoreDir, nil
	}
	dir := derivation.StoreDir(th.ParameterValue(params.storeDir).(*lang.String).String())
	if err := dir.Validate(); err != nil {
		return "", fmt.Errorf("%%store-directory: %v", err)
	}
	return dir, nil
}

func currentSystem(th *eval.Thread) string {
	params, _ := th.Local(derivationParamsKey{}).(*derivationParams)
	if params == nil {
		return DefaultSystem
	}
	return th.ParameterValue(params.system).(*lang.String).String()
}

var derivationBuiltins = []*eval.Builtin{
	{Name: "derivation", MinArgs: 3, MaxArgs: -1, Fn: makeDerivation,
		Doc: "(derivation name builder args #:env-vars #:inputs #:sources #:outputs #:hash #:hash-algo #:recursive? #:system): a derivation, with its output paths and .drv path computed; nothing is written."},
	{Name: "derivation?", MinArgs: 1, MaxArgs: 1, Doc: "Is obj a derivation?",
		Fn: func(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
			_, ok := args[0].(*Derivation)
			return lang.MakeBool(ok), nil
		}},
	drvGetter("derivation-file-name", "The store path of the derivation's .drv file.", func(d *Derivation) lang.Value { return lang.NewString(d.File) }),
	drvGetter("derivation-name", "The derivation's name.", func(d *Derivation) lang.Value { return lang.NewString(d.Drv.Name) }),
	drvGetter("derivation-builder", "The program (or builtin:NAME) that builds the derivation.", func(d *Derivation) lang.Value { return lang.NewString(d.Drv.Builder) }),
	drvGetter("derivation-system", "The system the derivation is built for.", func(d *Derivation) lang.Value { return lang.NewString(d.Drv.System) }),
	drvGetter("derivation-builder-arguments", "The builder's arguments, a list of strings.", func(d *Derivation) lang.Value { return stringList(d.Drv.Args) }),
	drvGetter("derivation-sources", "The source store paths the derivation uses, sorted.", func(d *Derivation) lang.Value { return stringList(d.Drv.InputSrcs) }),
	drvGetter("derivation-output-names", "The names of the derivation's outputs, \"out\" first.", func(d *Derivation) lang.Value { return stringList(d.outputOrder()) }),
	drvGetter("derivation->text", "The derivation's ATerm text, as in its .drv file.", func(d *Derivation) lang.Value { return lang.NewString(string(d.Drv.ATerm())) }),
	drvGetter("fixed-output-derivation?", "Is the derivation's single output's content hash declared in advance?", func(d *Derivation) lang.Value { return lang.MakeBool(d.Drv.IsFixedOutput()) }),
	drvGetter("derivation-outputs", "The outputs, an alist of names and store paths, \"out\" first.", func(d *Derivation) lang.Value {
		var out []lang.Value
		for _, name := range d.outputOrder() {
			out = append(out, &lang.Pair{Car: lang.NewString(name), Cdr: lang.NewString(d.OutputPath(name))})
		}
		return lang.List(out...)
	}),
	drvGetter("derivation-env-vars", "The builder's environment, an alist of strings sorted by name.", func(d *Derivation) lang.Value {
		keys := make([]string, 0, len(d.Drv.Env))
		for k := range d.Drv.Env {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make([]lang.Value, len(keys))
		for i, k := range keys {
			out[i] = &lang.Pair{Car: lang.NewString(k), Cdr: lang.NewString(d.Drv.Env[k])}
		}
		return lang.List(out...)
	}),
	{Name: "derivation-inputs", MinArgs: 1, MaxArgs: 1, Doc: "The input derivations, as a list of (derivation output ...) sorted by .drv path.",
		Fn: func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
			d, ok := args[0].(*Derivation)
			if !ok {
				return nil, eval.WrongType("derivation-inputs", 1, "derivation", args[0])
			}
			reg := registry(th)
			paths := make([]string, 0, len(d.Drv.InputDrvs))
			for p := range d.Drv.InputDrvs {
				paths = append(paths, p)
			}
			sort.Strings(paths)
			out := make([]lang.Value, len(paths))
			for i, p := range paths {
				var head lang.Value = lang.NewString(p)
				if in := reg.byFile[p]; in != nil {
					head = in
				}
				out[i] = &lang.Pair{Car: head, Cdr: stringList(d.Drv.InputDrvs[p])}
			}
			return lang.List(out...), nil
		}},
	{Name: "derivation->output-path", MinArgs: 1, MaxArgs: 2, Doc: "(derivation->output-path drv [output]): the store path of output (default \"out\").",
		Fn: func(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
			d, ok := args[0].(*Derivation)
			if !ok {
				return nil, eval.WrongType("derivation->output-path", 1, "derivation", args[0])
			}
			name := "out"
			if len(args) == 2 {
				s, err := outputNameArg("derivation->output-path", 2, args[1])
				if err != nil {
					return nil, err
				}
				name = s
			}
			p := d.OutputPath(name)
			if p == "" {
				return nil, rangeErrorf("derivation->output-path", 1, "derivation %s has no output `%s' (outputs: %s)", d.Drv.Name, name, strings.Join(d.outputOrder(), ", "))
			}
			return lang.NewString(p), nil
		}},
}

func drvGetter(name, doc string, get func(*Derivation) lang.Value) *eval.Builtin {
	return &eval.Builtin{Name: name, MinArgs: 1, MaxArgs: 1, Doc: doc,
		Fn: func(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
			d, ok := args[0].(*Derivation)
			if !ok {
				return nil, eval.WrongType(name, 1, "derivation", args[0])
			}
			return get(d), nil
		}}
}

func stringList(ss []string) lang.Value {
	out := make([]lang.Value, len(ss))
	for i, s := range ss {
		out[i] = lang.NewString(s)
	}
	return lang.List(out...)
}

// outputNameArg accepts an output name as a string or a symbol.
func outputNameArg(proc string, arg int, v lang.Value) (string, error) {
	switch x := v.(type) {
	case *lang.String:
		return x.String(), nil
	case *lang.Symbol:
		return x.Name, nil
	}
	return "", eval.WrongType(proc, arg, "output name (string)", v)
}
