package derivation

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"slices"
	"strings"
)

// StoreDir is the directory that holds store paths, such as "/frx/store".
// Every store-path computation takes it as a parameter because it is part
// of each path's fingerprint.
type StoreDir string

// DefaultStoreDir is Fruix's store directory.
const DefaultStoreDir StoreDir = "/frx/store"

// HashPartLen is the length of the hash part of a store path's base name:
// 160 bits in nix-base32.
const HashPartLen = 32

// MaxNameLen is the longest name a store path may carry.
const MaxNameLen = 211

// ValidateName checks a store-path name: 1 to 211 characters from
// [A-Za-z0-9+-._?=], not starting with a dot.
func ValidateName(name string) error {
	if name == "" {
		return fmt.Errorf("invalid store path name: it is empty")
	}
	if len(name) > MaxNameLen {
		return fmt.Errorf("invalid store path name %q: %d characters, at most %d allowed", name, len(name), MaxNameLen)
	}
	if name[0] == '.' {
		return fmt.Errorf("invalid store path name %q: it must not start with a dot", name)
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !nameChars[c] {
			what := fmt.Sprintf("character %q", c)
			if c >= 0x80 {
				what = fmt.Sprintf("non-ASCII byte 0x%02x", c)
			}
			return fmt.Errorf("invalid store path name %q: %s at offset %d (allowed: ASCII letters, digits and + - . _ ? =)", name, what, i)
		}
	}
	return nil
}

// nameChars says which bytes a store path name may hold: every path of
// a graph is checked, a byte at a time.
var nameChars = func() (t [256]bool) {
	for c := range t {
		b := byte(c)
		t[c] = 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' ||
			strings.IndexByte("+-._?=", b) >= 0
	}
	return t
}()

// Validate checks that the store directory is an absolute, clean path.
func (d StoreDir) Validate() error {
	s := string(d)
	if s == "" || s[0] != '/' || path.Clean(s) != s || s == "/" {
		return fmt.Errorf("invalid store directory %q: want an absolute path without a trailing slash", s)
	}
	return nil
}

// ParsePath splits a store path "<storedir>/<hash>-<name>" into its hash
// part and name, checking both.
func (d StoreDir) ParsePath(p string) (hashPart, name string, err error) {
	prefix := string(d) + "/"
	if !strings.HasPrefix(p, prefix) {
		return "", "", fmt.Errorf("%q is not in the store %s", p, d)
	}
	base := p[len(prefix):]
	if strings.IndexByte(base, '/') >= 0 {
		return "", "", fmt.Errorf("%q is inside a store path, not a store path itself", p)
	}
	if len(base) < HashPartLen+2 || base[HashPartLen] != '-' {
		return "", "", fmt.Errorf("invalid store path %q: want %s/<32 nix-base32 characters>-<name>", p, d)
	}
	hashPart, name = base[:HashPartLen], base[HashPartLen+1:]
	if !IsBase32(hashPart) {
		return "", "", fmt.Errorf("invalid store path %q: hash part %q is not nix-base32", p, hashPart)
	}
	if err := ValidateName(name); err != nil {
		return "", "", fmt.Errorf("invalid store path %q: %v", p, err)
	}
	return hashPart, name, nil
}

// ValidatePath checks that p is a well-formed store path in d.
func (d StoreDir) ValidatePath(p string) error {
	_, _, err := d.ParsePath(p)
	return err
}

// IsStorePath reports whether p is a well-formed store path in d.
func (d StoreDir) IsStorePath(p string) bool { return d.ValidatePath(p) == nil }

// ToStorePath returns the store path that contains p (p itself or one of
// its parents), for paths such as "/frx/store/<hash>-foo/bin/foo".
func (d StoreDir) ToStorePath(p string) (string, error) {
	prefix := string(d) + "/"
	if !strings.HasPrefix(p, prefix) {
		return "", fmt.Errorf("%q is not in the store %s", p, d)
	}
	base := p[len(prefix):]
	if i := strings.IndexByte(base, '/'); i >= 0 {
		base = base[:i]
	}
	sp := prefix + base
	return sp, d.ValidatePath(sp)
}

// HashPart returns the 32-character hash part of a store path's base name,
// or "" if p is too short to hold one.
func HashPart(p string) string {
	base := path.Base(p)
	if len(base) < HashPartLen {
		return ""
	}
	return base[:HashPartLen]
}

// Name returns the name part of a store path ("hello-2.12" for
// "/frx/store/<hash>-hello-2.12").
func Name(p string) string {
	base := path.Base(p)
	if len(base) <= HashPartLen+1 {
		return ""
	}
	return base[HashPartLen+1:]
}

// Fingerprint is the string whose SHA-256, folded to 160 bits, is a store
// path's hash part: "<type>:sha256:<hex digest>:<storedir>:<name>".
func (d StoreDir) Fingerprint(typ string, digest [32]byte, name string) string {
	return string(d.appendFingerprint([]byte(typ), digest, name))
}

