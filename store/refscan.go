package store

import (
	"sort"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/derivation/nar"
)

// RefScanner finds, in one pass over a byte stream, which of a set of
// candidate store paths the stream mentions: it looks for their 32-
// character hash parts. It is an io.Writer; feed it a NAR (as
// ScanReferences does) so that file names and link targets count too.
type RefScanner struct {
	want   map[string]string    // hash part -> store path
	prefix [1 << 15 / 64]uint64 // bit set of the first three characters of the wanted hashes
	found  map[string]bool
	tail   []byte // the last bytes of the previous write, for hashes split across writes
}

// NewRefScanner returns a scanner for the hash parts of candidates.
func NewRefScanner(candidates []string) *RefScanner {
	s := &RefScanner{want: make(map[string]string, len(candidates)), found: map[string]bool{}}
	for _, c := range candidates {
		if h := derivation.HashPart(c); len(h) == derivation.HashPartLen && derivation.IsBase32(h) {
			s.want[h] = c
			k := prefixKey([]byte(h))
			s.prefix[k/64] |= 1 << (k % 64)
		}
	}
	return s
}

// prefixKey packs the first three nix-base32 characters of b into 15 bits.
func prefixKey(b []byte) uint {
	return uint(base32Value[b[0]])<<10 | uint(base32Value[b[1]])<<5 | uint(base32Value[b[2]])
}

var base32Value = func() (t [256]byte) {
	for i := 0; i < len(derivation.Base32Alphabet); i++ {
		t[derivation.Base32Alphabet[i]] = byte(i)
	}
	return t
}()

const hashLen = derivation.HashPartLen

var isBase32 = func() (t [256]bool) {
	for i := 0; i < len(derivation.Base32Alphabet); i++ {
		t[derivation.Base32Alphabet[i]] = true
	}
	return t
}()

// scan looks at every 32-byte window of b. When a window holds a byte
// outside the alphabet, no window containing that byte can match, so the
// search jumps past it; bytes already known to be in the alphabet are not
// checked again, so each byte is classified about once. A window of
// alphabet characters is looked up only if its first three characters
// start a wanted hash.
func (s *RefScanner) scan(b []byte) {
	checked := 0 // b[i:checked] is known to be all alphabet characters
	for i := 0; i+hashLen <= len(b); {
		j := i + hashLen - 1
		for j >= checked && j >= i && isBase32[b[j]] {
			j--
		}
		if j >= i && j >= checked {
			i = j + 1
			checked = i
			continue
		}
		checked = i + hashLen
		if k := prefixKey(b[i:]); s.prefix[k/64]&(1<<(k%64)) != 0 {
			if p, ok := s.want[string(b[i:i+hashLen])]; ok {
				s.found[p] = true
			}
		}
		i++
	}
}

// Write scans p; it never fails.
func (s *RefScanner) Write(p []byte) (int, error) {
	if len(s.want) == 0 {
		return len(p), nil
	}
	if len(s.tail) > 0 {
		// Windows that start in the previous write and end in this one.
		edge := append(s.tail, p[:min(len(p), hashLen-1)]...)
		s.scan(edge)
		s.tail = edge[:len(s.tail)]
	}
	s.scan(p)
	if len(p) >= hashLen-1 {
		s.tail = append(s.tail[:0], p[len(p)-(hashLen-1):]...)
	} else {
		s.tail = append(s.tail, p...)
		if len(s.tail) > hashLen-1 {
			s.tail = append(s.tail[:0], s.tail[len(s.tail)-(hashLen-1):]...)
		}
	}
	return len(p), nil
}

// Found returns the candidates seen so far, sorted.
func (s *RefScanner) Found() []string {
	out := make([]string, 0, len(s.found))
	for p := range s.found {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// ScanReferences returns which of candidates the file tree at path refers
// to, scanning its NAR serialization in one streaming pass.
func ScanReferences(path string, candidates []string) ([]string, error) {
	sc := NewRefScanner(candidates)
	if _, err := nar.DumpPipelined(sc, path); err != nil {
		return nil, err
	}
	return sc.Found(), nil
}

// HashAndScan reads the tree at path once and returns the SHA-256 of its
// NAR, the NAR's size and which of candidates it refers to: what a build's
// output needs before it is registered.
func HashAndScan(path string, candidates []string) (derivation.Hash, uint64, []string, error) {
	h := derivation.SHA256.New()
	sc := NewRefScanner(candidates)
	size, err := nar.DumpPipelined(multiWriter{h, sc}, path)
	if err != nil {
		return derivation.Hash{}, 0, nil, err
	}
	return derivation.Hash{Algo: derivation.SHA256, Digest: h.Sum(nil)}, uint64(size), sc.Found(), nil
}

// NarHash returns the SHA-256 of the NAR serialization of path and the
// NAR's size.
func NarHash(path string) (derivation.Hash, uint64, error) {
	sum, size, err := nar.Hash(path)
	if err != nil {
		return derivation.Hash{}, 0, err
	}
	return derivation.Hash{Algo: derivation.SHA256, Digest: sum[:]}, uint64(size), nil
}

type multiWriter [2]interface{ Write([]byte) (int, error) }

func (m multiWriter) Write(p []byte) (int, error) {
	for _, w := range m {
		if _, err := w.Write(p); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}
