package stdlib_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
)

func evalDerivation(t *testing.T, src string) *stdlib.Derivation {
	t.Helper()
	var out bytes.Buffer
	th := newThread(&out)
	v, err := th.EvalString(&lang.Source{Name: "test.scm"}, "(use-modules (fruix derivations))\n"+src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	d, ok := v.(*stdlib.Derivation)
	if !ok {
		t.Fatalf("%s: got %T, want a derivation", src, v)
	}
	return d
}

func nixVector(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "derivation", "testdata", "nix", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDerivationNixVectors builds, from Scheme, derivations Nix itself
// instantiated (its functional tests and its modulo-hash graph), and
// checks that the .drv text is byte for byte Nix's, with Nix's paths.
func TestDerivationNixVectors(t *testing.T) {
	const nixStore = derivation.StoreDir("/nix/store")
	for _, c := range []struct {
		vector, drvName, src string
	}{
		{"ia-advanced-attributes-defaults.drv", "advanced-attributes-defaults", `
(parameterize ((%store-directory "/nix/store"))
  (derivation "advanced-attributes-defaults" "/bin/bash" '("-c" "echo hello > $out")
              #:system "my-system"
              #:env-vars '(("builder" . "/bin/bash") ("name" . "advanced-attributes-defaults")
                           ("system" . "my-system"))))`},
		{"hash-modulo-source-first.drv", "source", `
(parameterize ((%store-directory "/nix/store"))
  (derivation "source" "/bin/first" '() #:system "x86_64-linux"
              #:hash "894517c9163c896ec31a2adbd33c0681fd5f45b2c0ef08a64c92a03fb97f390f"
              #:hash-algo 'sha256 #:recursive? #t))`},
	} {
		want := nixVector(t, c.vector)
		d := evalDerivation(t, c.src)
		if got := d.Drv.ATerm(); !bytes.Equal(got, want) {
			t.Errorf("%s: Scheme gave\n%s\nNix wrote\n%s", c.vector, got, want)
		}
		nd, err := derivation.ParseNamed(c.vector, want, c.drvName)
		if err != nil {
			t.Fatal(err)
		}
		wantFile, err := nd.Path(nixStore)
		if err != nil {
			t.Fatal(err)
		}
		if d.File != wantFile {
			t.Errorf("%s: .drv path %s, want %s", c.vector, d.File, wantFile)
		}
	}
	// The source's .drv path is the one Nix's modulo test names.
	d := evalDerivation(t, `(parameterize ((%store-directory "/nix/store"))
  (derivation "source" "/bin/first" '() #:system "x86_64-linux"
              #:hash "sha256:894517c9163c896ec31a2adbd33c0681fd5f45b2c0ef08a64c92a03fb97f390f" #:recursive? #t))`)
	if d.File != "/nix/store/q4mzjdlh5px6977h7v5fdsk1p33yg583-source.drv" || d.OutputPath("out") != "/nix/store/i00sflxqsj37lfmf95m8mn0grv615hpj-source" {
		t.Errorf("source: %s => %s", d.File, d.OutputPath("out"))
	}
}

// TestDerivationSameAsGo builds one graph — a fixed-output source, a
// two-output derivation using it, and a derivation using one of those
// outputs and a source path — in Scheme and with the derivation package
// directly, and checks that the .drv texts and paths agree.
func TestDerivationSameAsGo(t *testing.T) {
	dir := derivation.DefaultStoreDir
	h := derivation.NewModuloHasher(nil)
	byPath := map[string]*derivation.Derivation{}
	h.Load = func(p string) (*derivation.Derivation, error) { return byPath[p], nil }
	finish := func(d *derivation.Derivation) string {
		t.Helper()
		if err := d.FillOutputPaths(dir, h); err != nil {
			t.Fatal(err)
		}
		p, err := d.Path(dir)
		if err != nil {
			t.Fatal(err)
		}
		byPath[p] = d
		return p
	}
	src := derivation.New("src.tar.gz", "x86_64-freebsd", "builtin:fetch")
	src.Env["url"] = "https://example.org/src.tar.gz"
	src.Outputs["out"] = derivation.Output{HashAlgo: "sha256", Hash: "0000000000000000000000000000000000000000000000000000000000000001"}
	srcPath := finish(src)
	lib := derivation.New("lib", "x86_64-freebsd", "/bin/sh")
	lib.Args = []string{"-c", "build"}
	lib.InputDrvs[srcPath] = []string{"out"}
	for _, o := range []string{"out", "dev"} {
		lib.Outputs[o] = derivation.Output{}
		lib.Env[o] = ""
	}
	libPath := finish(lib)
	app := derivation.New("app", "x86_64-freebsd", "/bin/sh")
	app.InputDrvs[libPath] = []string{"dev"}
	app.InputSrcs = []string{"/frx/store/0c5jbm5dbd0ybr4ihp9rndf0xpfzkz8f-builder.sh"}
	app.Args = []string{app.InputSrcs[0]}
	app.Outputs["out"] = derivation.Output{}
	app.Env["out"] = ""
	app.Env["PATH"] = "/bin"
	appPath := finish(app)

	d := evalDerivation(t, `
(define src (derivation "src.tar.gz" "builtin:fetch" '()
                        #:env-vars '(("url" . "https://example.org/src.tar.gz"))
                        #:hash "sha256:0000000000000000000000000000000000000000000000000000000000000001"))
(define lib (derivation "lib" "/bin/sh" '("-c" "build") #:inputs (list src) #:outputs '("out" "dev")))
(derivation "app" "/bin/sh" '("/frx/store/0c5jbm5dbd0ybr4ihp9rndf0xpfzkz8f-builder.sh")
            #:inputs (list (list lib "dev") "/frx/store/0c5jbm5dbd0ybr4ihp9rndf0xpfzkz8f-builder.sh")
            #:env-vars '(("PATH" . "/bin")))`)
	if d.File != appPath {
		t.Errorf("Scheme .drv %s, Go %s", d.File, appPath)
	}
	if got, want := d.Drv.ATerm(), app.ATerm(); !bytes.Equal(got, want) {
		t.Errorf("Scheme gave\n%s\nGo gave\n%s", got, want)
	}
}

// TestDerivationsWriteNothing checks that computing derivations leaves
// the store directory untouched: evaluation is pure.
func TestDerivationsWriteNothing(t *testing.T) {
	store := filepath.Join(t.TempDir(), "store")
	evalDerivation(t, `(parameterize ((%store-directory "`+store+`"))
  (derivation "x" "/bin/sh" '() #:inputs (list (derivation "y" "/bin/sh" '()))))`)
	if _, err := os.Stat(store); !os.IsNotExist(err) {
		t.Errorf("store directory %s exists after evaluation: %v", store, err)
	}
}

// BenchmarkDerivation measures computing derivations from Scheme: each
// has an environment variable and the previous one as input, so every
// call serializes, hashes modulo and names a derivation.
func BenchmarkDerivation(b *testing.B) {
	var out bytes.Buffer
	th := newThread(&out)
	_, err := th.EvalString(&lang.Source{Name: "b.scm"}, `(use-modules (fruix derivations))
(define (chain n)
  (let loop ((i 0) (prev (derivation "base" "/bin/sh" '())))
    (if (= i n)
        prev
        (loop (+ i 1)
              (derivation "step" "/bin/sh" '("-c" "build")
                          #:env-vars (list (cons "i" (number->string i)))
                          #:inputs (list prev))))))`)
	if err != nil {
		b.Fatal(err)
	}
	proc, _ := th.Lookup("chain")
	b.ResetTimer()
	if _, err := th.Call(proc, lang.MakeInt(int64(b.N))); err != nil {
		b.Fatal(err)
	}
}
