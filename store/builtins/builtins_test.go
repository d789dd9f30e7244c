package builtins

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fruix.dev/fruix/derivation"
	"github.com/ulikunitz/xz"
)

func context(t *testing.T, env map[string]string) *Context {
	out := filepath.Join(t.TempDir(), "out")
	env["out"] = out
	return &Context{Drv: "/frx/store/x-test.drv", Env: env, Out: out, Stderr: io.Discard}
}

func sha256Hex(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func TestFetchurlHTTPVerifiesHash(t *testing.T) {
	content := []byte("the source of hello\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/hello.tar" {
			http.NotFound(w, r)
			return
		}
		w.Write(content)
	}))
	defer srv.Close()

	c := context(t, map[string]string{"url": srv.URL + "/hello.tar"})
	c.Fixed = &derivation.Output{HashAlgo: "sha256", Hash: sha256Hex(content)}
	if err := table["fetchurl"].run(c); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(c.Out); !bytes.Equal(got, content) {
		t.Errorf("fetched %q", got)
	}

	c = context(t, map[string]string{"url": srv.URL + "/hello.tar"})
	c.Fixed = &derivation.Output{HashAlgo: "sha256", Hash: sha256Hex([]byte("something else"))}
	err := table["fetchurl"].run(c)
	want := "hash mismatch in fixed-output derivation /frx/store/x-test.drv: wanted sha256:"
	if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), ", got sha256:") {
		t.Errorf("want %q..., got %v", want, err)
	}

	c = context(t, map[string]string{"url": srv.URL + "/missing"})
	if err := table["fetchurl"].run(c); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("missing file: %v", err)
	}
}

func TestFetchurlFileRecursiveAndExecutable(t *testing.T) {
	src := filepath.Join(t.TempDir(), "script")
	os.WriteFile(src, []byte("#!/bin/sh\necho hi\n"), 0o644)
	c := context(t, map[string]string{"url": "file://" + src, "executable": "1"})
	if err := table["fetchurl"].run(c); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(c.Out)
	if err != nil || st.Mode().Perm() != 0o555 {
		t.Fatalf("mode %v, %v", st.Mode(), err)
	}
	h, err := HashPath(derivation.Recursive, derivation.SHA256, c.Out)
	if err != nil {
		t.Fatal(err)
	}
	c2 := context(t, map[string]string{"url": "file://" + src, "executable": "1"})
	c2.Fixed = &derivation.Output{HashAlgo: "r:sha256", Hash: h.Hex()}
	if err := table["fetchurl"].run(c2); err != nil {
		t.Errorf("recursive hash of the same executable file: %v", err)
	}
	c3 := context(t, map[string]string{"url": "file://" + src})
	c3.Fixed = &derivation.Output{HashAlgo: "r:sha256", Hash: h.Hex()}
	if err := table["fetchurl"].run(c3); err == nil {
		t.Errorf("a non-executable file has the NAR hash of an executable one")
	}
	c4 := context(t, map[string]string{"url": "ftp://example.org/x"})
	if err := table["fetchurl"].run(c4); err == nil || !strings.Contains(err.Error(), "unsupported scheme") {
		t.Errorf("ftp: %v", err)
	}
}

type entry struct {
	name, body, link string
	typ              byte
	mode             int64
}

func makeTar(t *testing.T, entries []entry) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Mode: e.mode, Linkname: e.link, Size: int64(len(e.body))}
		if e.typ != tar.TypeReg {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e.body))
	}
	tw.Close()
	return buf.Bytes()
}

var sourceTree = []entry{
	{name: "usr/", typ: tar.TypeDir, mode: 0o755},
	{name: "usr/src/", typ: tar.TypeDir, mode: 0o755},
	{name: "usr/src/Makefile", typ: tar.TypeReg, mode: 0o644, body: "all:\n"},
	{name: "usr/src/configure", typ: tar.TypeReg, mode: 0o755, body: "#!/bin/sh\n"},
	{name: "usr/src/README", typ: tar.TypeSymlink, link: "Makefile"},
	{name: "usr/src/COPYRIGHT", typ: tar.TypeLink, link: "usr/src/Makefile"},
}

func checkTree(t *testing.T, out string) {
	t.Helper()
	if b, _ := os.ReadFile(filepath.Join(out, "usr/src/Makefile")); string(b) != "all:\n" {
		t.Errorf("Makefile: %q", b)
	}
	if st, err := os.Stat(filepath.Join(out, "usr/src/configure")); err != nil || st.Mode().Perm() != 0o755 {
		t.Errorf("configure mode: %v %v", st, err)
	}
	if st, err := os.Stat(filepath.Join(out, "usr/src/Makefile")); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("Makefile mode: %v %v", st, err)
	}
	if l, err := os.Readlink(filepath.Join(out, "usr/src/README")); err != nil || l != "Makefile" {
		t.Errorf("symlink: %q %v", l, err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "usr/src/COPYRIGHT")); string(b) != "all:\n" {
		t.Errorf("hard link: %q", b)
	}
}

