// Package store owns Fruix's store: the store directory (by default
// /frx/store) that holds immutable, content-addressed store paths, and the
// state directory (by default /frx/var/fruix) that holds the Badger index
// of valid paths, GC roots, temporary roots and locks.
//
// A path is valid when it is on disk, canonicalized, hashed and recorded in
// the index together with its references; every registration is one
// Badger transaction, so a path is either fully valid or absent. Paths
// are created under a temporary name inside the store directory and
// renamed into place before they are registered; a crash leaves only
// temporary names, which the next Open removes.
//
// Badger is single-process: the process that opens a store (Open) owns it
// until Close, and a second process gets an error naming the owner. Inside
// the owning process a Store is safe for concurrent use. Processes that
// only look (OpenReadOnly: fruix-eval's validity marks, dry runs) share
// the store with each other, never with an owner, and write nothing; an
// owner waits for them to close.
//
// The NAR serialization used for hashing is derivation/nar. The realizer,
// sandbox and builtin builders live in store/realize, store/sandbox and
// store/builtins.
package store
