package ufs

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"fruix.dev/fruix/freebsd/mtree"
)

// node is one directory entry of the tree to write, with the metadata of
// the inode it names. A hard link is a node whose linkTo is the node that
// owns the inode.
type node struct {
	name     string
	parent   *node
	children []*node // sorted by name
	linkTo   *node   // hard link: the node owning the inode

	ftype  uint16 // ifreg, ifdir, ...
	perm   uint16 // 07777 bits
	uid    uint32
	gid    uint32
	flags  uint32
	mtime  time.Time
	src    string // file holding the bytes, when not the tree's own (contents=)
	size   int64
	target string // symbolic link target
	rdev   uint64

	ino      uint32
	nlink    int
	depth    uint32
	fromSpec bool
	fromTree bool // a regular file whose bytes are at its path in the tree
	sparse   bool // it may have holes: ask the host where its data is
}

func (n *node) isDir() bool { return n.ftype == ifdir }

// tree is the whole input: the nodes and the inodes in number order.
type tree struct {
	base   string // the directory scanned
	root   *node
	inodes []*node // inodes[i] has number i+rootIno
}

// devIno identifies a file of the source tree, to find its hard links.
type devIno struct{ dev, ino uint64 }

// scanTree reads root (if not empty) and merges the spec into it.
func scanTree(root string, spec *mtree.Spec, opt *Options) (*tree, error) {
	ts := opt.Timestamp
	if ts.IsZero() {
		ts = time.Unix(0, 0)
	}
	rootNode := &node{name: "", ftype: ifdir, perm: 0755, mtime: ts}
	byPath := index{rootNode}
	seen := map[devIno]*node{}
	if root != "" {
		st, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("ufs: tree: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("ufs: tree %s is not a directory", root)
		}
		rootNode.perm = uint16(unixPerm(st.Mode()))
		if err := scanDir(root, ".", rootNode, seen, ts); err != nil {
			return nil, err
		}
	}
	if spec != nil {
		if spec.NeedsIDs() {
			ids := opt.IDs
			if ids == nil {
				if root == "" {
					return nil, fmt.Errorf("ufs: spec %s names users and groups but there is no tree to read etc/passwd and etc/group from; give Options.IDs", spec.Name)
				}
				var err error
				if ids, err = mtree.ReadIDs(root); err != nil {
					// root and wheel are 0 on every FreeBSD system; any
					// other name needs the tree's databases.
					ids = &mtree.IDs{
						Users:  map[string]uint32{"root": 0, "toor": 0},
						Groups: map[string]uint32{"wheel": 0},
						Where:  fmt.Sprintf("the built-in root and wheel, as %v", err),
					}
				}
			}
			if err := spec.Resolve(ids); err != nil {
				return nil, err
			}
		}
		if err := mergeSpec(root, spec, rootNode, byPath, ts); err != nil {
			return nil, err
		}
		if opt.SpecOnly {
			pruneUnlisted(rootNode)
		}
	}
	t := &tree{base: root, root: rootNode}
	if err := t.number(); err != nil {
		return nil, err
	}
	return t, nil
}

func unixPerm(m fs.FileMode) uint32 {
	p := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		p |= 04000
	}
	if m&fs.ModeSetgid != 0 {
		p |= 02000
	}
	if m&fs.ModeSticky != 0 {
		p |= 01000
	}
	return p
}

func checkName(name, p string) error {
	if len(name) > maxNameLen {
		return fmt.Errorf("ufs: %s: name is %d bytes, longer than UFS's limit of %d", p, len(name), maxNameLen)
	}
	return nil
}

