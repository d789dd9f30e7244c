package eval

import (
	"io"
	"io/fs"
	"os"
	"strings"

	"fruix.dev/fruix/lang"
)

// Options configures a new Thread.
type Options struct {
	// Sources are embedded module trees searched before LoadPath:
	// module (a b c) is the file a/b/c.scm (or a/b/c.sld) in one of them.
	Sources []fs.FS
	// LoadPath lists directories searched for modules after Sources, in
	// order (the commands put -L directories first, then FRUIX_LOAD_PATH).
	LoadPath []string
	// Stdin, Stdout and Stderr are the standard ports; nil means the
	// process's own.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Args is the command line as (command-line) returns it.
	Args []string
	// StepLimit, when positive, stops an evaluation with an error after
	// about that many procedure calls (fuzzing, sandboxes).
	StepLimit int64
	// MaxDepth bounds the depth of non-tail calls; past it an evaluation
	// fails with "recursion too deep". Zero means DefaultMaxDepth.
	MaxDepth int
}

// DefaultMaxDepth is the non-tail call depth allowed when Options.MaxDepth
// is zero. Deep recursion moves to a fresh goroutine every depthSegment
// nested calls (see runOnNewStack), so the limit is one of memory: a
// million nested calls take about 460 MB of stacks.
var DefaultMaxDepth = 1_100_000

// stackPerCall is the Go stack budgeted per nested Scheme call. A plain
// call costs about 460 bytes of Go stack (measured, see
// docs/decisions.md); bodies that nest many forms between calls, and
// builtins such as map that call back into Scheme, cost more, hence the
// margin.
const stackPerCall = 2500

// New returns a fresh evaluator whose current module is (guile-user),
// which uses (guile). Eval itself fills (guile) and the (scheme ...)
// modules with the core syntax and the control procedures only eval can
// implement; the standard library adds its builtins through
// RegisterNativeModule.
func New(opts Options) *Thread {
	th := &Thread{
		opts:     opts,
		modules:  map[string]*Module{},
		natives:  map[string][]NativeInit{},
		locals:   map[any]any{},
		maxDepth: opts.MaxDepth,
	}
	if th.opts.Stdin == nil {
		th.opts.Stdin = os.Stdin
	}
	if th.opts.Stdout == nil {
		th.opts.Stdout = os.Stdout
	}
	if th.opts.Stderr == nil {
		th.opts.Stderr = os.Stderr
	}
	if th.maxDepth <= 0 {
		th.maxDepth = DefaultMaxDepth
	}
	th.budget = pollInterval
	th.installCore()
	return th
}

// NativeInit fills a native module with Go definitions when the module is
// first needed.
type NativeInit func(th *Thread, m *Module) error

// RegisterNativeModule arranges that when module name is first needed,
// eval creates it, runs init (which defines Go builtins in it; every
// Define of a native init is exported), and then, if a Scheme source for
// the same module exists in Options.Sources or on the load path, loads it
// into the same module. So a module can be part Go, part Scheme. Several
// inits may be registered for one module; they run in registration order.
func (th *Thread) RegisterNativeModule(name []string, init func(th *Thread, m *Module) error) {
	key := moduleKey(name)
	th.natives[key] = append(th.natives[key], init)
}

// SuggestModules names library modules a program may have forgotten to
// import: when a variable is unbound and one of them exports it, the
// error says so ("(fruix gexp) exports it"). They are loaded, when an
// error asks, as use-modules would load them.
func (th *Thread) SuggestModules(names ...[]string) {
	th.hintModules = append(th.hintModules, names...)
}

// Call applies any procedure (closure, builtin, continuation, parameter,
// record procedure...) to args and returns its value. A builtin calling
// back into Scheme uses it; tail calls inside proc run in constant space.
func (th *Thread) Call(proc lang.Value, args ...lang.Value) (lang.Value, error) {
	return th.apply(proc, args, lang.Pos{})
}

// EvalString reads every datum of text (positions name src) and evaluates
// them in order in the current module, returning the last value.
func (th *Thread) EvalString(src *lang.Source, text string) (lang.Value, error) {
	return th.evalText(src, []byte(text))
}

// LoadFile reads and evaluates the Scheme file at path in the current
// module, returning the value of its last form.
func (th *Thread) LoadFile(path string) (lang.Value, error) {
	return th.loadFile(path, lang.Pos{})
}

// Eval evaluates one datum in module m (the current module when nil).
func (th *Thread) Eval(datum lang.Value, m *Module) (lang.Value, error) {
	if m == nil {
		m = th.current
	}
	return th.evalIn(datum, m)
}

