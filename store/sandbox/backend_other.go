//go:build !linux && !freebsd

package sandbox

import "fmt"

func available() []string { return []string{"none"} }

func newBackend(name string) (Sandbox, error) {
	return nil, fmt.Errorf("sandbox: backend %q is not available on this system (only none is)", name)
}