func scanDir(dir, dirRel string, parent *node, seen map[devIno]*node, ts time.Time) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("ufs: tree: %w", err)
	}
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		return fmt.Errorf("ufs: tree: %s: %w", dir, err)
	}
	sort.Strings(names)
	for _, name := range names {
		full := filepath.Join(dir, name)
		rel := path.Join(dirRel, name)
		if err := checkName(name, rel); err != nil {
			return err
		}
		st, err := os.Lstat(full)
		if err != nil {
			return fmt.Errorf("ufs: tree: %w", err)
		}
		n := &node{name: name, parent: parent, perm: uint16(unixPerm(st.Mode())), mtime: ts}
		switch m := st.Mode(); {
		case m.IsRegular():
			n.ftype, n.fromTree, n.size, n.sparse = ifreg, true, st.Size(), true
			sys, ok := st.Sys().(*syscall.Stat_t)
			if ok && int64(sys.Blocks)*512 >= st.Size() {
				n.sparse = false // every byte has a block: no hole to find
			}
			if ok && sys.Nlink > 1 {
				k := devIno{uint64(sys.Dev), uint64(sys.Ino)}
				if first, dup := seen[k]; dup {
					n.linkTo = first
				} else {
					seen[k] = n
				}
			}
		case m.IsDir():
			n.ftype = ifdir
		case m&fs.ModeSymlink != 0:
			n.ftype = iflnk
			if n.target, err = os.Readlink(full); err != nil {
				return fmt.Errorf("ufs: tree: %w", err)
			}
		case m&fs.ModeNamedPipe != 0:
			n.ftype = ififo
		case m&fs.ModeSocket != 0:
			n.ftype = ifsock
		case m&fs.ModeDevice != 0:
			n.ftype = ifblk
			if m&fs.ModeCharDevice != 0 {
				n.ftype = ifchr
			}
			if sys, ok := st.Sys().(*syscall.Stat_t); ok {
				n.rdev = uint64(sys.Rdev)
			}
		default:
			return fmt.Errorf("ufs: tree: %s: unsupported file type %v", full, m.Type())
		}
		parent.children = append(parent.children, n)
		if n.ftype == ifdir {
			if err := scanDir(full, rel, n, seen, ts); err != nil {
				return err
			}
		}
	}
	return nil
}

var specTypes = map[string]uint16{
	"file": ifreg, "dir": ifdir, "link": iflnk, "fifo": ififo,
	"char": ifchr, "block": ifblk, "socket": ifsock, "hlink": ifreg,
}

var typeNames = map[uint16]string{
	ifreg: "file", ifdir: "dir", iflnk: "link", ififo: "fifo",
	ifchr: "char", ifblk: "block", ifsock: "socket",
}

