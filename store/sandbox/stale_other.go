//go:build !freebsd

package sandbox

import "os"

// removeStaleRoot removes a root mount point a crash left. On Linux the
// mounts vanished with the build's mount namespace: it is an empty
// directory.
func removeStaleRoot(path string) { os.Remove(path) }
