package stdlib

import (
	"fmt"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// Gexp compilers let records lower, so that a configuration record such
// as an operating-system can be inserted in a gexp or built like a
// file-like object. As in Guix:
//
//	(define-gexp-compiler (name (obj <type>) system target)
//	  body ...)
//
// defines a procedure that returns what obj lowers to — a derivation, a
// file-like object or another record that lowers — and registers it for
// <type>. target is always #f (Fruix does not cross-compile) and may be
// left out. The general form
//
//	(define-gexp-compiler name <type>
//	  compiler => proc
//	  [expander => proc])
//
// also takes an expander, (proc obj lowered output), whose string is what
// a gexp inserts for obj instead of the output's store path (lowered is
// the derivation, or the store path of a source).

type gexpCompiler struct {
	typ      *eval.RecordType
	compiler lang.Value
	expander lang.Value
}

var symCompiler, symExpander = lang.Intern("compiler"), lang.Intern("expander")

func expandDefineGexpCompiler(th *eval.Thread, form *lang.Pair, _ *eval.MacroEnv) (lang.Value, error) {
	const shape = "(define-gexp-compiler (name (obj <type>) system [target]) body ...) or (define-gexp-compiler name <type> compiler => proc [expander => proc])"
	args, ok := listArgs(form.Cdr)
	if !ok || len(args) < 2 {
		return nil, syntaxErrorAt(form.Pos, "define-gexp-compiler: bad syntax: want %s", shape)
	}
	pos := form.Pos
	register := gexpRef("%register-gexp-compiler!")
	if head, ok := args[0].(*lang.Pair); ok {
		sig, ok := listArgs(head)
		if !ok || len(sig) < 3 || len(sig) > 4 {
			return nil, syntaxErrorAt(pos, "define-gexp-compiler: bad signature %s: want (name (obj <type>) system [target])", lang.WriteString(head))
		}
		param, ok := listArgs(sig[1])
		if !ok || len(param) != 2 {
			return nil, syntaxErrorAt(pos, "define-gexp-compiler: bad parameter %s: want (obj <type>)", lang.WriteString(sig[1]))
		}
		target := lang.Value(th.Gensym("target"))
		if len(sig) == 4 {
			target = sig[3]
		}
		lambda := listAt(pos, append([]lang.Value{lang.Intern("lambda"), listAt(pos, param[0], sig[2], target)}, args[1:]...)...)
		return listAt(pos, lang.Intern("begin"),
			listAt(pos, lang.Intern("define"), sig[0], lambda),
			listAt(pos, register, param[1], sig[0])), nil
	}
	if len(args) != 5 && len(args) != 8 {
		return nil, syntaxErrorAt(pos, "define-gexp-compiler: bad syntax: want %s", shape)
	}
	call := []lang.Value{register, args[1]}
	for i := 2; i < len(args); i += 3 {
		word, _ := identSymbol(args[i])
		want := symCompiler
		if i == 5 {
			want = symExpander
		}
		if word != want || args[i+1] != lang.Value(symArrow) {
			return nil, syntaxErrorAt(pos, "define-gexp-compiler: want `%s => proc', got %s", want.Name, lang.WriteString(lang.List(args[i:i+2]...)))
		}
		call = append(call, args[i+2])
	}
	return listAt(pos, lang.Intern("define"), args[0], listAt(pos, call...)), nil
}

func registerGexpCompiler(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	rt, ok := args[0].(*eval.RecordType)
	if !ok {
		return nil, wrongType("define-gexp-compiler", 0, "record type", args[0])
	}
	if _, err := argProc("define-gexp-compiler", args, 1); err != nil {
		return nil, err
	}
	c := &gexpCompiler{typ: rt, compiler: args[1]}
	if len(args) == 3 {
		if _, err := argProc("define-gexp-compiler", args, 2); err != nil {
			return nil, err
		}
		c.expander = args[2]
	}
	lowerStateOf(th).compilers[rt] = c
	return args[1], nil
}

// lower calls the compiler and lowers what it returns.
func (c *gexpCompiler) lower(lw *lowering, rec *eval.Record) (*Lowered, error) {
	res, err := lw.th.Call(c.compiler, rec, lang.NewString(lw.system), lang.False)
	if err != nil {
		return nil, err
	}
	if s, ok := res.(*lang.String); ok {
		if src := LookupSource(lw.th, s.String()); src != nil {
			return lw.sourceLowered(src), nil
		}
	}
	if res == lang.Value(rec) || !Lowerable(lw.th, res) {
		return nil, fmt.Errorf("gexp compiler for %s returned %s: want a derivation, a file-like object, or a record that lowers", c.typ.ShortName(), lang.WriteString(res))
	}
	return lw.lower(res)
}

// expand is what a gexp inserts for rec, lowered to l.
func (c *gexpCompiler) expand(lw *lowering, rec *eval.Record, l *Lowered, output string, refs *gexpRefs) (lang.Value, error) {
	if _, err := lw.use(l, output, refs); err != nil {
		return nil, err
	}
	var lowered lang.Value
	if l.Drv != nil {
		lowered = l.Drv
	} else {
		lowered = lang.NewString(l.Source.Path)
	}
	if output == "" {
		output = "out"
	}
	res, err := lw.th.Call(c.expander, rec, lowered, lang.NewString(output))
	if err != nil {
		return nil, err
	}
	if _, ok := res.(*lang.String); !ok {
		return nil, fmt.Errorf("gexp expander for %s returned %s: want a string", c.typ.ShortName(), lang.WriteString(res))
	}
	return res, nil
}

// RegisterGexpCompiler makes records of type rt lower through compile,
// as define-gexp-compiler does from Scheme: compile returns what a record
// lowers to (a derivation, a file-like object, a record that lowers).
// Go packages that define configuration records, such as the FreeBSD
// system model, use it.
func RegisterGexpCompiler(th *eval.Thread, rt *eval.RecordType, compile func(th *eval.Thread, rec *eval.Record, system string) (lang.Value, error)) {
	proc := &eval.Builtin{Name: rt.ShortName() + "-compiler", MinArgs: 3, MaxArgs: 3,
		Fn: func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
			return compile(th, args[0].(*eval.Record), args[1].(*lang.String).String())
		}}
	lowerStateOf(th).compilers[rt] = &gexpCompiler{typ: rt, compiler: proc}
}
