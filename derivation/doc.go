// Package derivation is Fruix's pure model of build recipes: derivations,
// their ATerm ".drv" text, and the computation of store paths.
//
// Everything here is byte-compatible with Nix — the same nix-base32
// alphabet, the same path fingerprint ("<type>:sha256:<hash>:<storedir>:<name>")
// folded to 160 bits, the same ATerm serialization and the same
// hashDerivationModulo — so that it can be checked against Nix's published
// test vectors. The store directory is a parameter (a StoreDir); Fruix's
// default is /frx/store.
//
// The package does no I/O beyond what its callers hand it: evaluation can
// compute a whole derivation graph without touching a store.
package derivation
