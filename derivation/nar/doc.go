// Package nar reads and writes NAR, the Nix ARchive format that Fruix uses
// as the canonical serialization of a store path for hashing.
//
// A NAR holds one file-system object — a regular file (possibly
// executable), a symbolic link or a directory whose entries are sorted by
// name — and nothing else: no times, owners or other permission bits. So
// two trees with the same contents have the same NAR and the same hash.
//
// Every string is an unsigned 64-bit little-endian length followed by its
// bytes, zero-padded to a multiple of 8. The archive starts with
// "nix-archive-1"; a node is "(" "type" <kind> ... ")".
//
// Writing streams file contents through large buffers, never holding a
// whole file in memory; Hash overlaps reading files with hashing.
package nar
