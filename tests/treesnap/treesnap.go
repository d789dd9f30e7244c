// Package treesnap describes a directory tree in enough detail to tell
// whether anything in it changed: for tests that check a command only
// read a store. It is test support: only tests import it.
package treesnap

import (
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Listing describes every file under root, a line each: its name, mode,
// size, modification time and, for a regular file, a hash of its
// content (of its first and last MiB for a big one: an owner killed
// leaves its index's logs at their preallocated size, gigabytes of
// holes), or a symbolic link's target.
func Listing(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := e.Info()
		if err != nil {
			return err
		}
		line := fmt.Sprintf("%s %v %d %d", strings.TrimPrefix(p, root), fi.Mode(), fi.Size(), fi.ModTime().UnixNano())
		switch {
		case fi.Mode().IsRegular():
			sum, err := hashEnds(p, fi.Size())
			if err != nil {
				return err
			}
			line += " " + sum
		case fi.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			line += " -> " + target
		}
		out = append(out, line)
		return nil
	})
	return out, err
}

// hashEnds hashes the file name of the given size, whole up to 2 MiB,
// else its first and last MiB.
func hashEnds(name string, size int64) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	const part = 1 << 20
	h := sha256.New()
	if size <= 2*part {
		_, err = io.Copy(h, f)
	} else {
		_, err = io.Copy(h, io.NewSectionReader(f, 0, part))
		if err == nil {
			_, err = io.Copy(h, io.NewSectionReader(f, size-part, part))
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil)), err
}
