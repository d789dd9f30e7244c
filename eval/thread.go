package eval

import (
	"sync/atomic"

	"fruix.dev/fruix/lang"
)

// Thread holds all per-run state of one evaluation: its modules, standard
// ports, load path, step limit, cancellation flag and the dynamic state of
// the running program (exception handlers, parameterizations,
// dynamic-wind frames). Nothing in eval is global, so several Threads can
// run in one process; one Thread must be used by one goroutine at a time
// (Cancel excepted).
type Thread struct {
	opts    Options
	modules map[string]*Module
	// moduleNames remembers which module the module name of an (@ ...)
	// form stands for, by the list written, which expansions such as
	// #~ insert again and again.
	moduleNames map[*lang.Pair]*Module
	natives     map[string][]NativeInit
	current     *Module
	booted      bool
	core        *Module
	locals      map[any]any
	gensyms     int64
	// hintModules are the library modules an unbound variable's error
	// names when one of them exports it (SuggestModules).
	hintModules [][]string
	// anonModules numbers the environments made by (environment ...).
	anonModules int64
	// loading is the stack of modules being loaded, for cycle errors.
	loading []string
	// topPos is the position of a top-level datum that has none (a
	// symbol), for its errors.
	topPos lang.Pos
	// fileDir is the directory of the file being loaded, for include.
	fileDir string

	cancel   atomic.Bool
	budget   int   // calls left before the next poll of cancel and steps
	steps    int64 // calls made, counted at polls
	depth    int
	maxDepth int

	// The pending tail call, handed from a tail-position call node to the
	// trampoline in run: either a closure with its frame already filled,
	// or any procedure with its arguments.
	tcClosure *Closure
	tcFrame   *frame
	tcProc    lang.Value
	tcArgs    []lang.Value
	tcPos     lang.Pos

	// argStack holds the arguments of builtin calls in progress.
	argStack []lang.Value
	// framePool holds frames of finished calls for reuse.
	framePool [maxInline][]*frame

	handlers *handlerEntry
	params   *paramBinding
}

// pollInterval is how many calls run between checks of the cancel flag
// and the step limit.
const pollInterval = 1024

// handlerEntry is one installed exception handler: a procedure from
// with-exception-handler, or a guard, which catches by unwinding.
type handlerEntry struct {
	proc  lang.Value // nil for a guard
	guard *guardMark
	next  *handlerEntry
}

type guardMark struct{ _ byte }

// paramBinding is one parameterize binding.
type paramBinding struct {
	param *Parameter
	value lang.Value
	next  *paramBinding
}