// mergeSpec applies the spec's entries, in path order, to the scanned
// tree: metadata for entries present, new entries for those absent.
func mergeSpec(root string, spec *mtree.Spec, rootNode *node, byPath index, ts time.Time) error {
	entries := spec.Entries()
	var hlinks []*mtree.Entry
	for _, e := range entries {
		n, exists := byPath.get(e.Path)
		want := specTypes[e.Type]
		if e.Type == "hlink" {
			hlinks = append(hlinks, e)
			continue
		}
		if !exists {
			if e.Path == "." {
				n = rootNode
			} else {
				parent, err := ensureParent(e, rootNode, byPath, ts)
				if err != nil {
					return err
				}
				if parent == nil {
					continue // optional entry under a missing directory
				}
				name := path.Base(e.Path)
				if err := checkName(name, e.Path); err != nil {
					return fmt.Errorf("%s: %w", e.Pos(), err)
				}
				n = &node{name: name, parent: parent, ftype: want, perm: 0644, mtime: ts}
				if want == ifdir {
					n.perm = 0755
				}
				if want == ifreg {
					src := e.Contents
					if src == "" {
						if e.Optional {
							continue
						}
						where := "the spec has no tree to take it from"
						if root != "" {
							where = filepath.Join(root, filepath.FromSlash(e.Path)) + " does not exist"
						}
						return fmt.Errorf("%s: ./%s: type=file but %s", e.Pos(), e.Path, where)
					}
					if !filepath.IsAbs(src) {
						src = filepath.Join(root, filepath.FromSlash(src))
					}
					st, err := os.Stat(src)
					if err != nil || !st.Mode().IsRegular() {
						return fmt.Errorf("%s: ./%s: contents=%s: not a regular file (%v)", e.Pos(), e.Path, e.Contents, err)
					}
					n.src, n.size, n.sparse = src, st.Size(), true
				}
				parent.children = insertSorted(parent.children, n)
			}
		} else if n.ftype != want {
			return fmt.Errorf("%s: ./%s: type=%s but the tree has a %s", e.Pos(), e.Path, e.Type, typeNames[n.ftype])
		}
		n.fromSpec = true
		// A second name of a file hard-linked in the tree describes the
		// inode they share.
		if err := applyEntry(root, n.owner(), e); err != nil {
			return err
		}
	}
	for _, e := range hlinks {
		target, ok := byPath.get(e.Link)
		if !ok {
			return fmt.Errorf("%s: ./%s: hard link to %s, which is neither in the tree nor in the spec", e.Pos(), e.Path, e.Link)
		}
		for target.linkTo != nil {
			target = target.linkTo
		}
		if target.ftype == ifdir {
			return fmt.Errorf("%s: ./%s: hard link to directory %s", e.Pos(), e.Path, e.Link)
		}
		n, exists := byPath.get(e.Path)
		if !exists {
			parent, err := ensureParent(e, rootNode, byPath, ts)
			if err != nil {
				return err
			}
			if parent == nil {
				continue
			}
			name := path.Base(e.Path)
			if err := checkName(name, e.Path); err != nil {
				return fmt.Errorf("%s: %w", e.Pos(), err)
			}
			n = &node{name: name, parent: parent}
			parent.children = insertSorted(parent.children, n)
		} else if n.ftype == ifdir {
			return fmt.Errorf("%s: ./%s: type=hlink but the tree has a directory", e.Pos(), e.Path)
		}
		n.fromSpec = true
		if n != target {
			n.linkTo = target
		}
		if err := applyEntry(root, target, e); err != nil {
			return err
		}
	}
	return nil
}

func insertSorted(children []*node, n *node) []*node {
	i := sort.Search(len(children), func(i int) bool { return children[i].name >= n.name })
	children = append(children, nil)
	copy(children[i+1:], children[i:])
	children[i] = n
	return children
}

// ensureParent finds or creates the directory holding e. It returns nil
// (and no error) for an optional entry whose directory is absent.
func ensureParent(e *mtree.Entry, rootNode *node, byPath index, ts time.Time) (*node, error) {
	dir := path.Dir(e.Path)
	if p, ok := byPath.get(dir); ok {
		if p.ftype != ifdir {
			return nil, fmt.Errorf("%s: ./%s: ./%s is not a directory", e.Pos(), e.Path, dir)
		}
		return p, nil
	}
	if e.Optional {
		return nil, nil
	}
	// A directory the spec does not list: create it, as makefs does.
	parent, err := ensureParent(&mtree.Entry{Path: dir, File: e.File, Line: e.Line}, rootNode, byPath, ts)
	if err != nil {
		return nil, err
	}
	name := path.Base(dir)
	if err := checkName(name, dir); err != nil {
		return nil, fmt.Errorf("%s: %w", e.Pos(), err)
	}
	d := &node{name: name, parent: parent, ftype: ifdir, perm: 0755, mtime: ts}
	parent.children = insertSorted(parent.children, d)
	return d, nil
}

