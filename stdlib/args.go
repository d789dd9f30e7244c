package stdlib

import (
	"fmt"
	"math"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// Argument checking shared by every builtin. Argument positions are
// 1-based in messages, as in "car: argument 1: want pair, got integer";
// the helpers take the 0-based slice index and add one.

func wrongType(proc string, i int, want string, got lang.Value) error {
	return eval.WrongType(proc, i+1, want, got)
}

// rangeErrorf reports an argument that has the right type but a bad value:
// "vector-ref: argument 2: index 10 out of range for vector of length 3".
func rangeErrorf(proc string, i int, format string, a ...any) error {
	return &RangeError{Proc: proc, Arg: i + 1, Msg: fmt.Sprintf(format, a...)}
}

// RangeError is an argument of the right type whose value is out of the
// range the procedure accepts.
type RangeError struct {
	Proc string
	Arg  int
	Msg  string
}

func (e *RangeError) Error() string {
	return fmt.Sprintf("%s: argument %d: %s", e.Proc, e.Arg, e.Msg)
}

// procErrorf reports an error in a call of proc that is not about one
// argument: "length: improper list".
func procErrorf(proc string, format string, a ...any) error {
	return fmt.Errorf("%s: %s", proc, fmt.Sprintf(format, a...))
}

func argString(proc string, args []lang.Value, i int) (*lang.String, error) {
	if s, ok := args[i].(*lang.String); ok {
		return s, nil
	}
	return nil, wrongType(proc, i, "string", args[i])
}

func argMutableString(proc string, args []lang.Value, i int) (*lang.String, error) {
	s, err := argString(proc, args, i)
	if err == nil && s.Immutable {
		return nil, wrongType(proc, i, "mutable string", args[i])
	}
	return s, err
}

func argSymbol(proc string, args []lang.Value, i int) (*lang.Symbol, error) {
	if s, ok := args[i].(*lang.Symbol); ok {
		return s, nil
	}
	return nil, wrongType(proc, i, "symbol", args[i])
}

func argChar(proc string, args []lang.Value, i int) (rune, error) {
	if c, ok := args[i].(lang.Char); ok {
		return rune(c), nil
	}
	return 0, wrongType(proc, i, "character", args[i])
}

func argPair(proc string, args []lang.Value, i int) (*lang.Pair, error) {
	if p, ok := args[i].(*lang.Pair); ok {
		return p, nil
	}
	return nil, wrongType(proc, i, "pair", args[i])
}

func argVector(proc string, args []lang.Value, i int) (*lang.Vector, error) {
	if v, ok := args[i].(*lang.Vector); ok {
		return v, nil
	}
	return nil, wrongType(proc, i, "vector", args[i])
}

func argBytevector(proc string, args []lang.Value, i int) (*lang.Bytevector, error) {
	if v, ok := args[i].(*lang.Bytevector); ok {
		return v, nil
	}
	return nil, wrongType(proc, i, "bytevector", args[i])
}

func argProc(proc string, args []lang.Value, i int) (lang.Value, error) {
	if eval.IsProcedure(args[i]) {
		return args[i], nil
	}
	return nil, wrongType(proc, i, "procedure", args[i])
}

// argInt returns an exact integer argument that fits in an int.
func argInt(proc string, args []lang.Value, i int) (int, error) {
	switch n := args[i].(type) {
	case lang.Fixnum:
		if int64(n) >= math.MinInt && int64(n) <= math.MaxInt {
			return int(n), nil
		}
	case *lang.Bignum:
		return 0, rangeErrorf(proc, i, "integer %s too large", n.String())
	case lang.Flonum:
		if f := float64(n); f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return 0, wrongType(proc, i, "exact integer", args[i])
		}
	}
	return 0, wrongType(proc, i, "exact integer", args[i])
}

// argNonNeg returns an exact non-negative integer argument.
func argNonNeg(proc string, args []lang.Value, i int) (int, error) {
	n, err := argInt(proc, args, i)
	if err == nil && n < 0 {
		return 0, rangeErrorf(proc, i, "want non-negative integer, got %d", n)
	}
	return n, err
}

// argIndex returns an index argument valid for an object of length n that
// is named what ("vector", "string"...).
func argIndex(proc string, args []lang.Value, i int, n int, what string) (int, error) {
	k, err := argInt(proc, args, i)
	if err != nil {
		return 0, err
	}
	if k < 0 || k >= n {
		return 0, rangeErrorf(proc, i, "index %d out of range for %s of length %d", k, what, n)
	}
	return k, nil
}

