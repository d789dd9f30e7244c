package frontend

// fruix-eval does not link the store: when it needs one, it runs the
// fruix command installed beside it, through two internal commands that
// fruix registers only when invoked (see cmd/fruix/build_graph.go). Both
// sides name them and read their answers with these constants.
const (
	// BuildGraphCommand is fruix build with the lowered graph read from
	// standard input (EncodeGraph) instead of evaluated.
	BuildGraphCommand = "__build-graph"
	// ValidPathsCommand reads store paths, one per line, and prints
	// those that are valid, then a line ValidPathsEnd.
	ValidPathsCommand = "__valid-paths"
	// ValidPathsEnd ends a complete answer of ValidPathsCommand, so that
	// fruix-eval goes on without waiting for fruix to close the store.
	ValidPathsEnd = "."
	// ExitStoreInUse is ValidPathsCommand's status when the store cannot
	// be looked at (another process owns it, or it must be recovered
	// first); standard error says why.
	ExitStoreInUse = 3
)
