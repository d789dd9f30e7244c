package stdlib

import (
	"fmt"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// Lowering turns what a program declared — derivations, file-like
// objects, records whose type has a gexp compiler — into store items:
// derivations with their output paths, or source items whose path
// follows from their content. It is pure: files are read (local-file)
// and hashed, nothing is written. It is memoized per Thread, by object
// identity, system and store directory, so lowering an object again, or
// another object that uses it, costs a map lookup.

// Lowerable reports whether v can be lowered to the store: a derivation,
// a file-like object, or a record whose type has a gexp compiler. A gexp
// is not: it becomes a derivation through gexp->derivation or
// computed-file, which name it.
func Lowerable(th *eval.Thread, v lang.Value) bool {
	switch x := v.(type) {
	case *Derivation:
		return true
	case fileLike:
		return true
	case *eval.Record:
		return lowerStateOf(th).compilers[x.Type] != nil
	}
	return false
}

// Lower lowers v to the store, for the current %current-system and
// %store-directory: its derivation and output paths, or its source item.
// Lowering the same object again returns the same *Lowered.
func Lower(th *eval.Thread, v lang.Value) (*Lowered, error) {
	lw, err := newLowering(th, "lower-object", nil, 0)
	if err != nil {
		return nil, err
	}
	return lw.lower(v)
}

// lowering is one request to lower: the system and store directory it is
// for, and the Thread's memo.
type lowering struct {
	th     *eval.Thread
	st     *lowerState
	system string
	dir    derivation.StoreDir
	memo   map[lang.Value]*Lowered // st's memo for system and dir
}

// newLowering reads the optional system argument of proc (args[0], the
// argIndex'th argument), defaulting to %current-system.
func newLowering(th *eval.Thread, proc string, args []lang.Value, argIndex int) (*lowering, error) {
	dir, err := currentStoreDir(th)
	if err != nil {
		return nil, eval.NewError(eval.KindError, proc+": "+err.Error())
	}
	lw := &lowering{th: th, st: lowerStateOf(th), system: currentSystem(th), dir: dir}
	if len(args) > 0 {
		s, ok := args[0].(*lang.String)
		if !ok || s.Len() == 0 {
			return nil, eval.WrongType(proc, argIndex, "system name such as \"x86_64-freebsd\"", args[0])
		}
		lw.system = s.String()
	}
	lw.memo = lw.st.memoFor(lw.system, lw.dir)
	return lw, nil
}

// withSystem is lw for another system (#:system of gexp->derivation).
func (lw *lowering) withSystem(system string) *lowering {
	if system == "" || system == lw.system {
		return lw
	}
	c := *lw
	c.system = system
	c.memo = c.st.memoFor(system, c.dir)
	return &c
}

// memoKey names the memo of one system and store directory.
type memoKey struct {
	system string
	dir    derivation.StoreDir
}

// inProgress marks an object in a memo while it is lowered: meeting it
// again before it is done is a cycle.
var inProgress = &Lowered{}

func (st *lowerState) memoFor(system string, dir derivation.StoreDir) map[lang.Value]*Lowered {
	k := memoKey{system, dir}
	m := st.memos[k]
	if m == nil {
		m = map[lang.Value]*Lowered{}
		st.memos[k] = m
	}
	return m
}

// lowerState is a Thread's lowering memory.
type lowerState struct {
	memos     map[memoKey]map[lang.Value]*Lowered // by object identity
	compilers map[*eval.RecordType]*gexpCompiler
	trees     map[string]*Source // module trees, by store directory and module names
	modText   map[string][]byte  // module sources found on the load path, by name
	graphs    map[*Lowered]*Graph

	buffers    []*textBuffer     // free scratch buffers for printing code
	outputRefs map[string]string // the code of #$output:NAME, written, by name
}

type lowerStateKey struct{}

func lowerStateOf(th *eval.Thread) *lowerState {
	if st, ok := th.Local(lowerStateKey{}).(*lowerState); ok {
		return st
	}
	st := &lowerState{
		memos:     map[memoKey]map[lang.Value]*Lowered{},
		compilers: map[*eval.RecordType]*gexpCompiler{},
		trees:     map[string]*Source{},
		modText:   map[string][]byte{},
		graphs:    map[*Lowered]*Graph{},
	}
	th.SetLocal(lowerStateKey{}, st)
	return st
}

// lower is Lower for lw's system and store.
func (lw *lowering) lower(v lang.Value) (*Lowered, error) {
	l := lw.memo[v]
	if l != nil && l != inProgress {
		return l, nil
	}
	cycle := l == inProgress
	var err error
	switch x := v.(type) {
	case *Derivation:
		if x.StoreDir != lw.dir {
			return nil, fmt.Errorf("lower-object: derivation %s belongs to store %s, not %s", x.File, x.StoreDir, lw.dir)
		}
		l = drvLowered(x)
	case fileLike:
		if cycle {
			return nil, fmt.Errorf("lower-object: %s contains itself", lang.WriteString(v))
		}
		lw.memo[v] = inProgress
		l, err = x.lower(lw)
	case *eval.Record:
		c := lw.st.compilers[x.Type]
		if c == nil {
			return nil, eval.WrongType("lower-object", 1, "derivation, file-like object, or record whose type has a gexp compiler (define-gexp-compiler)", v)
		}
		if cycle {
			return nil, fmt.Errorf("lower-object: %s lowers to itself", lang.WriteString(v))
		}
		lw.memo[v] = inProgress
		l, err = c.lower(lw, x)
	default:
		return nil, eval.WrongType("lower-object", 1, "derivation, file-like object, or record whose type has a gexp compiler", v)
	}
	if err != nil {
		delete(lw.memo, v)
		return nil, err
	}
	lw.memo[v] = l
	return l, nil
}

// sourceLowered is the lowering of a source item, which it registers.
func (lw *lowering) sourceLowered(s *Source) *Lowered {
	registerSource(lw.th, s)
	return &Lowered{Source: s, Outputs: map[string]string{"out": s.Path}}
}

// drvLowered is the lowering of a derivation made while lowering.
func drvLowered(d *Derivation) *Lowered {
	outs := make(map[string]string, len(d.Drv.Outputs))
	for name, o := range d.Drv.Outputs {
		outs[name] = o.Path
	}
	return &Lowered{Drv: d, Outputs: outs}
}

// registerDerivation computes d's output paths and .drv path, and makes
// it known to th as the derivation primitive does. An identical
// derivation made before is returned instead.
func registerDerivation(th *eval.Thread, d *derivation.Derivation, dir derivation.StoreDir) (*Derivation, error) {
	reg := registry(th)
	file, err := reg.hasher.Instantiate(d, dir)
	if err != nil {
		return nil, err
	}
	if old := reg.byFile[file]; old != nil {
		return old, nil
	}
	out := &Derivation{Drv: d, File: file, StoreDir: dir}
	reg.byFile[file] = out
	return out, nil
}

// lowerObject is (lower-object obj [system]): the derivation obj lowers
// to, or the store path of its source item.
func lowerObject(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	lw, err := newLowering(th, "lower-object", args[1:], 2)
	if err != nil {
		return nil, err
	}
	l, err := lw.lower(args[0])
	if err != nil {
		return nil, err
	}
	if l.Drv != nil {
		return l.Drv, nil
	}
	return lang.NewString(l.Source.Path), nil
}
