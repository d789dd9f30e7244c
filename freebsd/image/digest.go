package image

import (
	"crypto/sha256"
	"encoding/binary"
	"io"
	"math/bits"
	"sync"
)

// digestWriter passes writes through to w and keeps a digest of them:
// the sum, modulo 2^256, of SHA-256(offset, bytes) over every write. The
// sum does not depend on the order of the writes, so a writer that
// spreads its work over goroutines still gives a stable digest, and it
// costs one pass of SHA-256 over what is written instead of reading the
// partition back.
type digestWriter struct {
	w   io.WriterAt
	mu  sync.Mutex
	sum [4]uint64
}

func (d *digestWriter) WriteAt(p []byte, off int64) (int, error) {
	h := sha256.New()
	var at [8]byte
	binary.BigEndian.PutUint64(at[:], uint64(off))
	h.Write(at[:])
	h.Write(p)
	var s [sha256.Size]byte
	h.Sum(s[:0])
	d.mu.Lock()
	var carry uint64
	for i := 3; i >= 0; i-- {
		lane := binary.BigEndian.Uint64(s[8*i:])
		d.sum[i], carry = bits.Add64(d.sum[i], lane, carry)
	}
	d.mu.Unlock()
	return d.w.WriteAt(p, off)
}

// Digest returns the digest of everything written so far.
func (d *digestWriter) Digest() []byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]byte, 32)
	for i, lane := range d.sum {
		binary.BigEndian.PutUint64(out[8*i:], lane)
	}
	return out
}
