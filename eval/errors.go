package eval

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"fruix.dev/fruix/lang"
)

// Kinds of error objects. Builtins may return any Go error; eval turns it
// into an *ErrorObject of the kind that fits (see ErrorKind).
const (
	KindError        = "error"                // (error msg irritant ...)
	KindWrongType    = "wrong-type-arg"       // a builtin got an argument of the wrong type
	KindRange        = "out-of-range"         // an argument of the right type but a bad value
	KindUnbound      = "unbound-variable"     // a reference to an unbound variable
	KindArity        = "wrong-number-of-args" // a call with too few or too many arguments
	KindFile         = "file-error"           // opening or reading a file failed
	KindRead         = "read-error"           // the reader rejected its input
	KindSyntax       = "syntax-error"         // a malformed special form or macro use
	KindAssertion    = "assertion-failed"     // (assert expr) was false
	KindInterrupt    = "interrupted"          // Thread.Cancel
	KindLimit        = "resource-limit"       // recursion too deep, step limit
	KindContinuation = "continuation-error"   // a dead continuation was invoked
)

// ErrNoModule is the cause (errors.Is) of the error raised for a module
// no code can be found for.
var ErrNoModule = errors.New("no code for module")

// ErrorObject is an R7RS error object: a message, irritants and a kind.
// It is also a Go error, so builtins may return one directly.
type ErrorObject struct {
	Kind      string
	Message   string
	Irritants []lang.Value
	// Cause is the Go error this object was made from, if any.
	Cause error
}

// NewError returns an error object of the given kind.
func NewError(kind, message string, irritants ...lang.Value) *ErrorObject {
	return &ErrorObject{Kind: kind, Message: message, Irritants: irritants}
}

// Errorf returns an error object of kind KindError with a formatted
// message and no irritants.
func Errorf(format string, a ...any) *ErrorObject {
	return &ErrorObject{Kind: KindError, Message: fmt.Sprintf(format, a...)}
}

func (e *ErrorObject) Error() string {
	if len(e.Irritants) == 0 {
		return e.Message
	}
	var b strings.Builder
	b.WriteString(e.Message)
	for _, v := range e.Irritants {
		b.WriteByte(' ')
		b.WriteString(writeString(v))
	}
	return b.String()
}

// Unwrap returns the Go error the object was made from.
func (e *ErrorObject) Unwrap() error { return e.Cause }

// TypeName implements lang.Named.
func (*ErrorObject) TypeName() string { return "error-object" }

func (e *ErrorObject) String() string {
	return "#<error " + e.Kind + ": " + e.Error() + ">"
}

// KindedError is implemented by Go errors that know which kind of Scheme
// error they are (for example the standard library's range errors).
type KindedError interface {
	error
	ErrorKind() string
}

// ErrorKind returns the kind of error object Go error err becomes.
func ErrorKind(err error) string {
	var eo *ErrorObject
	var te *TypeError
	var ke KindedError
	var pe *fs.PathError
	switch {
	case errors.As(err, &eo):
		return eo.Kind
	case errors.As(err, &te):
		return KindWrongType
	case errors.As(err, &ke):
		return ke.ErrorKind()
	case errors.As(err, &pe):
		return KindFile
	case isReadError(err):
		return KindRead
	}
	return KindError
}

// AsErrorObject converts a Go error into the Scheme error object guard
// and with-exception-handler see.
func AsErrorObject(err error) *ErrorObject {
	var eo *ErrorObject
	if errors.As(err, &eo) {
		return eo
	}
	return &ErrorObject{Kind: ErrorKind(err), Message: err.Error(), Cause: err}
}

// Exit is returned by (exit n) and emergency-exit: it unwinds the whole
// evaluation without being caught by guard or exception handlers, and the
// command turns it into the process's exit status.
type Exit struct{ Code int }

func (e *Exit) Error() string { return fmt.Sprintf("exit %d", e.Code) }

