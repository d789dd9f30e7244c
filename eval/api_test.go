package eval_test

import (
	"bytes"
	"errors"
	iofs "io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

func mustEval(t *testing.T, th *eval.Thread, src string) lang.Value {
	t.Helper()
	v, err := th.EvalString(&lang.Source{Name: "test"}, src)
	if err != nil {
		t.Fatalf("%s:\n%s", src, eval.FormatError(err))
	}
	return v
}

func TestCallFromGo(t *testing.T) {
	th := newTestThread(&bytes.Buffer{})
	mustEval(t, th, `
(define (add a b) (+ a b))
(define-record-type point (make-point x y) point? (x point-x) (y point-y))
(define p (make-parameter 7))
(define cl (case-lambda ((a) a) ((a b) (list a b))))`)
	get := func(name string) lang.Value {
		v, ok := th.Lookup(name)
		if !ok {
			t.Fatalf("%s unbound", name)
		}
		return v
	}
	for _, c := range []struct {
		proc string
		args []lang.Value
		want string
	}{
		{"add", []lang.Value{lang.MakeInt(2), lang.MakeInt(3)}, "5"},
		{"car", []lang.Value{lang.List(lang.MakeInt(1))}, "1"},
		{"point-x", []lang.Value{mustEval(t, th, "(make-point 4 5)")}, "4"},
		{"p", nil, "7"},
		{"cl", []lang.Value{lang.MakeInt(1), lang.MakeInt(2)}, "(1 2)"},
		{"apply", []lang.Value{get("add"), lang.List(lang.MakeInt(1), lang.MakeInt(1))}, "2"},
	} {
		v, err := th.Call(get(c.proc), c.args...)
		if err != nil {
			t.Errorf("%s: %v", c.proc, err)
			continue
		}
		if got := lang.WriteString(v); got != c.want {
			t.Errorf("%s: got %s, want %s", c.proc, got, c.want)
		}
	}
	// A continuation called from Go inside its extent escapes.
	v := mustEval(t, th, "(call/cc (lambda (k) (apply k '(9)) 1))")
	if lang.WriteString(v) != "9" {
		t.Errorf("continuation: got %s", lang.WriteString(v))
	}
	if _, err := th.Call(lang.MakeInt(3)); err == nil || !strings.Contains(err.Error(), "wrong type to apply") {
		t.Errorf("calling a number: %v", err)
	}
}

func TestPrinting(t *testing.T) {
	th := newTestThread(&bytes.Buffer{})
	for _, c := range [][2]string{
		{"(define (fib n) n) fib", "#<procedure fib (n)>"},
		{"(define-record-type point (mk x y) p? (x px) (y py)) point", "#<record-type point>"},
		{"(mk 1 '(2))", "#<point x: 1 y: (2)>"},
	} {
		if got := lang.WriteString(mustEval(t, th, c[0])); got != c[1] {
			t.Errorf("%s: got %s, want %s", c[0], got, c[1])
		}
	}
	for src, want := range map[string]string{
		"(define (fib n) n) fib": "#<procedure fib (n)>",
		"(lambda (a . b) a)":     "#<procedure anonymous (a . b)>",
		"car":                    "#<procedure car>",
		"(define-record-type point (mk x y) p? (x px) (y py)) point": "#<record-type point>",
		"(mk 1 '(2))":                          "#<point x: 1 y: (2)>",
		"(make-parameter 1)":                   "#<parameter>",
		"(delay 1)":                            "#<promise>",
		"(guard (e (#t e)) (error \"bad\" 1))": "#<error error: bad 1>",
		"(call/cc (lambda (k) k))":             "#<continuation>",
		"(current-module)":                     "#<module (guile-user)>",
	} {
		if got := lang.WriteString(mustEval(t, th, src)); got != want {
			t.Errorf("%s: got %s, want %s", src, got, want)
		}
	}
	for src, want := range map[string]string{
		"car": "procedure", "(mk 1 2)": "point", "point": "record-type", "(make-parameter 1)": "parameter",
		"(delay 1)": "promise", "(lambda () 1)": "procedure",
	} {
		if got := lang.TypeName(mustEval(t, th, src)); got != want {
			t.Errorf("TypeName %s: got %s, want %s", src, got, want)
		}
	}
}

func TestDescribeHelpers(t *testing.T) {
	th := newTestThread(&bytes.Buffer{})
	mustEval(t, th, `(define* (f a #:optional b) "Doc of f." a) (define (g a . r) a)`)
	f, _ := th.Lookup("f")
	g, _ := th.Lookup("g")
	if min, max, ok := eval.Arity(f); !ok || min != 1 || max != 2 {
		t.Errorf("Arity f = %d %d %v", min, max, ok)
	}
	if min, max, ok := eval.Arity(g); !ok || min != 1 || max != -1 {
		t.Errorf("Arity g = %d %d %v", min, max, ok)
	}
	if eval.ProcedureName(f) != "f" || eval.Documentation(f) != "Doc of f." || !eval.IsProcedure(g) {
		t.Errorf("name %q doc %q", eval.ProcedureName(f), eval.Documentation(f))
	}
	if eval.IsProcedure(lang.MakeInt(1)) {
		t.Error("1 is not a procedure")
	}
}

// TestNativeModule checks a module made of Go definitions and a Scheme
// source of the same name, and a native macro following the contract of
// MacroFunc: module-qualified references and gensym temporaries.
func TestNativeModule(t *testing.T) {
	src := fstest.MapFS{
		"demo/mix.scm": {Data: []byte(`(define-module (demo mix) #:export (twice-square))
(define (twice-square x) (* 2 (go-square x)))`)},
	}
	th := eval.New(eval.Options{Stdout: &bytes.Buffer{}, Sources: []iofs.FS{src}})
	th.RegisterNativeModule([]string{"guile"}, func(th *eval.Thread, m *eval.Module) error {
		m.DefineBuiltins(testBuiltins)
		return nil
	})
	th.RegisterNativeModule([]string{"demo", "mix"}, func(th *eval.Thread, m *eval.Module) error {
		m.DefineBuiltins([]*eval.Builtin{{Name: "go-square", MinArgs: 1, MaxArgs: 1,
			Fn: func(_ *eval.Thread, a []lang.Value) (lang.Value, error) { return lang.Mul(a[0], a[0]) }}})
		// (swap-pair p) => (let ((tmp p)) (cons (cdr tmp) (car tmp))),
		// written with a gensym and module-qualified references.
		m.DefineNativeMacro("swap-pair", func(th *eval.Thread, form *lang.Pair, env *eval.MacroEnv) (lang.Value, error) {
			arg, ok := form.Cdr.(*lang.Pair)
			if !ok {
				return nil, eval.NewError(eval.KindSyntax, "swap-pair: expected (swap-pair expr)")
			}
			tmp := th.Gensym("tmp")
			ref := func(name string) lang.Value {
				return lang.List(lang.Intern("@"), lang.List(lang.Intern("guile")), lang.Intern(name))
			}
			return lang.List(ref("let"), lang.List(lang.List(tmp, arg.Car)),
				lang.List(ref("cons"), lang.List(ref("cdr"), tmp), lang.List(ref("car"), tmp))), nil
		})
		return nil
	})
	v := mustEval(t, th, `(use-modules (demo mix))
(list (go-square 3) (twice-square 3)
      (let ((car cdr) (cons list) (tmp 'user)) (swap-pair (cons tmp 2))))`)
	// In the user's let, cons is list, so (cons tmp 2) is (user 2);
	// swap-pair's own car, cdr and cons are the module-qualified ones and
	// its temporary does not capture the user's tmp.
	if got := lang.WriteString(v); got != "(9 18 ((2) . user))" {
		t.Errorf("got %s", got)
	}
	_, err := th.EvalString(&lang.Source{Name: "m"}, "(swap-pair)")
	if err == nil || !strings.Contains(eval.FormatError(err), "m:1:1: swap-pair: expected") {
		t.Errorf("native macro error: %v", err)
	}
}

func TestCancel(t *testing.T) {
	th := newTestThread(&bytes.Buffer{})
	done := make(chan error)
	go func() {
		_, err := th.EvalString(&lang.Source{Name: "loop"}, "(let loop () (loop))")
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	th.Cancel()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "interrupted") {
			t.Fatalf("got %v, want interrupted", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Cancel did not stop the loop")
	}
	// guard does not swallow an interrupt, and the Thread works afterwards.
	go func() {
		_, err := th.EvalString(&lang.Source{Name: "g"}, "(guard (e (#t 'swallowed)) (let loop () (loop)))")
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	th.Cancel()
	if err := <-done; err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("guard: got %v, want interrupted", err)
	}
	if v := mustEval(t, th, "(+ 1 2)"); lang.WriteString(v) != "3" {
		t.Fatal("thread unusable after cancel")
	}
}

func TestStepLimit(t *testing.T) {
	th := eval.New(eval.Options{StepLimit: 100000})
	_, err := th.EvalString(&lang.Source{Name: "s"}, "(let loop ((i 0)) (loop i))")
	if err == nil || !strings.Contains(err.Error(), "step limit") {
		t.Fatalf("got %v", err)
	}
}

// TestThreadsInParallel runs several Threads at once; run with -race it
// shows that they share no mutable state.
func TestThreadsInParallel(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			th := newTestThread(&bytes.Buffer{})
			v, err := th.EvalString(&lang.Source{Name: "p"}, `
(define-syntax my-or (syntax-rules () ((_ a b) (let ((t a)) (if t t b)))))
(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(define-record-type r (mk a) r? (a ra))
(my-or #f (list (fib 15) (ra (mk 'x)) (guard (e (#t 'caught)) (car 1))))`)
			if err != nil {
				errs <- err
				return
			}
			if got := lang.WriteString(v); got != "(610 x caught)" {
				errs <- errors.New(got)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestErrorObjectsFromGo(t *testing.T) {
	th := newTestThread(&bytes.Buffer{})
	_, err := th.EvalString(&lang.Source{Name: "e"}, "(car 5)")
	var te *eval.TypeError
	if !errors.As(err, &te) || te.Proc != "car" {
		t.Errorf("errors.As TypeError: %v", err)
	}
	if eval.ErrorKind(err) != eval.KindWrongType {
		t.Errorf("kind %s", eval.ErrorKind(err))
	}
	_, err = th.EvalString(&lang.Source{Name: "e"}, "(exit-now)")
	if err == nil {
		t.Fatal("want error")
	}
	if msg := eval.FormatError(err); !strings.HasPrefix(msg, "e:1:1: unbound variable `exit-now'") {
		t.Errorf("FormatError: %q", msg)
	}
}
