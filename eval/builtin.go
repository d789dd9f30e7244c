package eval

import (
	"fmt"

	"fruix.dev/fruix/lang"
)

// Builtin is a procedure written in Go. Builtins are declared in a table
// per file and installed into a module by an Install function.
//
// Fn is called with between MinArgs and MaxArgs arguments (eval checks
// the count). For builtins of a fixed arity up to four, args lives in a
// buffer the evaluator reuses: Fn may keep the values but not the slice
// itself once it returns. Fn calls Scheme procedures through th.Call,
// never through another builtin's Fn directly.
type Builtin struct {
	Name    string
	MinArgs int
	MaxArgs int // -1: any number of arguments
	Fn      func(th *Thread, args []lang.Value) (lang.Value, error)
	Doc     string
}

// TypeError is a wrong-type argument: which procedure, which argument
// (1-based), what it wanted and what it got.
type TypeError struct {
	Proc string
	Arg  int
	Want string
	Got  lang.Value
}

func (e *TypeError) Error() string {
	return fmt.Sprintf("%s: argument %d: want %s, got %s", e.Proc, e.Arg, e.Want, lang.TypeName(e.Got))
}

// WrongType returns the error for argument arg (1-based) of proc, which
// wanted want and got got: "car: argument 1: want pair, got integer".
func WrongType(proc string, arg int, want string, got lang.Value) error {
	return &TypeError{Proc: proc, Arg: arg, Want: want, Got: got}
}
