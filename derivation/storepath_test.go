package derivation

import (
	"crypto/sha256"
	"strings"
	"testing"
)

func TestValidateName(t *testing.T) {
	for _, ok := range []string{"hello-2.12", "a", "x+y_z.=?", strings.Repeat("n", MaxNameLen), "foo.drv"} {
		if err := ValidateName(ok); err != nil {
			t.Errorf("ValidateName(%q): %v", ok, err)
		}
	}
	for bad, want := range map[string]string{
		"":                                "empty",
		".hidden":                         "must not start with a dot",
		"a/b":                             `character '/' at offset 1`,
		"sp ace":                          `character ' ' at offset 2`,
		"caf\xc3\xa9":                     `non-ASCII byte 0xc3 at offset 3`,
		strings.Repeat("n", MaxNameLen+1): "212 characters, at most 211",
	} {
		err := ValidateName(bad)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateName(%q) = %v, want %q", bad, err, want)
		}
	}
	// Exactly letters, digits and +-._?= are allowed (Nix's set).
	for c := range 256 {
		allowed := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune("+-._?=", rune(c))
		if err := ValidateName("x" + string([]byte{byte(c)})); (err == nil) != allowed {
			t.Errorf("ValidateName(%q) = %v; allowed: %v", "x"+string([]byte{byte(c)}), err, allowed)
		}
	}
}

func TestParsePath(t *testing.T) {
	h, n, err := nixStore.ParsePath("/nix/store/c015dhfh5l0lp6wxyvdn7bmwhbbr6hr9-dep1")
	if err != nil || h != "c015dhfh5l0lp6wxyvdn7bmwhbbr6hr9" || n != "dep1" {
		t.Errorf("ParsePath: %s %s %v", h, n, err)
	}
	for bad, want := range map[string]string{
		"/frx/store/c015dhfh5l0lp6wxyvdn7bmwhbbr6hr9-dep1":     "not in the store /nix/store",
		"/nix/store/c015dhfh5l0lp6wxyvdn7bmwhbbr6hr9-dep1/bin": "inside a store path",
		"/nix/store/short-dep1":                                "want /nix/store/<32 nix-base32 characters>-<name>",
		"/nix/store/e015dhfh5l0lp6wxyvdn7bmwhbbr6hr9-dep1":     "is not nix-base32",
		"/nix/store/c015dhfh5l0lp6wxyvdn7bmwhbbr6hr9-.dep1":    "must not start with a dot",
	} {
		if _, _, err := nixStore.ParsePath(bad); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParsePath(%q) = %v, want %q", bad, err, want)
		}
	}
	if p, err := nixStore.ToStorePath("/nix/store/c015dhfh5l0lp6wxyvdn7bmwhbbr6hr9-dep1/bin/sh"); err != nil || p != "/nix/store/c015dhfh5l0lp6wxyvdn7bmwhbbr6hr9-dep1" {
		t.Errorf("ToStorePath: %s %v", p, err)
	}
	for _, bad := range []StoreDir{"", "relative", "/frx/store/", "/"} {
		if bad.Validate() == nil {
			t.Errorf("store dir %q accepted", bad)
		}
	}
}

// The "source" path of Nix's hash-modulo test: a recursive sha256 output.
func TestFixedOutputPathNixVector(t *testing.T) {
	h, err := ParseHash("sha256-iUUXyRY8iW7DGirb0zwGgf1fRbLA7wimTJKgP7l/OQ8=", "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := nixStore.MakeFixedOutputPath("source", Recursive, h, nil, false)
	if err != nil || p != "/nix/store/i00sflxqsj37lfmf95m8mn0grv615hpj-source" {
		t.Errorf("recursive sha256: %s, %v", p, err)
	}
}

// The other methods follow Nix's specification of store paths
// (doc/manual/source/protocols/store-path.md): flat and non-sha256 content
// goes through "fixed:out:<method><algo>:<hex>:".
func TestFixedOutputPathMethods(t *testing.T) {
	content := []byte("Hello World!\n")
	for _, c := range []struct {
		method Method
		algo   HashAlgo
		prefix string
	}{
		{Flat, SHA256, ""}, {Flat, MD5, ""}, {Flat, SHA1, ""}, {Flat, SHA512, ""},
		{Recursive, SHA1, "r:"}, {Recursive, SHA512, "r:"},
	} {
		h := HashBytes(c.algo, content)
		got, err := DefaultStoreDir.MakeFixedOutputPath("hello.txt", c.method, h, nil, false)
		if err != nil {
			t.Fatal(err)
		}
		inner := sha256.Sum256([]byte("fixed:out:" + c.prefix + string(c.algo) + ":" + h.Hex() + ":"))
		want, _ := DefaultStoreDir.MakeStorePath("output:out", inner, "hello.txt")
		if got != want || !strings.HasPrefix(got, "/frx/store/") {
			t.Errorf("%s %s: %s, want %s", c.method, c.algo, got, want)
		}
		if _, err := DefaultStoreDir.MakeFixedOutputPath("hello.txt", c.method, h, []string{"/frx/store/00000000000000000000000000000000-x"}, false); err == nil {
			t.Errorf("%s %s accepted references", c.method, c.algo)
		}
	}
	// Text paths carry their references in the type.
	h := HashBytes(SHA256, content)
	ref := "/frx/store/00000000000000000000000000000000-dep"
	got, err := DefaultStoreDir.MakeFixedOutputPath("t", Text, h, []string{ref}, false)
	want, _ := DefaultStoreDir.MakeStorePath("text:"+ref, [32]byte(h.Digest), "t")
	if err != nil || got != want {
		t.Errorf("text: %s %v, want %s", got, err, want)
	}
	if _, err := DefaultStoreDir.MakeFixedOutputPath("t", Text, HashBytes(SHA1, content), nil, false); err == nil {
		t.Error("text path with sha1 accepted")
	}
	// Self references go last.
	src, _ := DefaultStoreDir.MakeSourcePath("s", [32]byte(h.Digest), []string{ref}, true)
	want, _ = DefaultStoreDir.MakeStorePath("source:"+ref+":self", [32]byte(h.Digest), "s")
	if src != want {
		t.Errorf("self reference: %s, want %s", src, want)
	}
}

func TestOutputPathName(t *testing.T) {
	if OutputPathName("hello", "out") != "hello" || OutputPathName("hello", "dev") != "hello-dev" {
		t.Error("OutputPathName")
	}
}