// UseModules imports the public bindings of the named modules into the
// current module, loading them first if needed.
func (th *Thread) UseModules(names ...[]string) error {
	th.ensureBoot()
	for _, n := range names {
		m, err := th.FindModule(n)
		if err != nil {
			return err
		}
		th.current.use(&importSpec{from: m})
	}
	return nil
}

// FindModule returns module name, creating and loading it (native inits,
// then its Scheme source) the first time. A missing module is an error
// "no code for module (foo bar) (searched: ...)".
func (th *Thread) FindModule(name []string) (*Module, error) {
	return th.requireModule(name, lang.Pos{})
}

// Lookup returns the value bound to name in the current module, with its
// imports.
func (th *Thread) Lookup(name string) (lang.Value, bool) {
	th.ensureBoot()
	return th.current.Lookup(name)
}

// CurrentModule returns the module top-level forms are evaluated in.
func (th *Thread) CurrentModule() *Module { return th.current }

// SetCurrentModule makes m the module top-level forms are evaluated in.
func (th *Thread) SetCurrentModule(m *Module) { th.current = m }

// Cancel asks the running evaluation to stop; it fails soon with the error
// "interrupted". It is safe to call from another goroutine (a REPL's
// Ctrl-C handler). The flag is cleared when the evaluation has stopped, so
// the Thread can be used again.
func (th *Thread) Cancel() { th.cancel.Store(true) }

// Gensym returns a fresh uninterned symbol whose name starts with prefix.
// Native macros name their temporaries with it: no other symbol, read or
// made, is the same symbol.
func (th *Thread) Gensym(prefix string) *lang.Symbol {
	th.gensyms++
	return &lang.Symbol{Name: prefix + itoa(th.gensyms)}
}

// Stdin returns the standard input given in Options.
func (th *Thread) Stdin() io.Reader { return th.opts.Stdin }

// Stdout returns the standard output given in Options.
func (th *Thread) Stdout() io.Writer { return th.opts.Stdout }

// Stderr returns the standard error given in Options.
func (th *Thread) Stderr() io.Writer { return th.opts.Stderr }

// Args returns the command line given in Options.
func (th *Thread) Args() []string { return th.opts.Args }

// LoadPath returns the directories searched for modules.
func (th *Thread) LoadPath() []string { return th.opts.LoadPath }

// Local returns per-Thread state stored by a library under key (a value of
// a private type of that library), or nil.
func (th *Thread) Local(key any) any { return th.locals[key] }

// SetLocal stores per-Thread library state under key.
func (th *Thread) SetLocal(key, v any) { th.locals[key] = v }

// ParameterValue returns the value p has in the current dynamic extent
// (after parameterize).
func (th *Thread) ParameterValue(p *Parameter) lang.Value {
	for b := th.params; b != nil; b = b.next {
		if b.param == p {
			return b.value
		}
	}
	return p.value
}

// MakeParameter returns a new parameter object holding value, passed
// through converter (a procedure, or nil for none).
func (th *Thread) MakeParameter(value, converter lang.Value) (*Parameter, error) {
	if converter != nil && converter != lang.Value(lang.False) {
		v, err := th.Call(converter, value)
		if err != nil {
			return nil, err
		}
		value = v
	} else {
		converter = nil
	}
	return &Parameter{value: value, converter: converter}, nil
}

// MacroFunc expands a use of a native macro. form is the whole use, as
// (name arg ...); the result is an ordinary datum compiled in place of
// the form, in the environment of the use.
//
// The contract: symbols in the expansion mean what they mean at the use
// site, so an expansion must not rely on plain names of library
// procedures or of its own temporaries. Library procedures are referred to
// by module-qualified references (@ (module name) var) for exported and
// (@@ (module name) var) for private bindings, which are immune to the
// user's shadowing; temporaries are fresh symbols from th.Gensym, which
// cannot capture or be captured by user names. Core syntax (if, let,
// lambda, quote, ...) may be written as plain symbols only when a user
// binding of the same name is unlikely; (@ (guile) if) works in head
// position too, for full safety. Parts of form are inserted unchanged.
// Errors should be *ErrorObject values or plain Go errors; eval adds the
// position of form.
type MacroFunc func(th *Thread, form *lang.Pair, env *MacroEnv) (lang.Value, error)

// MacroEnv is the compile-time environment a native macro is used in.
type MacroEnv struct {
	scope  *scope
	module *Module
}

// Module returns the module the macro use is compiled in.
func (e *MacroEnv) Module() *Module { return e.module }

// IsBound reports whether identifier id has a lexical or module binding at
// the macro's use site.
func (e *MacroEnv) IsBound(id lang.Value) bool {
	b, cell := lookupIdent(id, e.scope, e.module)
	return b != nil || (cell != nil && cell.Value != nil)
}

func moduleKey(name []string) string { return strings.Join(name, " ") }

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