func applyEntry(root string, n *node, e *mtree.Entry) error {
	n.fromSpec = true
	if e.HasMode {
		n.perm = uint16(unixPerm(e.Mode))
	}
	if e.HasUid {
		n.uid = e.Uid
	}
	if e.HasGid {
		n.gid = e.Gid
	}
	if e.HasFlags {
		n.flags = e.Flags
	}
	if e.HasTime {
		n.mtime = e.Time
	}
	if e.Type == "link" {
		n.target = e.Link
	}
	if e.Contents != "" && n.ftype == ifreg && e.Type != "hlink" {
		src := e.Contents
		if !filepath.IsAbs(src) {
			src = filepath.Join(root, filepath.FromSlash(src))
		}
		st, err := os.Stat(src)
		if err != nil || !st.Mode().IsRegular() {
			return fmt.Errorf("%s: ./%s: contents=%s: not a regular file (%v)", e.Pos(), e.Path, e.Contents, err)
		}
		n.src, n.fromTree, n.size, n.sparse = src, false, st.Size(), true
	}
	return nil
}

// pruneUnlisted drops, below n, every entry the spec did not name.
func pruneUnlisted(n *node) {
	kept := n.children[:0]
	for _, c := range n.children {
		if c.fromSpec {
			kept = append(kept, c)
			if c.ftype == ifdir && c.linkTo == nil {
				pruneUnlisted(c)
			}
		}
	}
	n.children = kept
}

// number assigns inode numbers depth first in name order, counts links
// and directory depths. The order depends only on names, so any listing
// order of the host gives the same numbers.
func (t *tree) number() error {
	var walk func(n *node, depth uint32) error
	walk = func(n *node, depth uint32) error {
		if n.linkTo == nil {
			n.ino = uint32(len(t.inodes) + rootIno)
			t.inodes = append(t.inodes, n)
			n.depth = depth
		}
		owner := n
		for owner.linkTo != nil {
			owner = owner.linkTo
		}
		if owner.ino == 0 {
			// A hard link met before the node owning the inode: the
			// first name in depth-first order owns it instead.
			owner.linkTo, n.linkTo = n, nil
			n.ftype, n.perm, n.uid, n.gid, n.flags = owner.ftype, owner.perm, owner.uid, owner.gid, owner.flags
			n.mtime, n.src, n.size, n.target, n.rdev = owner.mtime, t.source(owner), owner.size, owner.target, owner.rdev
			n.fromTree, n.sparse = false, owner.sparse
			n.ino = uint32(len(t.inodes) + rootIno)
			t.inodes = append(t.inodes, n)
			owner = n
		}
		owner.nlink++
		if n.ftype == ifdir && n.linkTo == nil {
			n.nlink++ // its own "."
			if n.parent != nil {
				n.parent.nlink++ // its ".."
			}
			for _, c := range n.children {
				if err := walk(c, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(t.root, 0); err != nil {
		return err
	}
	for _, n := range t.inodes {
		if n.nlink > linkMax {
			return fmt.Errorf("ufs: %s: %d links, more than UFS's limit of %d", n.describe(), n.nlink, linkMax)
		}
	}
	return nil
}

// relPath is the node's path relative to the root ("." for the root).
func (n *node) relPath() string {
	if n.parent == nil {
		return "."
	}
	var parts []string
	for ; n.parent != nil; n = n.parent {
		parts = append(parts, n.name)
	}
	slices.Reverse(parts)
	return strings.Join(parts, "/")
}

// describe names a node for messages.
func (n *node) describe() string {
	if n.parent == nil {
		return "/"
	}
	return "/" + n.relPath()
}

// source is the file holding a regular file's bytes, "" for none.
func (t *tree) source(n *node) string {
	if n.fromTree {
		return filepath.Join(t.base, filepath.FromSlash(n.relPath()))
	}
	return n.src
}

// index finds nodes by path, by binary search in the sorted children of
// each directory on the way (no map of every path is kept).
type index struct{ root *node }

func (ix index) get(p string) (*node, bool) {
	n := ix.root
	if p == "." || p == "" {
		return n, true
	}
	for _, name := range strings.Split(p, "/") {
		if n.ftype != ifdir || n.linkTo != nil {
			return nil, false
		}
		i := sort.Search(len(n.children), func(i int) bool { return n.children[i].name >= name })
		if i == len(n.children) || n.children[i].name != name {
			return nil, false
		}
		n = n.children[i]
	}
	return n, true
}
