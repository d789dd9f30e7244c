package store

import (
	"sort"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/store/nar"
)

// RefScanner finds, in one pass over a byte stream, which of a set of
// candidate store paths the stream mentions: it looks for their 32-
// character hash parts. It is an io.Writer; feed it a NAR (as
// ScanReferences does) so that file names and link targets count too.
type RefScanner struct {
	want  map[string]string // hash part -> store path
	found map[string]bool
	tail  []byte // the last bytes of the previous write, for hashes split across writes
}

// NewRefScanner returns a scanner for the hash parts of candidates.
func NewRefScanner(candidates []string) *RefScanner {
	s := &RefScanner{want: make(map[string]string, len(candidates)), found: map[string]bool{}}
	for _, c := range candidates {
		if h := derivation.HashPart(c); len(h) == derivation.HashPartLen {
			s.want[h] = c
		}
	}
	return s
}

const hashLen = derivation.HashPartLen

func isBase32Byte(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' && c != 'e' && c != 'o' && c != 'u' && c != 't'
}

// scan looks at every 32-byte window of b. When a window holds a byte
// outside the alphabet, no window containing that byte can match, so the
// search jumps past it: most bytes of a binary are looked at only once.
func (s *RefScanner) scan(b []byte) {
	for i := 0; i+hashLen <= len(b); {
		j := hashLen - 1
		for j >= 0 && isBase32Byte(b[i+j]) {
			j--
		}
		if j >= 0 {
			i += j + 1
			continue
		}
		if p, ok := s.want[string(b[i:i+hashLen])]; ok {
			s.found[p] = true
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
