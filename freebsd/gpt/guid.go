package gpt

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// GUID is a globally unique identifier, held in the byte order of its
// canonical text form (RFC 9562). On disk, GPT stores the first three
// fields little-endian; see putGUID and getGUID.
type GUID [16]byte

// String formats g as GPT tools show it: 8-4-4-4-12 upper-case hex.
func (g GUID) String() string {
	h := strings.ToUpper(hex.EncodeToString(g[:]))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// IsZero says whether g is the all-zero GUID, which marks an unused entry.
func (g GUID) IsZero() bool { return g == GUID{} }

// ParseGUID reads the canonical 8-4-4-4-12 form, in either case.
func ParseGUID(s string) (GUID, error) {
	var g GUID
	parts := strings.Split(s, "-")
	if len(parts) != 5 || len(parts[0]) != 8 || len(parts[1]) != 4 || len(parts[2]) != 4 || len(parts[3]) != 4 || len(parts[4]) != 12 {
		return g, fmt.Errorf("gpt: %q is not a GUID (want XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX)", s)
	}
	b, err := hex.DecodeString(strings.Join(parts, ""))
	if err != nil {
		return g, fmt.Errorf("gpt: %q is not a GUID: %v", s, err)
	}
	copy(g[:], b)
	return g, nil
}

func mustGUID(s string) GUID {
	g, err := ParseGUID(s)
	if err != nil {
		panic(err)
	}
	return g
}

// DeriveGUID makes a stable GUID from seed: the first 16 bytes of its
// SHA-256 with the version set to 8 (RFC 9562's custom, vendor-defined
// layout) and the RFC variant bits, so that an image built twice from the
// same content carries the same disk and partition identifiers.
func DeriveGUID(seed ...[]byte) GUID {
	h := sha256.New()
	h.Write([]byte("fruix-gpt-guid"))
	for _, s := range seed {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write(s)
	}
	var g GUID
	copy(g[:], h.Sum(nil))
	g[6] = g[6]&0x0F | 0x80 // version 8
	g[8] = g[8]&0x3F | 0x80 // variant 10
	return g
}

// putGUID writes g in GPT's on-disk order.
func putGUID(b []byte, g GUID) {
	b[0], b[1], b[2], b[3] = g[3], g[2], g[1], g[0]
	b[4], b[5] = g[5], g[4]
	b[6], b[7] = g[7], g[6]
	copy(b[8:16], g[8:16])
}

// getGUID reads a GUID stored in GPT's on-disk order.
func getGUID(b []byte) GUID {
	var g GUID
	g[0], g[1], g[2], g[3] = b[3], b[2], b[1], b[0]
	g[4], g[5] = b[5], b[4]
	g[6], g[7] = b[7], b[6]
	copy(g[8:16], b[8:16])
	return g
}
