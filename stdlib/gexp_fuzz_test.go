package stdlib_test

import (
	"bytes"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
)

// FuzzGexpLowering evaluates arbitrary programs using (fruix gexp) and
// lowers what they return: whatever the program, the result is a value
// or an error, never a panic or a hang. The seeds run in the normal
// suite; `go test -fuzz FuzzGexpLowering ./stdlib` explores further.
func FuzzGexpLowering(f *testing.F) {
	for _, seed := range []string{
		`(computed-file "x" #~(mkdir #$output))`,
		`(file-union "u" (list (list "a/b" (plain-file "p" "x"))))`,
		`(directory-union "d" (list (computed-file "a" #~(mkdir #$output)) (plain-file "b" "c")))`,
		`(gexp->derivation "g" #~(list #$@(list 1 (plain-file "q" "r")) #$output:doc))`,
		`(mixed-text-file "m" "a" (file-append (computed-file "c" #~(x)) "/bin"))`,
		`(scheme-file "s" #~((define a #$(plain-file "z" "y"))) #:splice? #t)`,
		`(program-file "p" #~(display #+(gexp-input (plain-file "i" "j") "out")))`,
		`(with-imported-modules '((fruix build utils)) (computed-file "w" #~(mkdir-p #$output)))`,
		`(gexp->sexp #~(a #$(list #(1 2) #\x 1.5 'sym #:kw "s")))`,
		`(lower-object (computed-file "n" #~(begin #~(inner #$(plain-file "a" "b")))))`,
		`(gexp->derivation "h" #~(mkdir #$output) #:hash "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" #:recursive? #t)`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var out bytes.Buffer
		th := stdlib.New(eval.Options{Stdout: &out, Stderr: &out, StepLimit: 100000, MaxDepth: 10000})
		v, err := th.EvalString(&lang.Source{Name: "fuzz.scm"}, "(use-modules (fruix gexp) (fruix derivations))\n"+src)
		if err != nil || !stdlib.Lowerable(th, v) {
			return
		}
		if l, err := stdlib.Lower(th, v); err == nil {
			if _, err := stdlib.GraphOf(th, l); err != nil {
				t.Fatalf("%s: lowered, but its graph failed: %v", src, err)
			}
		}
	})
}
