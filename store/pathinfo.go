package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"fruix.dev/fruix/derivation"
)

// PathInfo is what the index records about a valid store path.
type PathInfo struct {
	Path             string
	NarHash          derivation.Hash // SHA-256 of the path's NAR serialization
	NarSize          uint64
	References       []string  // store paths it refers to (itself included, if it does), sorted
	Deriver          string    // the .drv path that built it, or ""
	RegistrationTime time.Time // set by Register
	CA               string    // content address ("fixed:r:sha256:<base32>", "text:sha256:<base32>") or ""
}

// ErrNotValid is wrapped by errors about paths that are not valid.
var ErrNotValid = errors.New("not a valid store path")

// pathInfoVersion is the first byte of every encoded PathInfo.
const pathInfoVersion = 1

// encodePathInfo encodes everything but the path (the key holds it).
// Store paths are kept as base names, without the store directory.
func encodePathInfo(info *PathInfo) []byte {
	b := make([]byte, 0, 96+len(info.References)*48)
	b = append(b, pathInfoVersion)
	b = appendString(b, string(info.NarHash.Algo))
	b = appendString(b, string(info.NarHash.Digest))
	b = binary.AppendUvarint(b, info.NarSize)
	b = binary.AppendVarint(b, info.RegistrationTime.Unix())
	b = appendString(b, baseName(info.Deriver))
	b = appendString(b, info.CA)
	b = binary.AppendUvarint(b, uint64(len(info.References)))
	for _, r := range info.References {
		b = appendString(b, baseName(r))
	}
	return b
}

func decodePathInfo(dir derivation.StoreDir, path string, b []byte) (*PathInfo, error) {
	d := decoder{b: b}
	if v := d.byte(); v != pathInfoVersion {
		return nil, fmt.Errorf("index entry of %s: unknown version %d", path, v)
	}
	info := &PathInfo{Path: path}
	info.NarHash.Algo = derivation.HashAlgo(d.string())
	info.NarHash.Digest = []byte(d.string())
	info.NarSize = d.uvarint()
	info.RegistrationTime = time.Unix(d.varint(), 0)
	info.Deriver = fullPath(dir, d.string())
	info.CA = d.string()
	n := d.uvarint()
	if d.err == nil && n > uint64(len(b)) {
		d.err = errCorrupt
	}
	if d.err == nil {
		info.References = make([]string, 0, n)
		for i := uint64(0); i < n && d.err == nil; i++ {
			info.References = append(info.References, fullPath(dir, d.string()))
		}
	}
	if d.err != nil {
		return nil, fmt.Errorf("index entry of %s: %w", path, d.err)
	}
	return info, nil
}

// references decodes only the references of an encoded PathInfo, as base
// names; closure walks need nothing else.
func decodeReferences(b []byte) ([]string, error) {
	d := decoder{b: b}
	d.byte()
	d.string()
	d.string()
	d.uvarint()
	d.varint()
	d.string()
	d.string()
	n := d.uvarint()
	if d.err == nil && n > uint64(len(b)) {
		d.err = errCorrupt
	}
	var refs []string
	for i := uint64(0); i < n && d.err == nil; i++ {
		refs = append(refs, d.string())
	}
	return refs, d.err
}

// eachReference calls fn with the base name of each reference in an
// encoded PathInfo, without allocating; fn must not keep the slice.
func eachReference(b []byte, fn func(ref []byte)) error {
	d := decoder{b: b}
	d.byte()
	d.skip()
	d.skip()
	d.uvarint()
	d.varint()
	d.skip()
	d.skip()
	n := d.uvarint()
	for i := uint64(0); i < n && d.err == nil; i++ {
		l := d.uvarint()
		if d.err == nil && l > uint64(len(d.b)) {
			d.err = errCorrupt
		}
		if d.err != nil {
			break
		}
		fn(d.b[:l])
		d.b = d.b[l:]
	}
	return d.err
}

var errCorrupt = errors.New("corrupt index entry")

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) byte() byte {
	if d.err != nil || len(d.b) == 0 {
		d.err = errCorrupt
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) skip() {
	n := d.uvarint()
	if d.err == nil && n > uint64(len(d.b)) {
		d.err = errCorrupt
	}
	if d.err == nil {
		d.b = d.b[n:]
	}
}

func (d *decoder) string() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.b)) {
		d.err = errCorrupt
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}