// argRange reads the optional [start [end]] arguments at positions i and
// i+1 for an object of length n, defaulting to the whole object.
func argRange(proc string, args []lang.Value, i int, n int, what string) (start, end int, err error) {
	start, end = 0, n
	if len(args) > i {
		if start, err = argInt(proc, args, i); err != nil {
			return
		}
		if start < 0 || start > n {
			return 0, 0, rangeErrorf(proc, i, "start %d out of range for %s of length %d", start, what, n)
		}
	}
	if len(args) > i+1 {
		if end, err = argInt(proc, args, i+1); err != nil {
			return
		}
		if end < start || end > n {
			return 0, 0, rangeErrorf(proc, i+1, "end %d out of range [%d, %d] for %s of length %d", end, start, n, what, n)
		}
	}
	return
}

// listToSlice converts a proper list to a slice; an improper or circular
// list is an error naming proc and argument i.
func listToSlice(proc string, args []lang.Value, i int) ([]lang.Value, error) {
	items, tail, circular := lang.ListItems(args[i])
	switch {
	case circular:
		return nil, rangeErrorf(proc, i, "circular list")
	case !isNull(tail):
		return nil, wrongType(proc, i, "proper list", args[i])
	}
	return items, nil
}

// listLength returns the length of a proper list, or -1 if l is improper,
// -2 if it is circular.
func listLength(l lang.Value) int {
	n, tail, circular := lang.ListLength(l)
	switch {
	case circular:
		return -2
	case !isNull(tail):
		return -1
	}
	return n
}

func isNull(v lang.Value) bool {
	_, ok := v.(*lang.Null)
	return ok
}

// sliceToList builds a fresh proper list from vs, ending in tail.
func sliceToList(vs []lang.Value, tail lang.Value) lang.Value {
	l := tail
	for i := len(vs) - 1; i >= 0; i-- {
		l = lang.Cons(vs[i], l)
	}
	return l
}

func makeInt(n int) lang.Value { return lang.MakeInt(int64(n)) }

// ErrorKind implements eval.KindedError: a range error is an
// out-of-range condition.
func (e *RangeError) ErrorKind() string { return eval.KindRange }

// walker detects that a list being walked pair by pair is circular, by
// moving a second pointer at half speed (Floyd's algorithm).
type walker struct {
	slow lang.Value
	n    int
}

func newWalker(l lang.Value) walker { return walker{slow: l} }

// circular is called with the cdr just moved to; it reports whether the
// walk has come round to a pair it saw before.
func (w *walker) circular(next lang.Value) bool {
	w.n++
	if w.n&1 == 0 {
		w.slow = w.slow.(*lang.Pair).Cdr
		return w.slow == next
	}
	return false
}

// ownBuiltins are the builtins of this library. They are ordinary Go
// functions, so call can run them directly; eval's own builtins (apply,
// call/cc, values ...) cooperate with the evaluator and must go through
// Thread.Call.
var ownBuiltins map[*eval.Builtin]bool

func init() {
	ownBuiltins = make(map[*eval.Builtin]bool, len(builtinsByName))
	for _, b := range builtinsByName {
		ownBuiltins[b] = true
	}
}

// call applies proc to args. The library's own builtins are called
// directly, which makes (map car l), (sort l <) or (fold + 0 l) several
// times faster than through the evaluator; everything else, and a wrong
// number of arguments, goes through th.Call.
func call(th *eval.Thread, proc lang.Value, args ...lang.Value) (lang.Value, error) {
	if b, ok := proc.(*eval.Builtin); ok && ownBuiltins[b] && len(args) >= b.MinArgs && (b.MaxArgs < 0 || len(args) <= b.MaxArgs) {
		return b.Fn(th, args)
	}
	return th.Call(proc, args...)
}

// argStrings reads argument i, a proper list of strings; want describes
// it in errors, which name the element that is not a string.
func argStrings(proc string, args []lang.Value, i int, want string) ([]string, error) {
	items, ok := listArgs(args[i])
	if !ok {
		return nil, wrongType(proc, i, want, args[i])
	}
	out := make([]string, len(items))
	for j, it := range items {
		s, ok := it.(*lang.String)
		if !ok {
			return nil, wrongType(proc, i, want, it)
		}
		out[j] = s.String()
	}
	return out, nil
}
