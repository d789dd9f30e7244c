package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/derivation/nar"
	"github.com/cavaliergopher/cpio"
)

// A closure archive is a cpio archive (SVR4 "newc") holding, in name
// order, the entry "MANIFEST" — JSON describing every path — then one
// entry "nar/<hash>-<name>.nar" per path with its NAR serialization.
// Times, owners and inode numbers are fixed, so exporting the same
// closure twice gives the same bytes.
const (
	manifestEntry   = "MANIFEST"
	narEntryPrefix  = "nar/"
	archiveVersion  = 1
	maxManifestSize = 256 << 20
)

// Manifest is the first entry of a closure archive.
type Manifest struct {
	Version  int             `json:"version"`
	StoreDir string          `json:"storeDir"`
	Paths    []ManifestEntry `json:"paths"` // every path after its references
}

// ManifestEntry describes one path of a closure archive.
type ManifestEntry struct {
	Path       string   `json:"path"`
	NarHash    string   `json:"narHash"` // "sha256:<nix-base32>"
	NarSize    uint64   `json:"narSize"`
	References []string `json:"references"`
	Deriver    string   `json:"deriver,omitempty"`
	CA         string   `json:"ca,omitempty"`
}

// Export writes the closure of paths to w as a closure archive.
func (s *Store) Export(w io.Writer, paths ...string) error {
	closure, err := s.Requisites(paths...)
	if err != nil {
		return err
	}
	order, err := s.TopoSortPaths(closure)
	if err != nil {
		return err
	}
	m := Manifest{Version: archiveVersion, StoreDir: string(s.dir), Paths: make([]ManifestEntry, 0, len(order))}
	infos := map[string]*PathInfo{}
	for _, p := range order {
		info, err := s.QueryPathInfo(p)
		if err != nil {
			return err
		}
		if info.NarSize >= 1<<32 {
			return fmt.Errorf("cannot export %s: its NAR is %d bytes, and a cpio entry holds less than 4 GiB", p, info.NarSize)
		}
		infos[p] = info
		m.Paths = append(m.Paths, ManifestEntry{
			Path: p, NarHash: info.NarHash.String(), NarSize: info.NarSize,
			References: nonNil(info.References), Deriver: info.Deriver, CA: info.CA,
		})
	}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	manifest = append(manifest, '\n')

	cw := cpio.NewWriter(w)
	inode := int64(0)
	header := func(name string, size int64) error {
		inode++
		return cw.WriteHeader(&cpio.Header{Name: name, Mode: cpio.TypeReg | 0o444, Size: size, Inode: inode, Links: 1})
	}
	if err := header(manifestEntry, int64(len(manifest))); err != nil {
		return err
	}
	if _, err := cw.Write(manifest); err != nil {
		return err
	}
	for _, p := range closure { // sorted by name, as the entries are
		info := infos[p]
		if err := header(narEntryPrefix+baseName(p)+".nar", int64(info.NarSize)); err != nil {
			return err
		}
		h := sha256.New()
		n, err := nar.Dump(io.MultiWriter(cw, h), p)
		if err != nil {
			return fmt.Errorf("cannot export %s: %w", p, err)
		}
		if uint64(n) != info.NarSize || !bytes.Equal(h.Sum(nil), info.NarHash.Digest) {
			return fmt.Errorf("cannot export %s: its contents no longer match its recorded NAR hash (run `fruix store verify --check-contents`)", p)
		}
	}
	return cw.Close()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Import reads a closure archive and makes its paths valid. Every NAR is
// unpacked under a temporary name and its hash checked before anything is
// registered; then all new paths are moved into place and registered in
// one transaction. A bad archive registers nothing. Paths already valid
// are left as they are. It returns the paths of the archive.
func (s *Store) Import(r io.Reader) ([]string, error) {
	s.gcLock.RLock()
	defer s.gcLock.RUnlock()

	cr := cpio.NewReader(r)
	hdr, err := cr.Next()
	if err != nil {
		return nil, fmt.Errorf("not a closure archive: %w", err)
	}
	if hdr.Name != manifestEntry || hdr.Size > maxManifestSize {
		return nil, fmt.Errorf("not a closure archive: first entry is %q, want %q", hdr.Name, manifestEntry)
	}
	var m Manifest
	dec := json.NewDecoder(io.LimitReader(cr, hdr.Size))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("closure archive: bad manifest: %w", err)
	}
	if m.Version != archiveVersion {
		return nil, fmt.Errorf("closure archive: manifest version %d, this Fruix reads version %d", m.Version, archiveVersion)
	}
	if m.StoreDir != string(s.dir) {
		return nil, fmt.Errorf("closure archive is for the store %s, not %s", m.StoreDir, s.dir)
	}
	entries := map[string]*ManifestEntry{}
	infos := make([]PathInfo, 0, len(m.Paths))
	for i := range m.Paths {
		e := &m.Paths[i]
		if err := s.checkPath(e.Path); err != nil {
			return nil, fmt.Errorf("closure archive: %w", err)
		}
		if entries[e.Path] != nil {
			return nil, fmt.Errorf("closure archive: %s listed twice", e.Path)
		}
		h, err := derivation.ParseHash(e.NarHash, derivation.SHA256)
		if err != nil {
			return nil, fmt.Errorf("closure archive: %s: %w", e.Path, err)
		}
		for _, ref := range e.References {
			if err := s.checkPath(ref); err != nil {
				return nil, fmt.Errorf("closure archive: %s: reference: %w", e.Path, err)
			}
		}
		entries[e.Path] = e
		infos = append(infos, PathInfo{Path: e.Path, NarHash: h, NarSize: e.NarSize, References: e.References, Deriver: e.Deriver, CA: e.CA})
	}

	// Unpack and check every NAR under a temporary name.
	temps := map[string]string{} // store path -> temporary name
	defer func() {
		for _, tmp := range temps {
			removeTree(tmp)
		}
	}()
	for {
		hdr, err := cr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("closure archive: %w", err)
		}
		base, ok := strings.CutPrefix(hdr.Name, narEntryPrefix)
		base, ok2 := strings.CutSuffix(base, ".nar")
		p := fullPath(s.dir, base)
		e := entries[p]
		if !ok || !ok2 || e == nil {
			return nil, fmt.Errorf("closure archive: unexpected entry %q", hdr.Name)
		}
		if _, dup := temps[p]; dup {
			return nil, fmt.Errorf("closure archive: %s appears twice", hdr.Name)
		}
		tmp, err := s.tempName()
		if err != nil {
			return nil, err
		}
		temps[p] = tmp
		h := sha256.New()
		counted := &countingReader{r: io.TeeReader(io.LimitReader(cr, hdr.Size), h)}
		if err := nar.Restore(counted, tmp); err != nil {
			return nil, fmt.Errorf("closure archive: %s: %w", p, err)
		}
		got := derivation.Hash{Algo: derivation.SHA256, Digest: h.Sum(nil)}
		if got.String() != e.NarHash || counted.n != int64(e.NarSize) {
			return nil, fmt.Errorf("closure archive: %s: NAR hash %s (%d bytes) does not match the manifest's %s (%d bytes)", p, got, counted.n, e.NarHash, e.NarSize)
		}
		if err := s.Canonicalize(tmp); err != nil {
			return nil, err
		}
	}
	for p := range entries {
		if _, ok := temps[p]; !ok {
			return nil, fmt.Errorf("closure archive: no contents for %s", p)
		}
	}
	for _, e := range m.Paths {
		for _, ref := range e.References {
			if entries[ref] != nil {
				continue
			}
			if ok, err := s.IsValid(ref); err != nil || !ok {
				return nil, fmt.Errorf("closure archive: %s refers to %s, which is neither in the archive nor valid", e.Path, ref)
			}
		}
	}

	// Everything checks out: move the new paths into place and register
	// them together.
	var fresh []PathInfo
	var moved []string
	for _, info := range infos {
		if err := s.tempRoots.add(info.Path); err != nil {
			return nil, err
		}
		if ok, err := s.IsValid(info.Path); err != nil {
			return nil, err
		} else if ok {
			continue
		}
		if _, err := os.Lstat(info.Path); err == nil {
			if err := removeTree(info.Path); err != nil {
				return nil, fmt.Errorf("cannot replace the invalid %s: %w", info.Path, err)
			}
		}
		if err := os.Rename(temps[info.Path], info.Path); err != nil {
			for _, p := range moved {
				removeTree(p)
			}
			return nil, err
		}
		delete(temps, info.Path)
		moved = append(moved, info.Path)
		fresh = append(fresh, info)
	}
	if err := s.Register(fresh...); err != nil {
		for _, p := range moved {
			removeTree(p)
		}
		return nil, err
	}
	out := make([]string, 0, len(infos))
	for _, info := range infos {
		out = append(out, info.Path)
	}
	return out, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