// appendFingerprint appends the rest of a fingerprint to b, which holds
// its type.
func (d StoreDir) appendFingerprint(b []byte, digest [32]byte, name string) []byte {
	b = append(b, ":sha256:"...)
	b = hex.AppendEncode(b, digest[:])
	b = append(b, ':')
	b = append(b, d...)
	b = append(b, ':')
	return append(b, name...)
}

// MakeStorePath computes a store path from a path type (such as "source",
// "text:<refs>" or "output:out"), a SHA-256 digest and a name.
func (d StoreDir) MakeStorePath(typ string, digest [32]byte, name string) (string, error) {
	return d.makeStorePath(typ, nil, false, digest, name)
}

// makeStorePath is MakeStorePath for the type "<typ>:<ref1>:<ref2>...[:self]",
// with the references sorted, computed without building the type apart.
func (d StoreDir) makeStorePath(typ string, refs []string, self bool, digest [32]byte, name string) (string, error) {
	if err := ValidateName(name); err != nil {
		return "", err
	}
	if !slices.IsSorted(refs) {
		refs = slices.Sorted(slices.Values(refs))
	}
	var buf [512]byte
	b := append(buf[:0], typ...)
	for _, r := range refs {
		b = append(b, ':')
		b = append(b, r...)
	}
	if self {
		b = append(b, ":self"...)
	}
	fp := sha256.Sum256(d.appendFingerprint(b, digest, name))
	var folded [20]byte
	for i, c := range fp {
		folded[i%20] ^= c
	}
	b = append(buf[:0], d...)
	b = append(b, '/')
	b = appendBase32(b, folded[:])
	b = append(b, '-')
	b = append(b, name...)
	return string(b), nil
}

// MakeTextPath computes the path of a text file added to the store with
// the given contents' SHA-256 and references (the way .drv files and
// builder scripts are stored).
func (d StoreDir) MakeTextPath(name string, contentHash [32]byte, refs []string) (string, error) {
	return d.makeStorePath("text", refs, false, contentHash, name)
}

// MakeSourcePath computes the path of a file tree added recursively, given
// the SHA-256 of its NAR serialization and its references.
func (d StoreDir) MakeSourcePath(name string, narHash [32]byte, refs []string, selfRef bool) (string, error) {
	return d.makeStorePath("source", refs, selfRef, narHash, name)
}

// Method is how a content-addressed path's hash covers its contents.
type Method int

const (
	// Flat hashes the bytes of a single regular file.
	Flat Method = iota
	// Recursive hashes the NAR serialization of a file tree.
	Recursive
	// Text hashes a text file that may refer to other store paths; its
	// algorithm must be sha256.
	Text
)

func (m Method) String() string {
	switch m {
	case Flat:
		return "flat"
	case Recursive:
		return "recursive"
	case Text:
		return "text"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// prefix is the method's prefix in a derivation's outputHashAlgo field.
func (m Method) prefix() string {
	switch m {
	case Recursive:
		return "r:"
	case Text:
		return "text:"
	}
	return ""
}

// MakeFixedOutputPath computes the path of a fixed-output (content
// addressed) store object, exactly as Nix does: recursive SHA-256 content
// is a "source" path, text content a "text" path, and everything else is
// the "output:out" path of the digest of "fixed:out:<method><algo>:<hex>:".
// Only recursive and text content may have references.
func (d StoreDir) MakeFixedOutputPath(name string, method Method, h Hash, refs []string, selfRef bool) (string, error) {
	switch {
	case method == Text:
		if h.Algo != SHA256 {
			return "", fmt.Errorf("text-hashed path %q: want a sha256 hash, got %s", name, h.Algo)
		}
		if selfRef {
			return "", fmt.Errorf("text-hashed path %q cannot refer to itself", name)
		}
		return d.MakeTextPath(name, [32]byte(h.Digest), refs)
	case method == Recursive && h.Algo == SHA256:
		return d.MakeSourcePath(name, [32]byte(h.Digest), refs, selfRef)
	}
	if len(refs) > 0 || selfRef {
		return "", fmt.Errorf("fixed-output path %q: only recursive sha256 content may have references", name)
	}
	inner := sha256.Sum256([]byte("fixed:out:" + method.prefix() + string(h.Algo) + ":" + h.Hex() + ":"))
	return d.MakeStorePath("output:out", inner, name)
}

// OutputPathName is the name of a derivation's output path: the
// derivation's name for "out", "<name>-<output>" otherwise.
func OutputPathName(drvName, output string) string {
	if output == "out" {
		return drvName
	}
	return drvName + "-" + output
}

// MakeOutputPath computes the path of an input-addressed output from the
// derivation's hashDerivationModulo digest.
func (d StoreDir) MakeOutputPath(output string, drvHash [32]byte, drvName string) (string, error) {
	return d.MakeStorePath("output:"+output, drvHash, OutputPathName(drvName, output))
}
