// Package lang owns Fruix's one model of Scheme data: the value types,
// source positions, the hand-written reader and the printer shared by
// `write` and `display`. It imports only Go's standard library.
//
// The numeric tower (Fixnum, *Bignum, *Ratnum, Flonum) and its
// arithmetic (Add, Compare, Quotient, Expt, ParseNumber,
// NumberToString...) live here too, as do the equivalence predicates
// Eq, Eqv and Equal and the hashes consistent with them, so that the
// evaluator and the standard library share one definition of each.
// User errors are returned as *ReadError (syntax, with a position) and
// *NumError (arithmetic); nothing here panics on bad input.
package lang

import (
	"math/big"
	"strconv"
	"sync"
)

// Value is any Scheme value. The types of this package cover the data a
// reader can produce; the evaluator adds procedures, records, promises and
// the like as further pointer types.
type Value = any

// Null is the type of the empty list; Nil is its only value.
type Null struct{ _ byte }

// Nil is the empty list '().
var Nil = &Null{}

// Boolean is #t or #f. Boxing a bool in an interface does not allocate.
type Boolean bool

// True and False are the two booleans, already boxed.
var (
	True  Value = Boolean(true)
	False Value = Boolean(false)
)

// MakeBool returns #t or #f.
func MakeBool(b bool) Value {
	if b {
		return True
	}
	return False
}

// IsTrue reports whether v counts as true: everything but #f.
func IsTrue(v Value) bool {
	b, ok := v.(Boolean)
	return !ok || bool(b)
}

// Fixnum is an exact integer that fits in 64 bits. Results that do not fit
// become *Bignum; a *Bignum that fits is always normalized back to Fixnum.
type Fixnum int64

// Bignum is an exact integer outside the range of Fixnum.
type Bignum struct{ big.Int }

// Ratnum is an exact non-integer rational, always in lowest terms.
type Ratnum struct{ big.Rat }

// Flonum is an inexact real.
type Flonum float64

// Char is a Unicode scalar value.
type Char rune

// Symbol is an interned name: two symbols with the same name read or
// created through Intern are the same pointer. Symbols made by gensym are
// not interned.
type Symbol struct{ Name string }

// Keyword is an interned #:name keyword.
type Keyword struct{ Name string }

// Pair is a cons cell. Pairs read from source carry their position.
type Pair struct {
	Car, Cdr Value
	Pos      Pos
}

// Vector is a Scheme vector.
type Vector struct{ Items []Value }

// Bytevector is a Scheme bytevector.
type Bytevector struct{ Bytes []byte }

// Unspecified is the type of the value of expressions whose value R7RS
// leaves unspecified; Unspec is its only value.
type Unspecified struct{ _ byte }

// Unspec is the unspecified value. The REPL and fruix-eval print nothing
// for it.
var Unspec = &Unspecified{}

// EOFObject is the type of the end-of-file object; EOF is its only value.
type EOFObject struct{ _ byte }

// EOF is the end-of-file object.
var EOF = &EOFObject{}

// Source names a file (or other origin) that text was read from. Positions
// point at a shared *Source so a Pos stays two words.
type Source struct{ Name string }

// Pos is a position in a source: 1-based line and column. The zero Pos
// means "unknown".
type Pos struct {
	Src       *Source
	Line, Col int32
}

// Known reports whether p carries a real position.
func (p Pos) Known() bool { return p.Src != nil && p.Line > 0 }

// The tables of symbols and keywords are process-wide and append-only,
// so that data read by one evaluator can be used by another; they hold
// names, not per-run state. They are read far more often than written,
// and from several goroutines at once (a program's reader and its
// evaluator): a sync.Map reads without writing to shared memory, where a
// read lock would make the two cores take turns at its counter.
var (
	symbols  sync.Map // name -> *Symbol
	keywords sync.Map // name -> *Keyword
)

// Intern returns the unique symbol named name.
func Intern(name string) *Symbol {
	if s, ok := symbols.Load(name); ok {
		return s.(*Symbol)
	}
	s, _ := symbols.LoadOrStore(name, &Symbol{Name: name})
	return s.(*Symbol)
}

// internBytes is Intern for a name in a byte slice; it allocates the
// name only the first time it is seen.
func internBytes(name []byte) *Symbol {
	if s, ok := symbols.Load(string(name)); ok {
		return s.(*Symbol)
	}
	return Intern(string(name))
}

// InternKeyword returns the unique keyword #:name.
func InternKeyword(name string) *Keyword {
	if k, ok := keywords.Load(name); ok {
		return k.(*Keyword)
	}
	k, _ := keywords.LoadOrStore(name, &Keyword{Name: name})
	return k.(*Keyword)
}

// Cons allocates a pair without a position.
func Cons(car, cdr Value) *Pair { return &Pair{Car: car, Cdr: cdr} }

// ListLength counts the pairs of l along its cdrs and returns their
// number, the value that ends the chain (the empty list for a proper
// list) and whether the chain is circular, as data read with #0=
// notation can be (then tail is nil). A second pointer going at half the
// speed meets the first on a cycle (Floyd's method), so the count costs
// no memory.
func ListLength(l Value) (n int, tail Value, circular bool) {
	slow := l
	for {
		p, ok := l.(*Pair)
		if !ok {
			return n, l, false
		}
		l = p.Cdr
		n++
		if n&1 == 0 {
			slow = slow.(*Pair).Cdr
			if slow == l {
				return n, nil, true
			}
		}
	}
}

// ListItems returns the cars of l's pairs, in a slice allocated once at
// their number (nil for none), with the tail and circularity that
// ListLength reports; a circular list gives no items.
func ListItems(l Value) (items []Value, tail Value, circular bool) {
	n, tail, circular := ListLength(l)
	if circular || n == 0 {
		return nil, tail, circular
	}
	items = make([]Value, n)
	for i := range items {
		p := l.(*Pair)
		items[i], l = p.Car, p.Cdr
	}
	return items, tail, false
}

// List builds a proper list of vs.
func List(vs ...Value) Value {
	var l Value = Nil
	for i := len(vs) - 1; i >= 0; i-- {
		l = &Pair{Car: vs[i], Cdr: l}
	}
	return l
}

// String formats p as "file:line:col", or "line:col" when the source has
// no name, or "?" when p is unknown.
func (p Pos) String() string {
	if p.Line <= 0 {
		return "?"
	}
	lc := strconv.Itoa(int(p.Line)) + ":" + strconv.Itoa(int(p.Col))
	if p.Src == nil || p.Src.Name == "" {
		return lc
	}
	return p.Src.Name + ":" + lc
}

// LineCol formats p as "line:col", for messages that refer to another
// place in the same file.
func (p Pos) LineCol() string {
	return strconv.Itoa(int(p.Line)) + ":" + strconv.Itoa(int(p.Col))
}
