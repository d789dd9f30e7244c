package eval

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"fruix.dev/fruix/lang"
)

func isEOF(err error) bool { return errors.Is(err, io.EOF) }

// readFailure makes a reader error a read-error condition.
func readFailure(err error) error {
	var re *lang.ReadError
	if errors.As(err, &re) {
		return &Exception{Payload: &ErrorObject{Kind: KindRead, Message: re.Msg, Cause: err}, Pos: re.Pos}
	}
	return &Exception{Payload: AsErrorObject(err)}
}

func readAll(src *lang.Source, text []byte) ([]lang.Value, error) {
	forms, err := lang.ReadAll(src, text)
	if err != nil {
		return nil, readFailure(err)
	}
	return forms, nil
}

// ensureBoot makes (guile-user) use (guile) the first time the Thread
// evaluates anything, after the standard library has registered its
// native modules.
func (th *Thread) ensureBoot() {
	if th.booted {
		return
	}
	th.booted = true
	if g, err := th.requireModule([]string{"guile"}, lang.Pos{}); err == nil {
		th.modules["guile-user"].Use(g)
	}
}

// enter prepares a top-level entry point.
func (th *Thread) enter() {
	th.ensureBoot()
	if th.depth == 0 {
		th.cancel.Store(false)
		th.budget = pollInterval
	}
}

func (th *Thread) evalText(src *lang.Source, text []byte) (lang.Value, error) {
	th.enter()
	next, stop := readForms(src, text)
	defer stop()
	var last lang.Value = lang.Unspec
	for {
		f := next()
		if f.err != nil {
			if isEOF(f.err) {
				return last, nil
			}
			return nil, readFailure(f.err)
		}
		var err error
		last, err = th.evalForm(f.datum, f.pos)
		if err != nil {
			return nil, th.topError(err)
		}
	}
}

// evalForm evaluates datum d, read at pos, as a top-level form. A bare
// symbol has no position of its own: its errors point at pos.
func (th *Thread) evalForm(d lang.Value, pos lang.Pos) (lang.Value, error) {
	saved := th.topPos
	defer func() { th.topPos = saved }()
	th.topPos = lang.Pos{}
	if _, ok := d.(*lang.Symbol); ok {
		th.topPos = pos
	}
	return th.evalTop(d)
}

// topError turns what escapes a top-level form into a reportable error.
func (th *Thread) topError(err error) error {
	var esc *escape
	if errors.As(err, &esc) {
		return &Exception{Payload: NewError(KindContinuation, "continuation invoked outside its extent")}
	}
	return err
}

// fileErrorReason is why a file operation failed, without the path and
// operation that *fs.PathError repeats.
func fileErrorReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func (th *Thread) loadFile(path string, pos lang.Pos) (lang.Value, error) {
	th.enter()
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, &Exception{Payload: &ErrorObject{Kind: KindFile, Message: "load: cannot open " + writeString(lang.NewString(path)) + ": " + fileErrorReason(err), Cause: err}, Pos: pos}
	}
	savedCur, savedDir := th.current, th.fileDir
	th.fileDir = filepath.Dir(path)
	defer func() { th.current, th.fileDir = savedCur, savedDir }()
	return th.evalText(&lang.Source{Name: path}, text)
}

func (th *Thread) evalIn(datum lang.Value, m *Module) (lang.Value, error) {
	th.enter()
	saved := th.current
	th.current = m
	v, err := th.evalTop(datum)
	if th.current == m {
		th.current = saved
	}
	return v, err
}

// moduleSystemForm returns the core's define-module, define-library,
// import or use-modules when head names one of them and is unbound in the
// current module: a module file starts with its declaration before it
// imports anything.
func (th *Thread) moduleSystemForm(head lang.Value) *SpecialForm {
	sym, ok := head.(*lang.Symbol)
	if !ok {
		return nil
	}
	switch sym.Name {
	case "define-module", "define-library", "import", "use-modules":
	default:
		return nil
	}
	if c := th.current.resolve(sym); c != nil && c.Value != nil {
		return nil
	}
	return th.core.vars[sym].Value.(*SpecialForm)
}

// evalTop evaluates one top-level form in the current module: a begin
// (also one produced by a macro) is spliced, so definitions and macros
// made by earlier parts are visible to later ones.
func (th *Thread) evalTop(x lang.Value) (lang.Value, error) {
	c := th.newCompiler(th.current)
	c.pos = th.topPos
	for expansions := 0; ; expansions++ {
		p, ok := x.(*lang.Pair)
		if !ok {
			break
		}
		if expansions > maxNesting {
			return nil, c.syntaxError(p, "form nested too deeply (or a macro that expands forever)")
		}
		if p.Pos.Known() {
			c.pos = p.Pos
		}
		sf, mac, err := c.syntaxOf(p.Car, nil)
		if err != nil {
			return nil, err
		}
		if sf == nil && mac == nil {
			sf = th.moduleSystemForm(p.Car)
		}
		if mac != nil {
			if x, err = c.expand(mac, p, nil); err != nil {
				return nil, err
			}
			if xp, ok := x.(*lang.Pair); ok && !xp.Pos.Known() {
				xp.Pos = p.Pos
			}
			continue
		}
		if sf == nil {
			break
		}
		if sf.name == "begin" {
			items, err := c.listItems(p, p.Cdr, "begin")
			if err != nil {
				return nil, err
			}
			var v lang.Value = lang.Unspec
			// Spliced forms without a position of their own (a bare
			// symbol, a macro's output) report errors at the begin.
			saved := th.topPos
			th.topPos = c.pos
			defer func() { th.topPos = saved }()
			for _, it := range items {
				if v, err = th.evalTop(it); err != nil {
					return nil, err
				}
			}
			return v, nil
		}
		if sf.compile == nil {
			if x, err = sf.expand(c, p, nil); err != nil {
				return nil, err
			}
			if xp, ok := x.(*lang.Pair); ok && !xp.Pos.Known() {
				xp.Pos = p.Pos
			}
			continue
		}
		break
	}
	fi := &frameInfo{}
	s := &scope{toplevel: true, fi: fi}
	if p, ok := x.(*lang.Pair); ok {
		if sf := th.moduleSystemForm(p.Car); sf != nil {
			n, err := sf.compile(c, p, s, false)
			if err != nil {
				return nil, err
			}
			return n.eval(th, newFrame(fi.size, nil))
		}
	}
	n, err := c.compile(x, s, false)
	if err != nil {
		return nil, err
	}
	return n.eval(th, newFrame(fi.size, nil))
}
