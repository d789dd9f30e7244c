// Package evaltest runs Scheme conformance files against a Fruix
// evaluator. Each testdata/*.scm file is a subtest. Ordinary files use a
// small assertion library, module (fruix evaltest), which RunDir imports
// into the program's module:
//
//	(test-equal [name] expected expr)  ; equal? after evaluating both
//	(test-eqv [name] expected expr)    ; eqv?
//	(test-assert [name] expr)          ; expr is true
//	(test-error [name] [what] expr)    ; expr raises; what, a string, must
//	                                   ; occur in the message, or a symbol
//	                                   ; naming the error kind
//	(test-begin name) (test-end [name]); accepted and ignored (SRFI-64)
//
// A failure is reported with the file:line:col of the assertion. A file
// whose first line is
//
//	;; expect-error: 7:3: unbound variable
//
// must instead fail as a whole with an error at line 7, column 3 whose
// message contains the given text, and without any Go panic.
package evaltest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

var expectErrorLine = regexp.MustCompile(`^;+\s*expect-error:\s*(\d+):(\d+):\s*(.*?)\s*$`)

// RunDir runs every dir/*.scm file as a subtest, each in a Thread made
// by newThread.
func RunDir(t *testing.T, dir string, newThread func() *eval.Thread) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.scm"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no .scm files in %s", dir)
	}
	sort.Strings(files)
	for _, f := range files {
		f := f
		t.Run(strings.TrimSuffix(filepath.Base(f), ".scm"), func(t *testing.T) {
			RunFile(t, f, newThread())
		})
	}
}

// RunFile runs one conformance file in th.
func RunFile(t *testing.T, path string, th *eval.Thread) {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(text), "\n")
	Install(th)
	if err := th.UseModules([]string{"fruix", "evaltest"}); err != nil {
		t.Fatalf("importing (fruix evaltest): %v", err)
	}
	_, err = th.LoadFile(path)
	if m := expectErrorLine.FindStringSubmatch(first); m != nil {
		checkExpectedError(t, path, err, m[1]+":"+m[2], m[3])
		return
	}
	res := results(th)
	for _, f := range res.failures {
		t.Error(f)
	}
	if err != nil {
		t.Errorf("%s: evaluation failed after %d passed assertions:\n%s", path, res.passed, eval.FormatError(err))
		return
	}
	if res.passed+len(res.failures) == 0 {
		t.Errorf("%s: no assertions ran", path)
	}
}

func checkExpectedError(t *testing.T, path string, err error, wantPos, wantMsg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: evaluation succeeded, want an error at %s: %s", path, wantPos, wantMsg)
	}
	text := eval.FormatError(err)
	if strings.Contains(text, "goroutine ") || strings.Contains(text, "panic") {
		t.Errorf("%s: error looks like a Go panic:\n%s", path, text)
	}
	var ex *eval.Exception
	if !errors.As(err, &ex) {
		t.Fatalf("%s: got a non-Scheme error %T: %v", path, err, err)
	}
	gotPos := fmt.Sprintf("%d:%d", ex.Pos.Line, ex.Pos.Col)
	if gotPos != wantPos || !strings.Contains(ex.Message(), wantMsg) {
		t.Errorf("%s: got error\n%s\nwant at %s: %s", path, text, wantPos, wantMsg)
	}
	if ex.Pos.Src == nil || filepath.Base(ex.Pos.Src.Name) != filepath.Base(path) {
		t.Errorf("%s: error position names %v, want the test file", path, ex.Pos.Src)
	}
}

type collector struct {
	passed   int
	failures []string
}

type collectorKey struct{}

func results(th *eval.Thread) *collector {
	if c, ok := th.Local(collectorKey{}).(*collector); ok {
		return c
	}
	c := &collector{}
	th.SetLocal(collectorKey{}, c)
	return c
}

// Install registers module (fruix evaltest) in th.
func Install(th *eval.Thread) {
	th.RegisterNativeModule([]string{"fruix", "evaltest"}, func(th *eval.Thread, m *eval.Module) error {
		m.DefineBuiltins(checkBuiltins)
		for _, name := range []string{"test-equal", "test-eqv", "test-assert", "test-error"} {
			m.DefineNativeMacro(name, expandAssertion)
		}
		m.DefineNativeMacro("test-begin", ignore)
		m.DefineNativeMacro("test-end", ignore)
		return nil
	})
}

func ignore(th *eval.Thread, form *lang.Pair, env *eval.MacroEnv) (lang.Value, error) {
	return lang.List(lang.Intern("quote"), lang.Unspec), nil
}

func posText(p lang.Pos) string {
	if !p.Known() {
		return "?"
	}
	return p.String()
}

