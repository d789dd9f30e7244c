package builtins

import (
	"bytes"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"fruix.dev/fruix/derivation"
)

// TestFetchurlHTTPS fetches over TLS from a local server whose certificate
// the system pool is told to trust through SSL_CERT_FILE (read once per
// process, so this test must be the first TLS user of the test binary).
func TestFetchurlHTTPS(t *testing.T) {
	content := []byte("over tls\n")
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(content) }))
	defer srv.Close()
	certFile := filepath.Join(t.TempDir(), "ca.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(certFile, cert, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SSL_CERT_FILE", certFile)
	c := context(t, map[string]string{"url": srv.URL + "/file"})
	c.Fixed = &derivation.Output{HashAlgo: "sha256", Hash: sha256Hex(content)}
	if err := table["fetchurl"].run(c); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(c.Out); !bytes.Equal(got, content) {
		t.Errorf("fetched %q", got)
	}
}
