package stdlib

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// codeTextCases are gexps whose build programs gexpText prints straight
// from the template: the escapes in every position (car, cdr, head of a
// quote form), splices of every length, nested gexps, data that prints
// with escapes, and escapes that fail.
var codeTextCases = []string{
	`#~(mkdir #$output)`,
	`#~(begin (mkdir #$output) (copy-file #$(plain-file "a" "b") (string-append #$output "/src")) #t)`,
	`#~(list #$output:doc #$(output "bin") #$(computed-file "c" #~(mkdir #$output)):out)`,
	`#~(quote #$x)`, `#~'(a #$x)`, `#~(quote #$@(list 1))`, `#~(quote #$@(list 1 2))`,
	`#~(quasiquote #$@(list))`, `#~(#$@(list 'quote 'y))`, `#~(#$'quote z)`, `#~(#$'unquote #$'@at)`,
	`#~(#$@(list 'quote) #$x)`, `#~(#$@(list 'quote) #$x . #$@(list))`, `#~(quote #$x #$@(list))`,
	`#~(unquote #$(string->symbol "@s"))`, `#~((quote x) #$x)`, `#~(a (quote #$x) b)`,
	`#~(#$@(list))`, `#~(#$@(list) . #$x)`, `#~(#$@'() . 5)`, `#~(a #$@(list) . b)`,
	`#~(a . #$(list 1 2))`, `#~(a . #$@(list 1 2))`, `#~(a . #$x)`, `#~(a #$x . b)`, `#~(a . #$output)`,
	`#~#$x`, `#~#$@(list 1 2)`, `#~#$output`, `#~(quote)`, `#~(a b c)`, `#~x`,
	`#~(a #~(b #$x) #$@(list #~(c #$output) 3) #~#$x)`,
	`#~(display "a\nb\"c\\d" #$(string #\x7f #\é #\tab) #$(string->symbol "a b") #$(string->symbol "1"))`,
	`#~(f #\a #\space #:kw 1.5 -7 1/3 #t #f #u8(1 2) #(1 #$x) #$(vector 1 "s" (list 'quote 'q)))`,
	`#~(f #$(list 1 (list 'quote 'q) (list 'quote 'q 'r) (cons 'a 'b)) #$(cons 1 2))`,
	`#~(f #$(file-append (plain-file "fa" "x") "/bin" "/sh") #$(gexp-input (plain-file "gi" "y") "out"))`,
	`#~(f #$@5)`, `#~(f . #$@5)`, `#~(f #$(output 5))`, `#~(f #$(lambda () 1))`,
	`#~(f #$(plain-file "ok" "") #$@(list (lambda () 1)))`, `#~(f #$output:drv)`,
	`(with-imported-modules '((fruix build utils)) #~(f #~(g #$x)))`,
}

// TestGexpTextIsWrittenCode: the build program gexpText prints is what
// `write` prints of the code gexpSexp builds, and both record the same
// references, or both fail with the same error.
func TestGexpTextIsWrittenCode(t *testing.T) {
	th := New(eval.Options{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}})
	if _, err := th.EvalString(&lang.Source{Name: "prelude.scm"}, "(use-modules (fruix gexp)) (define x (plain-file \"x\" \"x\"))"); err != nil {
		t.Fatal(err)
	}
	for _, src := range codeTextCases {
		v, err := th.EvalString(&lang.Source{Name: "case.scm"}, src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		g, ok := v.(*Gexp)
		if !ok {
			t.Fatalf("%s: %s is not a gexp", src, lang.WriteString(v))
		}
		if msg := compareCodeText(th, g); msg != "" {
			t.Errorf("%s: %s", src, msg)
		}
	}
}

// compareCodeText lowers g both ways and describes the first difference.
func compareCodeText(th *eval.Thread, g *Gexp) string {
	lw, err := newLowering(th, "test", nil, 0)
	if err != nil {
		return err.Error()
	}
	refs1, refs2 := newGexpRefs(), newGexpRefs()
	text, err1 := lw.gexpText(g, refs1)
	code, err2 := lw.gexpSexp(g, refs2)
	if err1 != nil || err2 != nil {
		if fmt.Sprint(err1) != fmt.Sprint(err2) {
			return fmt.Sprintf("errors differ: %v, want %v", err1, err2)
		}
		return ""
	}
	if want := append(lang.AppendWrite(nil, code), '\n'); !bytes.Equal(text, want) {
		return fmt.Sprintf("printed %q, want %q", text, want)
	}
	drvFiles := func(r *gexpRefs) (files []string) {
		for _, u := range r.drvs {
			files = append(files, u.drv.File+" "+strings.Join(u.outputs, ","))
		}
		return files
	}
	if !slices.Equal(drvFiles(refs1), drvFiles(refs2)) ||
		!slices.Equal(refs1.sources, refs2.sources) || !slices.Equal(refs1.outputs, refs2.outputs) ||
		!slices.EqualFunc(refs1.modules, refs2.modules, func(a, b importedModule) bool { return a.key() == b.key() }) {
		return "references differ"
	}
	return ""
}

// FuzzGexpText checks TestGexpTextIsWrittenCode's property on arbitrary
// gexps: `go test -fuzz FuzzGexpText ./stdlib` explores beyond the
// cases, which run as seeds in the normal suite.
func FuzzGexpText(f *testing.F) {
	for _, src := range codeTextCases {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		th := New(eval.Options{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, StepLimit: 100000, MaxDepth: 10000})
		v, err := th.EvalString(&lang.Source{Name: "fuzz.scm"}, "(use-modules (fruix gexp)) (define x (plain-file \"x\" \"x\"))\n"+src)
		if err != nil {
			return
		}
		if g, ok := v.(*Gexp); ok {
			if msg := compareCodeText(th, g); msg != "" {
				t.Fatalf("%s: %s", src, msg)
			}
		}
	})
}
