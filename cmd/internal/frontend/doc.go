// Package frontend is what the fruix and fruix-eval commands share to
// turn the value a Scheme program computed into something a user can
// look at or build: it lowers the value to its derivation graph, plans
// which of its store items are valid and which would be built or added,
// renders the graph (text, JSON, Graphviz DOT, a tree), and carries it
// from fruix-eval to the fruix command (wire.go). It does not link the
// store: package storeside materializes a graph in a store and looks at
// one for the plan.
package frontend