// expandAssertion turns (test-X [name] args... expr) into a call of the
// %check builtin with thunks, the name and the position of the form.
func expandAssertion(th *eval.Thread, form *lang.Pair, env *eval.MacroEnv) (lang.Value, error) {
	kind := form.Car.(*lang.Symbol).Name
	var args []lang.Value
	for x := form.Cdr; ; {
		p, ok := x.(*lang.Pair)
		if !ok {
			break
		}
		args = append(args, p.Car)
		x = p.Cdr
	}
	want := map[string]int{"test-equal": 2, "test-eqv": 2, "test-assert": 1, "test-error": 1}[kind]
	var name lang.Value = lang.False
	var what lang.Value = lang.False
	switch {
	case len(args) == want:
	case len(args) == want+1:
		name = args[0]
		args = args[1:]
	case kind == "test-error" && len(args) == 3:
		name, what = args[0], args[1]
		args = args[2:]
	default:
		return nil, fmt.Errorf("%s: wrong number of operands", kind)
	}
	lambda := lang.List(lang.Intern("@"), lang.List(lang.Intern("fruix"), lang.Intern("core")), lang.Intern("lambda"))
	mk := func(x lang.Value) lang.Value { return lang.List(lambda, lang.Nil, x) }
	check := lang.List(lang.Intern("@"), lang.List(lang.Intern("fruix"), lang.Intern("evaltest")), lang.Intern("%check"))
	call := []lang.Value{check, lang.List(lang.Intern("quote"), lang.Intern(kind)), name, lang.NewString(posText(form.Pos)),
		lang.List(lang.Intern("quote"), what)}
	for _, a := range args {
		call = append(call, mk(a))
	}
	return lang.List(call...), nil
}

var checkBuiltins = []*eval.Builtin{{
	Name: "%check", MinArgs: 5, MaxArgs: 6,
	Fn: func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		c := results(th)
		kind := args[0].(*lang.Symbol).Name
		label := args[2].(*lang.String).String()
		if args[1] != lang.Value(lang.False) {
			label += " (" + lang.DisplayString(args[1]) + ")"
		}
		fail := func(format string, a ...any) {
			c.failures = append(c.failures, label+": "+kind+": "+fmt.Sprintf(format, a...))
		}
		thunks := args[4:]
		if kind == "test-error" {
			v, err := th.Call(thunks[0])
			if err == nil {
				fail("no error raised; the value was %s", lang.WriteString(v))
				return lang.Unspec, nil
			}
			if isUncatchable(err) {
				return nil, err
			}
			var ex *eval.Exception
			if !errors.As(err, &ex) {
				fail("a non-Scheme error: %v", err)
				return lang.Unspec, nil
			}
			switch w := args[3].(type) {
			case *lang.String:
				if !strings.Contains(ex.Message(), w.String()) {
					fail("error message %q does not contain %q", ex.Message(), w.String())
					return lang.Unspec, nil
				}
			case *lang.Symbol:
				eo, ok := ex.Payload.(*eval.ErrorObject)
				if !ok || eo.Kind != w.Name {
					fail("error %q is not of kind %s", ex.Message(), w.Name)
					return lang.Unspec, nil
				}
			}
			c.passed++
			return lang.Unspec, nil
		}
		vals := make([]lang.Value, len(thunks))
		for i, th0 := range thunks {
			v, err := th.Call(th0)
			if err != nil {
				if isUncatchable(err) {
					return nil, err
				}
				fail("raised an error:\n%s", eval.FormatError(err))
				return lang.Unspec, nil
			}
			vals[i] = v
		}
		ok := false
		switch kind {
		case "test-assert":
			ok = lang.IsTrue(vals[0])
			if !ok {
				fail("the expression was false")
				return lang.Unspec, nil
			}
		case "test-equal":
			ok = lang.Equal(vals[0], vals[1])
		case "test-eqv":
			ok = lang.Eqv(vals[0], vals[1])
		}
		if !ok {
			fail("got %s, want %s", lang.WriteString(vals[1]), lang.WriteString(vals[0]))
			return lang.Unspec, nil
		}
		c.passed++
		return lang.Unspec, nil
	},
}}

// isUncatchable reports errors that must stop the file: interrupts,
// limits and exits.
func isUncatchable(err error) bool {
	var exit *eval.Exit
	if errors.As(err, &exit) {
		return true
	}
	var ex *eval.Exception
	if errors.As(err, &ex) {
		if eo, ok := ex.Payload.(*eval.ErrorObject); ok && (eo.Kind == eval.KindInterrupt) {
			return true
		}
	}
	return false
}
