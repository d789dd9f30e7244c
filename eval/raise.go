package eval

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"fruix.dev/fruix/lang"
)

// escape is an escape continuation being invoked: it unwinds the Go
// stack (running dynamic-wind after thunks on the way) up to the call
// that captured k.
type escape struct {
	k    *Continuation
	vals []lang.Value
}

func (*escape) Error() string { return "continuation invoked outside its extent" }

func (th *Thread) throw(k *Continuation, args []lang.Value, pos lang.Pos) error {
	if !k.alive || k.th != th {
		return th.errorAt(pos, KindContinuation,
			"continuation invoked after the call/cc that captured it returned (Fruix continuations are escape-only)")
	}
	return &escape{k: k, vals: args}
}

// raise raises obj as R7RS raise (continuable false) or
// raise-continuable does: the innermost handler installed by
// with-exception-handler is called with obj in the dynamic environment of
// the raise minus that handler; a guard, or no handler at all, unwinds
// the stack with an *Exception instead.
func (th *Thread) raise(obj lang.Value, continuable bool, pos lang.Pos) (lang.Value, error) {
	h := th.handlers
	if h == nil || h.guard != nil {
		return nil, &Exception{Payload: obj, Continuable: continuable, Pos: pos}
	}
	th.handlers = h.next
	v, err := th.apply(h.proc, []lang.Value{obj}, pos)
	if err == nil && !continuable {
		// R7RS: a secondary exception is raised in the dynamic
		// environment of the handler.
		msg := "exception handler returned from non-continuable raise of " + writeString(obj)
		if eo, ok := obj.(*ErrorObject); ok {
			msg = "exception handler returned from non-continuable error: " + eo.Error()
		}
		_, err = th.raise(NewError(KindError, msg), false, pos)
	}
	th.handlers = h
	if err != nil {
		return nil, err
	}
	return v, nil
}

// errorAt raises an error object of kind with message at pos and returns
// the resulting Go error.
func (th *Thread) errorAt(pos lang.Pos, kind, msg string, irritants ...lang.Value) error {
	_, err := th.raise(NewError(kind, msg, irritants...), false, pos)
	return err
}

// builtinFailed turns the Go error of a builtin into a raised Scheme
// condition at pos, unless it is already one travelling up.
func (th *Thread) builtinFailed(err error, pos lang.Pos) (lang.Value, error) {
	switch e := err.(type) {
	case *Exception:
		if !e.Pos.Known() {
			e.Pos = pos
		}
		return nil, e
	case *escape, *Exit:
		return nil, err
	case *raiseRequest:
		return th.raise(e.obj, e.continuable, pos)
	}
	var esc *escape
	if errors.As(err, &esc) {
		return nil, esc
	}
	var ex *Exception
	if errors.As(err, &ex) {
		return nil, err
	}
	var exit *Exit
	if errors.As(err, &exit) {
		return nil, exit
	}
	return th.raise(AsErrorObject(err), false, pos)
}

// traced records in err's backtrace that it passed through a call of
// proc at pos.
func (th *Thread) traced(err error, proc string, pos lang.Pos) error {
	if ex, ok := err.(*Exception); ok {
		if !ex.Pos.Known() {
			ex.Pos = pos
		}
		ex.trace.add(traceEntry{proc: proc, pos: pos})
	}
	return err
}

func (th *Thread) tooDeep(pos lang.Pos) error {
	return &Exception{Payload: NewError(KindLimit, fmt.Sprintf("recursion too deep (more than %d nested calls)", th.maxDepth)), Pos: pos}
}

func (th *Thread) arityError(name string, min, max, got int, pos lang.Pos) error {
	var want string
	switch {
	case max == min:
		want = itoa(int64(min))
	case max < 0:
		want = "at least " + itoa(int64(min))
	default:
		want = itoa(int64(min)) + " to " + itoa(int64(max))
	}
	if name == "" {
		name = "#<procedure anonymous>"
	}
	return th.errorAt(pos, KindArity, fmt.Sprintf("%s: wrong number of arguments: want %s, got %d", name, want, got))
}

func (th *Thread) unbound(c *Cell, pos lang.Pos, s *scope) error {
	msg := "unbound variable `" + c.Name.Name + "'"
	if mods := th.modulesExporting(c.Name, c.owner); len(mods) > 0 {
		verb := " exports"
		if len(mods) > 1 {
			verb = " export"
		}
		msg += "; " + strings.Join(mods, " and ") + verb + " it: add (use-modules " + mods[0] + ")"
	} else if s := suggest(c.Name.Name, visibleNames(c, s)); s != "" {
		msg += "; did you mean " + s + "?"
	}
	return th.errorAt(pos, KindUnbound, msg)
}

// visibleNames lists the variables visible where c was referred to, in
// scope s: those of c's module and the local ones.
func visibleNames(c *Cell, s *scope) []string {
	var names []string
	if c.owner != nil {
		names = c.owner.visibleNames()
	}
	for sc := s; sc != nil; sc = sc.parent {
		for _, b := range sc.binds {
			if b.kind == bindVar && b.name != nil {
				names = append(names, b.name.Name)
			}
		}
	}
	return names
}

// modulesExporting lists, as written in use-modules, the modules of
// SuggestModules other than from that export a bound variable named
// sym, at most two. A module that does not load is not suggested, nor
// tried again at the next error.
func (th *Thread) modulesExporting(sym *lang.Symbol, from *Module) []string {
	var found []string
	var failed [][]string
	for _, name := range th.hintModules {
		if th.isLoading(moduleKey(name)) >= 0 {
			continue
		}
		m, err := th.requireModule(name, lang.Pos{})
		if err != nil {
			failed = append(failed, name)
			continue
		}
		if m == from {
			continue
		}
		if c := m.public(sym, 0); c != nil && c.Value != nil {
			if found = append(found, m.NameString()); len(found) == 2 {
				break
			}
		}
	}
	if len(failed) > 0 {
		// A new slice: an error while loading one of them may have
		// come here too, and its caller may still be going through
		// the old one.
		th.hintModules = slices.DeleteFunc(slices.Clone(th.hintModules), func(name []string) bool {
			return slices.ContainsFunc(failed, func(f []string) bool { return slices.Equal(f, name) })
		})
	}
	return found
}

// suggest returns the names closest to name by edit distance, formatted
// for a "did you mean" hint, or "".
func suggest(name string, names []string) string {
	limit := len(name)/3 + 1
	if limit > 3 {
		limit = 3
	}
	best := limit + 1
	var found []string
	for _, n := range names {
		if n == name || abs(len(n)-len(name)) > limit {
			continue
		}
		d := editDistance(name, n)
		if d > limit {
			continue
		}
		if d < best {
			best, found = d, []string{n}
		} else if d == best {
			found = append(found, n)
		}
	}
	if len(found) == 0 {
		return ""
	}
	sort.Strings(found)
	found = slices.Compact(found)
	if len(found) > 3 {
		found = found[:3]
	}
	s := ""
	for i, f := range found {
		if i > 0 {
			if i == len(found)-1 {
				s += " or "
			} else {
				s += ", "
			}
		}
		s += "`" + f + "'"
	}
	return s
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the Damerau-Levenshtein distance with adjacent
// transpositions, so "lenght" is one edit from "length".
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
