package stdlib

import (
	"errors"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// The conditions of invoke and wrap-program are error objects carrying a
// Go error (an *InvokeError, a *WrapError) as their cause; these make
// the predicate and the field readers of such a condition.

// errorCause returns the cause of type E of the error object v, if it
// has one.
func errorCause[E error](v lang.Value) (E, bool) {
	var cause E
	eo, ok := v.(*eval.ErrorObject)
	return cause, ok && errors.As(eo.Cause, &cause)
}

// causePredicate is the builtin name, true of the error objects whose
// cause is an E.
func causePredicate[E error](name, doc string) *eval.Builtin {
	return &eval.Builtin{Name: name, MinArgs: 1, MaxArgs: 1, Doc: doc, Fn: func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		_, ok := errorCause[E](args[0])
		return lang.MakeBool(ok), nil
	}}
}

// causeField is the builtin name, returning get of the E an error object
// carries; what names such an object in the error for any other value.
func causeField[E error](name, doc, what string, get func(E) lang.Value) *eval.Builtin {
	return &eval.Builtin{Name: name, MinArgs: 1, MaxArgs: 1, Doc: doc, Fn: func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		cause, ok := errorCause[E](args[0])
		if !ok {
			return nil, wrongType(name, 0, what, args[0])
		}
		return get(cause), nil
	}}
}
