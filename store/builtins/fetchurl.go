package builtins

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"
)

func init() { Register("fetchurl", "1", fetchurl) }

// fetchurl downloads the URL in the environment variable "url" (http,
// https or file) to $out. It is meant for fixed-output derivations: when
// the derivation declares a hash, the result is verified before the build
// ends. "executable=1" makes the file executable.
func fetchurl(c *Context) error {
	raw := c.Env["url"]
	if raw == "" {
		return fmt.Errorf("the derivation sets no \"url\"")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("url %q: %v", raw, err)
	}
	var body io.ReadCloser
	switch u.Scheme {
	case "http", "https":
		client := &http.Client{Timeout: 30 * time.Minute}
		req, err := http.NewRequest("GET", raw, nil)
		if err != nil {
			return err
		}
		req.Header.Set("User-Agent", "fruix-fetchurl")
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("fetching %s: %v", raw, err)
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return fmt.Errorf("fetching %s: HTTP status %s", raw, resp.Status)
		}
		body = resp.Body
	case "file":
		f, err := os.Open(u.Path)
		if err != nil {
			return fmt.Errorf("fetching %s: %v (a file URL must name a path visible in the sandbox: an input or a listed host path)", raw, err)
		}
		body = f
	default:
		return fmt.Errorf("url %q: unsupported scheme %q (want http, https or file)", raw, u.Scheme)
	}
	defer body.Close()
	mode := os.FileMode(0o444)
	if c.Env["executable"] == "1" {
		mode = 0o555
	}
	out, err := os.OpenFile(c.Out, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	n, err := io.Copy(out, body)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("fetching %s: %v", raw, err)
	}
	if err := os.Chmod(c.Out, mode); err != nil {
		return err
	}
	fmt.Fprintf(c.Stderr, "fetched %s (%d bytes)\n", raw, n)
	if c.Fixed != nil {
		return VerifyFixedOutput(c.Drv, *c.Fixed, c.Out)
	}
	return nil
}
