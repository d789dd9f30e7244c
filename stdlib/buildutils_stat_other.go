//go:build !linux && !freebsd

package stdlib

// fillSysStat leaves what os.FileInfo gives: other systems are not
// Fruix's targets.
func fillSysStat(s *Stat, sys any) {}
