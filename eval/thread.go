package eval

// Thread holds all per-run state of one evaluation: its modules, output
// ports, load hook, step limit and cancellation.
type Thread struct{}
