package derivation

import "fmt"

// Base32Alphabet is the nix-base32 alphabet: digits and lower-case letters
// without e, o, u and t, so that encoded hashes cannot spell words.
const Base32Alphabet = "0123456789abcdfghijklmnpqrsvwxyz"

var base32Index = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(Base32Alphabet); i++ {
		t[Base32Alphabet[i]] = int8(i)
	}
	return t
}()

// Base32EncodedLen returns the length of the nix-base32 encoding of n bytes.
func Base32EncodedLen(n int) int {
	if n == 0 {
		return 0
	}
	return (n*8-1)/5 + 1
}

// Base32DecodedLen returns the number of bytes encoded by n nix-base32
// characters.
func Base32DecodedLen(n int) int { return n * 5 / 8 }

// Base32Encode encodes b in nix-base32. Unlike RFC 4648, nix-base32 reads
// the bytes from the end, so the first character holds the last bits.
func Base32Encode(b []byte) string {
	return string(appendBase32(nil, b))
}

// appendBase32 appends the nix-base32 encoding of b to dst.
func appendBase32(dst, b []byte) []byte {
	n := Base32EncodedLen(len(b))
	dst = append(dst, make([]byte, n)...)
	out := dst[len(dst)-n:]
	for i := n - 1; i >= 0; i-- {
		bit := i * 5
		j, k := bit/8, uint(bit%8)
		c := b[j] >> k
		if j+1 < len(b) {
			c |= b[j+1] << (8 - k)
		}
		out[n-1-i] = Base32Alphabet[c&0x1f]
	}
	return dst
}

// Base32Decode decodes a nix-base32 string. It fails on characters outside
// the alphabet and on encodings whose unused high bits are not zero.
func Base32Decode(s string) ([]byte, error) {
	out := make([]byte, Base32DecodedLen(len(s)))
	for n := 0; n < len(s); n++ {
		c := s[len(s)-n-1]
		d := base32Index[c]
		if d < 0 {
			return nil, fmt.Errorf("invalid nix-base32 character %q at offset %d", c, len(s)-n-1)
		}
		bit := n * 5
		j, k := bit/8, uint(bit%8)
		out[j] |= byte(d) << k
		carry := byte(d) >> (8 - k)
		if j+1 < len(out) {
			out[j+1] |= carry
		} else if carry != 0 {
			return nil, fmt.Errorf("invalid nix-base32 string %q: non-zero padding bits", s)
		}
	}
	return out, nil
}

// IsBase32 reports whether every byte of s is in the nix-base32 alphabet.
func IsBase32(s string) bool {
	for i := 0; i < len(s); i++ {
		if base32Index[s[i]] < 0 {
			return false
		}
	}
	return true
}
