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
		// Nobody but root may change an output, nor gain privileges from
		// it, between its move into the store and its canonicalization.
		if err := restrictModes(src); err != nil {
			return fmt.Errorf("sandbox: output %s: %w", p, err)
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

// restrictModes clears the setuid, setgid and sticky bits and the group
// and other write bits of a tree, without following symbolic links.
func restrictModes(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		mode := info.Mode()
		if mode&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky) != 0 || mode.Perm()&0o022 != 0 {
			return os.Chmod(p, mode.Perm()&^0o022)
		}
		return nil
	})
}
