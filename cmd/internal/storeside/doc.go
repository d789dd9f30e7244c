// Package storeside is what the fruix command does with the store for a
// lowered graph: open the store only to look at it, plan against it, and
// materialize the graph — its sources, then its .drv files — before the
// realizer builds it. It is apart from package frontend so that
// fruix-eval, which only shows graphs and leaves the store to the fruix
// command, does not link the store's index.
package storeside
