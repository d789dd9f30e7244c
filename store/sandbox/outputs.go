//go:build unix

package sandbox

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// collectOutputs moves the outputs the builder created in staging (the
// directory that backed the store inside the sandbox) to their store paths,
// or to spec.OutputDest. Outputs the builder did not create are left for
// the caller to report.
func collectOutputs(spec *Spec, staging string) error {
	for _, p := range spec.Outputs {
		src := filepath.Join(staging, filepath.Base(p))
		if _, err := os.Lstat(src); err != nil {
			continue
		}
		dest := p
		if d, ok := spec.OutputDest[p]; ok {
			dest = d
		}
		if err := os.Rename(src, dest); err != nil {
			return fmt.Errorf("sandbox: moving output %s into the store: %w", p, err)
		}
	}
	return nil
}

// RemoveAll deletes a tree even when the build left read-only directories
// in it, which os.RemoveAll cannot empty when not running as root.
func RemoveAll(path string) error {
	err := os.RemoveAll(path)
	if err == nil {
		return nil
	}
	filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(p, 0o700)
		}
		return nil
	})
	return os.RemoveAll(path)
}