func TestUnpackCompressions(t *testing.T) {
	plain := makeTar(t, sourceTree)
	var gz, xzb bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	xw, err := xz.NewWriter(&xzb)
	if err != nil {
		t.Fatal(err)
	}
	xw.Write(plain)
	xw.Close()
	for name, data := range map[string][]byte{"src.tar": plain, "src.tar.gz": gz.Bytes(), "src.txz": xzb.Bytes()} {
		t.Run(name, func(t *testing.T) {
			archive := filepath.Join(t.TempDir(), name)
			os.WriteFile(archive, data, 0o644)
			c := context(t, map[string]string{"src": archive})
			if err := table["unpack"].run(c); err != nil {
				t.Fatal(err)
			}
			checkTree(t, c.Out)
		})
	}
}

func TestUnpackRefusesEscapes(t *testing.T) {
	for name, entries := range map[string][]entry{
		"dot-dot":           {{name: "../evil", typ: tar.TypeReg, body: "x"}},
		"nested dot-dot":    {{name: "a/../../evil", typ: tar.TypeReg, body: "x"}},
		"absolute":          {{name: "/tmp/evil", typ: tar.TypeReg, body: "x"}},
		"through a symlink": {{name: "link", typ: tar.TypeSymlink, link: "/tmp"}, {name: "link/evil", typ: tar.TypeReg, body: "x"}},
		"hard link outside": {{name: "h", typ: tar.TypeLink, link: "../../etc/passwd"}},
		"device node":       {{name: "null", typ: tar.TypeChar}},
	} {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			archive := filepath.Join(t.TempDir(), "evil.tar")
			os.WriteFile(archive, makeTar(t, entries), 0o644)
			c := context(t, map[string]string{"src": archive})
			if err := table["unpack"].run(c); err == nil {
				t.Errorf("archive %s accepted", name)
			}
			if _, err := os.Stat("/tmp/evil"); err == nil {
				t.Errorf("/tmp/evil was written")
			}
		})
	}
}

func TestBuiltinVersions(t *testing.T) {
	if table["fetchurl"].version != "1" || table["unpack"].version != "1" {
		t.Errorf("versions: fetchurl %q, unpack %q", table["fetchurl"].version, table["unpack"].version)
	}
	for _, env := range []map[string]string{{}, {VersionVar: "1"}} {
		if err := CheckVersion("unpack", env); err != nil {
			t.Errorf("%v: %v", env, err)
		}
	}
	err := CheckVersion("unpack", map[string]string{VersionVar: "2"})
	if err == nil || err.Error() != "this derivation wants builtin:unpack version 2; this fruix has 1" {
		t.Errorf("mismatch: %v", err)
	}
	d := derivation.New("x", "builtin", "builtin:unpack")
	d.Args = []string{"a", "b"}
	d.Env[VersionVar] = "2"
	if _, err := Args("/frx/store/x.drv", d); err == nil || !strings.Contains(err.Error(), "wants builtin:unpack version 2") {
		t.Errorf("Args of a derivation for another version: %v", err)
	}
	d.Env[VersionVar] = "1"
	args, err := Args("/frx/store/x.drv", d)
	if err != nil || strings.Join(args, " ") != Subcommand+" -drv /frx/store/x.drv unpack a b" {
		t.Errorf("Args passes the derivation's arguments after the name: %q, %v", args, err)
	}
}

// TestHashPathFlat: a flat fixed output hashes as its bytes do, and
// anything but a regular file is refused, naming the path.
func TestHashPathFlat(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, []byte("flat content"), 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := HashPath(derivation.Flat, derivation.SHA512, file)
	if want := derivation.HashBytes(derivation.SHA512, []byte("flat content")); err != nil || !h.Equal(want) {
		t.Errorf("flat hash %s, %v; want %s", h.Hex(), err, want.Hex())
	}
	if _, err := HashPath(derivation.Flat, derivation.SHA256, dir); err == nil || !strings.Contains(err.Error(), dir+": a flat fixed output must be a regular file") {
		t.Errorf("flat hash of a directory: %v", err)
	}
	if _, err := HashPath(derivation.Flat, derivation.SHA256, filepath.Join(dir, "missing")); !os.IsNotExist(err) {
		t.Errorf("flat hash of a missing file: %v", err)
	}
}
