package derivation

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"testing"
)

// The same digests in base 16, nix-base32 and base 64, from Nix's
// tests/functional/lang/eval-okay-convertHash.exp (NixOS/nix commit
// 88b09c64fbea076a0376830d98e5331f70ed31a3): hashes of "", "text 1" and
// "text 2" for md5, sha1, sha256 and sha512.
var nixHashVectors = []struct {
	algo                   HashAlgo
	base16, nix32, base64_ string
}{
	{MD5, "d41d8cd98f00b204e9800998ecf8427e", "3y8bwfr609h3lh9ch0izcqq7fl", "1B2M2Y8AsgTpgAmY7PhCfg=="},
	{MD5, "6c69ee7f211c640419d5366cc076ae46", "26mrvc0v1nslch8r0w45zywsbc", "bGnufyEcZAQZ1TZswHauRg=="},
	{MD5, "bb3438fbabd460ea6dbd27d153e2233b", "1v4gi57l97pmnylq6lmgxkhd5v", "uzQ4+6vUYOptvSfRU+IjOw=="},
	{SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", "143xibwh31h9bvxzalr0sjvbbvpa6ffs", "2jmj7l5rSw0yVb/vlWAYkK/YBwk="},
	{SHA1, "cd54e8568c1b37cf1e5badb0779bcbf382212189", "i4hj30pkrfdpgc5dbcgcydqviibfhm6d", "zVToVowbN88eW62wd5vL84IhIYk="},
	{SHA1, "6d12e10b1d331dad210e47fd25d4f260802b7e77", "fxz2p030yba2bza71qhss79k3l5y24kd", "bRLhCx0zHa0hDkf9JdTyYIArfnc="},
	{SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
	{SHA256, "900a4469df00ccbfd0c145c6d1e4b7953dd0afafadd7534e3a4019e8d38fc663", "0qy6iz9yh6a079757mxdmypx0gcmnzjd3ij5q78bzk00vxll82lh", "kApEad8AzL/QwUXG0eS3lT3Qr6+t11NOOkAZ6NOPxmM="},
	{SHA256, "ad0387b3bd8652f730ca46d25f9c170af0fd589f42e7f23f5a9e6412d97d7e56", "0mkygpci4r4yb8zz5rs2kxcgvw0a2yf5zlj6r8qgfll6pnrqf0xd", "rQOHs72GUvcwykbSX5wXCvD9WJ9C5/I/Wp5kEtl9flY="},
	{SHA512, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e", "0zdl9zrg8r3i9c1g90lgg9ip5ijzv3yhz91i0zzn3r8ap9ws784gkp9dk9j3aglhgf1amqb0pj21mh7h1nxcl18akqvvf7ggqsy30yg", "z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="},
	{SHA512, "9d0886f8c6b389398a16257bc79780fab9831c7fc11c8ab07fa732cb7b348feade382f92617c9c5305fefba0af02ab5fd39a587d330997ff5bd0db19f7666653", "19ncrpp37dx0nzzjw4k6zaqkb9mzaq2myhgpzh5aff7qqcj5wwdxslg6ixwncm7gyq8l761gwf87fgsh2bwfyr52s53k2dkqvw8c24x", "nQiG+MaziTmKFiV7x5eA+rmDHH/BHIqwf6cyy3s0j+reOC+SYXycUwX++6CvAqtf05pYfTMJl/9b0NsZ92ZmUw=="},
	{SHA512, "21644b72aa259e5a588cd3afbafb1d4310f4889680f6c83b9d531596a5a284f34dbebff409d23bcc86aee6bad10c891606f075c6f4755cb536da27db5693f3a7", "2kz74snvckxldmmbisz9ikmy031d28cs6xfdbl6rhxx42glpyz4vww4lajrc5akklxwixl0js4g84233pxvmbykiic5m7i5m9r4nr11", "IWRLcqolnlpYjNOvuvsdQxD0iJaA9sg7nVMVlqWihPNNvr/0CdI7zIau5rrRDIkWBvB1xvR1XLU22ifbVpPzpw=="},
}

func TestBase32NixVectors(t *testing.T) {
	for _, v := range nixHashVectors {
		digest, _ := hex.DecodeString(v.base16)
		if got := Base32Encode(digest); got != v.nix32 {
			t.Errorf("Base32Encode(%s) = %s, want %s", v.base16, got, v.nix32)
		}
		back, err := Base32Decode(v.nix32)
		if err != nil || !bytes.Equal(back, digest) {
			t.Errorf("Base32Decode(%s) = %x, %v; want %s", v.nix32, back, err, v.base16)
		}
		if got := base64.StdEncoding.EncodeToString(digest); got != v.base64_ {
			t.Errorf("base64 of %s = %s, want %s", v.base16, got, v.base64_)
		}
		// Every form parses back to the same hash.
		for _, form := range []string{
			string(v.algo) + ":" + v.base16,
			string(v.algo) + ":" + v.nix32,
			string(v.algo) + ":" + v.base64_,
			string(v.algo) + "-" + v.base64_,
		} {
			h, err := ParseHash(form, "")
			if err != nil {
				t.Errorf("ParseHash(%q): %v", form, err)
				continue
			}
			if h.Algo != v.algo || h.Hex() != v.base16 || h.Base32() != v.nix32 || h.SRI() != string(v.algo)+"-"+v.base64_ {
				t.Errorf("ParseHash(%q) = %s %s", form, h.Algo, h.Hex())
			}
		}
	}
}

// The hash of "abc" from Nix's tests/functional/hash-convert.sh.
func TestHashOfABC(t *testing.T) {
	h := HashBytes(SHA256, []byte("abc"))
	if h.Base32() != "1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s" || h.SRI() != "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=" {
		t.Errorf("sha256(abc) = %s %s", h.Base32(), h.SRI())
	}
}

func TestBase32Errors(t *testing.T) {
	if _, err := Base32Decode("0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c7e"); err == nil {
		t.Error("accepted 'e', which is not in the alphabet")
	}
	// 52 characters carry 260 bits; the top 4 must be zero for 32 bytes.
	if _, err := Base32Decode("zmdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73"); err == nil {
		t.Error("accepted non-zero padding bits")
	}
	for _, bad := range []string{"sha256:abc", "sha257:" + nixHashVectors[6].base16, nixHashVectors[6].base16, "md5-" + nixHashVectors[6].base64_} {
		if _, err := ParseHash(bad, ""); err == nil {
			t.Errorf("ParseHash(%q) succeeded", bad)
		}
	}
	if _, err := ParseHash("sha256:"+nixHashVectors[6].base16, SHA1); err == nil {
		t.Error("ParseHash accepted a sha256 hash where sha1 was wanted")
	}
}

func TestBase32RoundTripAllLengths(t *testing.T) {
	for n := 0; n <= 64; n++ {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i*37 + n)
		}
		s := Base32Encode(b)
		if len(s) != Base32EncodedLen(n) {
			t.Fatalf("len(Base32Encode(%d bytes)) = %d", n, len(s))
		}
		back, err := Base32Decode(s)
		if err != nil || !bytes.Equal(back, b) {
			t.Fatalf("round trip of %d bytes: %x, %v", n, back, err)
		}
	}
}

func TestCompressHash(t *testing.T) {
	d := make([]byte, 32)
	for i := range d {
		d[i] = byte(i)
	}
	got := CompressHash(d, 20)
	for i := 0; i < 20; i++ {
		want := byte(i)
		if i+20 < 32 {
			want ^= byte(i + 20)
		}
		if got[i] != want {
			t.Fatalf("byte %d = %d, want %d", i, got[i], want)
		}
	}
}
