package derivation

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"strings"
)

// HashAlgo names a hash function Fruix (like Nix) accepts for content
// addressing: "md5", "sha1", "sha256" or "sha512".
type HashAlgo string

// The hash algorithms of fixed-output derivations.
const (
	MD5    HashAlgo = "md5"
	SHA1   HashAlgo = "sha1"
	SHA256 HashAlgo = "sha256"
	SHA512 HashAlgo = "sha512"
)

// ParseHashAlgo checks that name is a supported algorithm.
func ParseHashAlgo(name string) (HashAlgo, error) {
	switch a := HashAlgo(name); a {
	case MD5, SHA1, SHA256, SHA512:
		return a, nil
	}
	return "", fmt.Errorf("unknown hash algorithm %q (want md5, sha1, sha256 or sha512)", name)
}

// Size is the digest length in bytes.
func (a HashAlgo) Size() int {
	switch a {
	case MD5:
		return md5.Size
	case SHA1:
		return sha1.Size
	case SHA256:
		return sha256.Size
	case SHA512:
		return sha512.Size
	}
	panic("derivation: unknown hash algorithm " + string(a))
}

// New returns a fresh hash.Hash for the algorithm.
func (a HashAlgo) New() hash.Hash {
	switch a {
	case MD5:
		return md5.New()
	case SHA1:
		return sha1.New()
	case SHA256:
		return sha256.New()
	case SHA512:
		return sha512.New()
	}
	panic("derivation: unknown hash algorithm " + string(a))
}

// Hash is a digest together with the algorithm that produced it.
type Hash struct {
	Algo   HashAlgo
	Digest []byte
}

// HashBytes hashes b with algo.
func HashBytes(algo HashAlgo, b []byte) Hash {
	h := algo.New()
	h.Write(b)
	return Hash{Algo: algo, Digest: h.Sum(nil)}
}

// HashFile hashes the bytes of the file at path with algo, reading it a
// piece at a time: a file to add (a source tarball, say) may be far
// larger than what is worth holding in memory.
func HashFile(algo HashAlgo, path string) (Hash, error) {
	f, err := os.Open(path)
	if err != nil {
		return Hash{}, err
	}
	defer f.Close()
	h := algo.New()
	if _, err := io.CopyBuffer(h, f, make([]byte, 1<<20)); err != nil {
		return Hash{}, err
	}
	return Hash{Algo: algo, Digest: h.Sum(nil)}, nil
}

// Hex is the digest in lower-case base 16.
func (h Hash) Hex() string { return hex.EncodeToString(h.Digest) }

// Base32 is the digest in nix-base32.
func (h Hash) Base32() string { return Base32Encode(h.Digest) }

// SRI is the digest as a Subresource Integrity string, "sha256-<base64>".
func (h Hash) SRI() string {
	return string(h.Algo) + "-" + base64.StdEncoding.EncodeToString(h.Digest)
}

// String is "<algo>:<nix-base32>", the form Nix prints for NAR hashes.
func (h Hash) String() string { return string(h.Algo) + ":" + h.Base32() }

// IsZero reports whether h holds no digest.
func (h Hash) IsZero() bool { return len(h.Digest) == 0 }

// Equal reports whether two hashes have the same algorithm and digest.
func (h Hash) Equal(o Hash) bool {
	return h.Algo == o.Algo && string(h.Digest) == string(o.Digest)
}

// ParseHash reads a hash in any of the forms Nix accepts: SRI
// ("sha256-<base64>"), "<algo>:<digest>" with the digest in base 16,
// nix-base32 or base 64, or a bare digest when algo is given. The encoding
// of a digest is recognised by its length. Pass algo "" when the string
// must name its algorithm itself.
func ParseHash(s string, algo HashAlgo) (Hash, error) {
	rest := s
	sri := false
	if i := strings.IndexByte(s, ':'); i >= 0 {
		a, err := ParseHashAlgo(s[:i])
		if err != nil {
			return Hash{}, fmt.Errorf("hash %q: %v", s, err)
		}
		if algo != "" && a != algo {
			return Hash{}, fmt.Errorf("hash %q: want a %s hash, got %s", s, algo, a)
		}
		algo, rest = a, s[i+1:]
	} else if i := strings.IndexByte(s, '-'); i >= 0 {
		if a, err := ParseHashAlgo(s[:i]); err == nil {
			if algo != "" && a != algo {
				return Hash{}, fmt.Errorf("hash %q: want a %s hash, got %s", s, algo, a)
			}
			algo, rest, sri = a, s[i+1:], true
		}
	}
	if algo == "" {
		return Hash{}, fmt.Errorf("hash %q: no algorithm given (write it as sha256:<digest> or sha256-<base64>)", s)
	}
	size := algo.Size()
	var digest []byte
	var err error
	switch {
	case sri:
		digest, err = base64.StdEncoding.DecodeString(rest)
		if err == nil && len(digest) != size {
			err = fmt.Errorf("decodes to %d bytes, want %d", len(digest), size)
		}
	case len(rest) == 2*size:
		digest, err = hex.DecodeString(rest)
	case len(rest) == Base32EncodedLen(size):
		digest, err = Base32Decode(rest)
	case len(rest) == base64.StdEncoding.EncodedLen(size):
		digest, err = base64.StdEncoding.DecodeString(rest)
	default:
		err = fmt.Errorf("length %d fits no encoding of a %s digest (want %d base-16, %d nix-base32 or %d base-64 characters)",
			len(rest), algo, 2*size, Base32EncodedLen(size), base64.StdEncoding.EncodedLen(size))
	}
	if err != nil {
		return Hash{}, fmt.Errorf("hash %q: %v", s, err)
	}
	return Hash{Algo: algo, Digest: digest}, nil
}

// CompressHash folds a digest to size bytes by XOR, byte i going into
// position i mod size. Store paths use the 160-bit (20-byte) fold of a
// SHA-256 digest.
func CompressHash(digest []byte, size int) []byte {
	out := make([]byte, size)
	for i, b := range digest {
		out[i%size] ^= b
	}
	return out
}

// Digest32 returns a SHA-256 digest as an array, as store-path functions
// take it. It panics if h is not a SHA-256 hash.
func (h Hash) Digest32() [32]byte {
	if h.Algo != SHA256 || len(h.Digest) != 32 {
		panic("derivation: Digest32 of a " + string(h.Algo) + " hash")
	}
	return [32]byte(h.Digest)
}
