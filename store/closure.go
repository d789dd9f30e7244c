package store

import (
	"errors"
	"fmt"
	"sort"

	badger "github.com/dgraph-io/badger/v4"
)

// Requisites returns the closure of paths under references — the paths
// themselves and everything they refer to, directly or not — sorted.
// Every path must be valid.
func (s *index) Requisites(paths ...string) ([]string, error) {
	for _, p := range paths {
		if err := s.checkPath(p); err != nil {
			return nil, err
		}
	}
	if s.db == nil && len(paths) > 0 {
		return nil, fmt.Errorf("%s: %w", paths[0], ErrNotValid) // a Reader of no store
	}
	var out []string
	err := s.view(func(txn *badger.Txn) error {
		seen, err := s.closure(txn, paths, true)
		if err != nil {
			return err
		}
		out = make([]string, 0, len(seen))
		for base := range seen {
			out = append(out, fullPath(s.dir, base))
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// closure walks references from roots inside one read transaction and
// returns the base names reached. With strict, a root or reference that
// is not valid is an error; otherwise it is included but not followed
// (temporary roots may name paths still being built).
func (s *index) closure(txn *badger.Txn, roots []string, strict bool) (map[string]bool, error) {
	seen := make(map[string]bool, len(roots))
	stack := make([]string, 0, len(roots))
	for _, r := range roots {
		stack = append(stack, baseName(r))
	}
	key := make([]byte, 0, 64)
	for len(stack) > 0 {
		base := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[base] {
			continue
		}
		seen[base] = true
		if len(seen) == scanThreshold {
			// A large closure: one sequential pass over the index costs
			// less than tens of thousands of point lookups.
			return s.finishClosureByScan(txn, seen, base, stack, strict)
		}
		key = append(append(key[:0], prefixValid...), base...)
		item, err := txn.Get(key)
		if errors.Is(err, badger.ErrKeyNotFound) {
			if strict {
				return nil, fmt.Errorf("%s: %w", fullPath(s.dir, base), ErrNotValid)
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		err = item.Value(func(v []byte) error {
			refs, err := decodeReferences(v)
			for _, r := range refs {
				if !seen[r] {
					stack = append(stack, r)
				}
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return seen, nil
}

// scanThreshold is the number of paths a closure walk visits by point
// lookups before it switches to reading every path's references at once.
var scanThreshold = 4096 // a variable so that tests can exercise both ways

// refGraph is the whole reference graph of the index, with paths
// numbered so that a walk needs no string hashing.
type refGraph struct {
	ids   map[string]int32
	names []string
	valid []bool
	refs  [][]int32
}

func (g *refGraph) id(base []byte) int32 {
	if id, ok := g.ids[string(base)]; ok {
		return id
	}
	id := int32(len(g.names))
	name := string(base)
	g.ids[name] = id
	g.names = append(g.names, name)
	g.valid = append(g.valid, false)
	g.refs = append(g.refs, nil)
	return id
}

// referenceGraph reads every valid path's references in one pass.
func (s *index) referenceGraph(txn *badger.Txn) (*refGraph, error) {
	g := &refGraph{ids: map[string]int32{}}
	prefix := []byte(prefixValid)
	opts := badger.DefaultIteratorOptions
	opts.Prefix = prefix
	opts.PrefetchSize = 1000
	it := txn.NewIterator(opts)
	defer it.Close()
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		item := it.Item()
		id := g.id(item.Key()[len(prefix):])
		g.valid[id] = true
		err := item.Value(func(v []byte) error {
			return eachReference(v, func(ref []byte) {
				r := g.id(ref)
				g.refs[id] = append(g.refs[id], r)
			})
		})
		if err != nil {
			return nil, err
		}
	}
	return g, nil
}

// finishClosureByScan completes a closure walk on the whole reference
// graph: seen holds the paths reached so far (base among them, not yet
// expanded), stack those still to visit.
func (s *index) finishClosureByScan(txn *badger.Txn, seen map[string]bool, base string, stack []string, strict bool) (map[string]bool, error) {
	g, err := s.referenceGraph(txn)
	if err != nil {
		return nil, err
	}
	notValid := func(b string) error { return fmt.Errorf("%s: %w", fullPath(s.dir, b), ErrNotValid) }
	visited := make([]bool, len(g.names))
	for b := range seen {
		if id, ok := g.ids[b]; ok {
			visited[id] = true
		}
	}
	var work []int32
	expand := func(id int32) {
		for _, r := range g.refs[id] {
			if !visited[r] {
				visited[r] = true
				work = append(work, r)
			}
		}
	}
	if id, ok := g.ids[base]; ok && g.valid[id] {
		expand(id)
	} else if strict {
		return nil, notValid(base)
	}
	for _, b := range stack {
		if seen[b] {
			continue
		}
		id, ok := g.ids[b]
		if !ok {
			if strict {
				return nil, notValid(b)
			}
			seen[b] = true
			continue
		}
		if !visited[id] {
			visited[id] = true
			work = append(work, id)
		}
	}
	for len(work) > 0 {
		id := work[len(work)-1]
		work = work[:len(work)-1]
		if !g.valid[id] {
			if strict {
				return nil, notValid(g.names[id])
			}
			continue
		}
		expand(id)
	}
	for id, v := range visited {
		if v {
			seen[g.names[id]] = true
		}
	}
	return seen, nil
}

// ClosureSize is the sum of the NAR sizes of the closure of paths.
func (s *index) ClosureSize(paths ...string) (uint64, error) {
	closure, err := s.Requisites(paths...)
	if err != nil {
		return 0, err
	}
	var total uint64
	for _, p := range closure {
		info, err := s.QueryPathInfo(p)
		if err != nil {
			return 0, err
		}
		total += info.NarSize
	}
	return total, nil
}

// TopoSortPaths orders valid paths so that every path comes after the
// paths it refers to (self references aside), ties broken by name.
func (s *index) TopoSortPaths(paths []string) ([]string, error) {
	in := make(map[string]bool, len(paths))
	for _, p := range paths {
		in[p] = true
	}
	refs := make(map[string][]string, len(paths))
	for _, p := range paths {
		info, err := s.QueryPathInfo(p)
		if err != nil {
			return nil, err
		}
		refs[p] = info.References
	}
	sorted := append([]string(nil), paths...)
	sort.Strings(sorted)
	done := make(map[string]bool, len(paths))
	out := make([]string, 0, len(paths))
	var visit func(p string)
	visit = func(p string) {
		if done[p] {
			return
		}
		done[p] = true
		for _, r := range refs[p] {
			if r != p && in[r] {
				visit(r)
			}
		}
		out = append(out, p)
	}
	for _, p := range sorted {
		visit(p)
	}
	return out, nil
}
