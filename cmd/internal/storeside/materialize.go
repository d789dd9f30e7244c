package storeside

import (
	"fmt"
	"os"
	"path/filepath"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/derivation/nar"
	"fruix.dev/fruix/stdlib"
	"fruix.dev/fruix/store"
)

// Materialize puts what g needs in st before anything is built: its
// sources, in the order that puts each after those it refers to, then its
// .drv files, inputs first. Each item must land at the path evaluation
// computed, or Materialize stops with an error saying so. Items already
// valid are not added again. The store guarantees that a failure leaves
// nothing partial registered.
func Materialize(st *store.Store, g *stdlib.Graph) error {
	if g.StoreDir != st.Dir() {
		return fmt.Errorf("the paths were computed for the store %s, but the store is %s (set %%store-directory or --store-dir to match)", g.StoreDir, st.Dir())
	}
	for _, path := range g.SourceOrder() {
		if ok, err := st.IsValid(path); err != nil {
			return err
		} else if ok {
			continue
		}
		got, err := addSource(st, g.Sources[path])
		if err != nil {
			return err
		}
		if got != path {
			return sourceMismatch(g.Sources[path], got)
		}
	}
	order, err := g.Derivations.TopoOrder()
	if err != nil {
		return err
	}
	for _, path := range order {
		if ok, err := st.IsValid(path); err != nil {
			return err
		} else if ok {
			continue
		}
		got, err := st.AddDerivation(g.Derivations.Nodes[path])
		if err != nil {
			return fmt.Errorf("adding %s: %w", path, err)
		}
		if got != path {
			return fmt.Errorf("the store put derivation %s at %s, not at the path evaluation computed: a hashing bug", path, got)
		}
	}
	return nil
}

// addSource adds one source as its kind says and returns the path the
// store gave it.
func addSource(st *store.Store, s *stdlib.Source) (string, error) {
	switch s.Kind {
	case stdlib.SourceText:
		return st.AddText(s.Name, s.Text, s.Refs)
	case stdlib.SourceTree:
		// The name becomes a directory's before the store checks it.
		if err := derivation.ValidateName(s.Name); err != nil {
			return "", fmt.Errorf("source %s: %w", s.Path, err)
		}
		dir, err := os.MkdirTemp("", "fruix-source-")
		if err != nil {
			return "", err
		}
		defer os.RemoveAll(dir)
		root := filepath.Join(dir, s.Name)
		if err := writeTree(root, s.Files); err != nil {
			return "", fmt.Errorf("writing %s: %w", s.Path, err)
		}
		return st.AddPath(root, store.AddOptions{Name: s.Name})
	case stdlib.SourceLocal:
		return st.AddPath(s.LocalFile, store.AddOptions{Name: s.Name, Flat: !s.Recursive})
	}
	panic(fmt.Sprintf("storeside: unknown source kind %d", s.Kind))
}

// writeTree writes files, symbolic links and directories under root,
// creating the directories their names imply. A tree that could leave
// root (a graph read from standard input could hold one: a name with
// "..", or an entry below a symbolic link) is refused before anything is
// written.
func writeTree(root string, files []stdlib.TreeFile) error {
	if err := nar.CheckFiles(files); err != nil {
		return err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		name := filepath.Join(root, filepath.FromSlash(f.Name))
		if f.Dir {
			if err := os.MkdirAll(name, 0o755); err != nil {
				return err
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return err
		}
		if f.Symlink != "" {
			if err := os.Symlink(f.Symlink, name); err != nil {
				return err
			}
			continue
		}
		mode := os.FileMode(0o644)
		if f.Executable {
			mode = 0o755
		}
		if err := os.WriteFile(name, f.Data, mode); err != nil {
			return err
		}
	}
	return nil
}

// sourceMismatch explains a source that landed elsewhere than evaluation
// computed.
func sourceMismatch(s *stdlib.Source, got string) error {
	if s.Kind == stdlib.SourceLocal {
		return fmt.Errorf("%s changed since it was evaluated: its content is now at %s, not %s; evaluate again", s.LocalFile, got, s.Path)
	}
	return fmt.Errorf("the store put source %s at %s, not at the path evaluation computed: a hashing bug", s.Path, got)
}