// Exception is a raised Scheme object travelling up to a guard or to the
// top level, with the position of the raise and the Scheme backtrace.
type Exception struct {
	// Payload is the raised object: an *ErrorObject for errors, anything
	// for (raise obj).
	Payload     lang.Value
	Continuable bool
	// Pos is where the error happened: the innermost known call or form.
	Pos   lang.Pos
	trace backtrace
	// fatal errors (interrupts, limits) are not caught by guard.
	fatal bool
}

func (e *Exception) Error() string {
	msg := payloadMessage(e.Payload)
	if e.Pos.Known() {
		return formatPos(e.Pos) + ": " + msg
	}
	return msg
}

// Unwrap returns the error object of the payload, if it is one; the Go
// error it was made from follows through the object's own Unwrap.
func (e *Exception) Unwrap() error {
	if eo, ok := e.Payload.(*ErrorObject); ok {
		return eo
	}
	return nil
}

// Message returns the message without the position.
func (e *Exception) Message() string { return payloadMessage(e.Payload) }

func payloadMessage(v lang.Value) string {
	if eo, ok := v.(*ErrorObject); ok {
		return eo.Error()
	}
	return "uncaught exception: " + writeString(v)
}

func formatPos(p lang.Pos) string {
	name := "<unknown>"
	if p.Src != nil {
		name = p.Src.Name
	}
	return fmt.Sprintf("%s:%d:%d", name, p.Line, p.Col)
}

// traceEntry is one frame of a Scheme backtrace: a call of proc at pos.
type traceEntry struct {
	proc string
	pos  lang.Pos
}

// backtrace keeps the innermost and outermost frames of an unwinding
// error and counts those in between, so a 10^6-deep failure stays small.
type backtrace struct {
	inner   []traceEntry // most recent first
	outer   []traceEntry // ring of the oldest seen so far
	next    int          // next slot of outer to overwrite
	omitted int
}

const traceKeep = 12

func (b *backtrace) add(e traceEntry) {
	if len(b.inner) < traceKeep {
		b.inner = append(b.inner, e)
		return
	}
	if len(b.outer) < traceKeep {
		b.outer = append(b.outer, e)
		return
	}
	b.outer[b.next] = e
	b.next = (b.next + 1) % traceKeep
	b.omitted++
}

// entries returns the frames most recent last, and how many were omitted
// after the first len(older) of them.
func (b *backtrace) entries() (older, newer []traceEntry, omitted int) {
	// outer, oldest first: the ring's order ends with the last added.
	n := len(b.outer)
	for i := 0; i < n; i++ {
		older = append(older, b.outer[(b.next+n-1-i+n)%n])
	}
	for i := len(b.inner) - 1; i >= 0; i-- {
		newer = append(newer, b.inner[i])
	}
	return older, newer, b.omitted
}

// FormatError renders err as the commands print it: "file:line:col:
// message", then the Scheme backtrace, most recent call last, trimmed in
// the middle when long.
func FormatError(err error) string {
	var ex *Exception
	if !errors.As(err, &ex) {
		return err.Error()
	}
	var b strings.Builder
	b.WriteString(ex.Error())
	b.WriteByte('\n')
	older, newer, omitted := ex.trace.entries()
	if len(older)+len(newer) == 0 {
		return b.String()
	}
	b.WriteString("Backtrace (most recent call last):\n")
	var lines []string
	entry := func(e traceEntry) string {
		l := "  "
		if e.pos.Known() {
			l += formatPos(e.pos) + ": "
		}
		return l + "in " + procLabel(e.proc)
	}
	for _, e := range older {
		lines = append(lines, entry(e))
	}
	if omitted > 0 {
		lines = append(lines, fmt.Sprintf("  ... %d frames omitted ...", omitted))
	}
	for _, e := range newer {
		lines = append(lines, entry(e))
	}
	// Runs of the same frame, as in deep recursion, print once.
	for i := 0; i < len(lines); {
		j := i + 1
		for j < len(lines) && lines[j] == lines[i] {
			j++
		}
		b.WriteString(lines[i])
		if j-i > 1 {
			fmt.Fprintf(&b, " (%d times)", j-i)
		}
		b.WriteByte('\n')
		i = j
	}
	return b.String()
}
