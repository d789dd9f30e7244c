// Package tests holds Fruix's end-to-end tests: they build the real
// commands and run them as a user would, and they enforce the package
// layers of the design.
package tests

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "fruix.dev/fruix"

// layerImports is the import table of the design: the layers each layer
// may import besides itself. A package belongs to the layer named by the
// first element of its path inside the module.
var layerImports = map[string][]string{
	"lang":       {},
	"eval":       {"lang"},
	"derivation": {},
	"stdlib":     {"lang", "eval", "derivation"},
	"store":      {"derivation"},
	"freebsd":    {"lang", "eval", "derivation", "stdlib", "store"},
	"cmd":        {"lang", "eval", "derivation", "stdlib", "store", "freebsd"},
	"examples":   {"lang", "eval", "derivation", "stdlib", "store", "freebsd"},
	"tests":      {"lang", "eval", "derivation", "stdlib", "store", "freebsd"},
	"bench":      {"lang", "eval", "derivation", "stdlib", "store", "freebsd"},
}

// stdOnly are the layers that may import nothing outside the module but
// Go's standard library.
var stdOnly = map[string]bool{"lang": true, "eval": true, "derivation": true, "stdlib": true}

func layerOf(pkg string) string {
	rest := strings.TrimPrefix(pkg, module+"/")
	return strings.SplitN(rest, "/", 2)[0]
}

func TestImportTable(t *testing.T) {
	for _, goos := range []string{"linux", "freebsd"} {
		cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...")
		cmd.Dir = ".."
		cmd.Env = append(cmd.Environ(), "GOOS="+goos)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go list (GOOS=%s): %v\n%s", goos, err, out)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			fields := strings.Fields(line)
			pkg, imports := fields[0], fields[1:]
			layer := layerOf(pkg)
			allowed, known := layerImports[layer]
			if !known {
				t.Errorf("%s: package outside the layers of DESIGN.md (%q)", pkg, layer)
				continue
			}
			for _, imp := range imports {
				if strings.HasPrefix(imp, module+"/") {
					to := layerOf(imp)
					if to != layer && !contains(allowed, to) {
						t.Errorf("%s (layer %s) imports %s (layer %s): not allowed by DESIGN.md", pkg, layer, imp, to)
					}
					continue
				}
				if stdOnly[layer] && strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
					t.Errorf("%s (layer %s) imports %s: this layer may use only Go's standard library", pkg, layer, imp)
				}
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
