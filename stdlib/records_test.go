package stdlib_test

import (
	"bytes"
	"errors"
	"fmt"
	iofs "io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
)

// systemModule defines a record type in one module; the tests use it from
// another, as configurations use (fruix system).
const systemModule = `(define-module (test system)
  #:use-module (fruix records)
  #:export (operating-system operating-system? operating-system-host-name
            operating-system-kernel operating-system-issue this-operating-system
            <operating-system>))

(define (default-kernel) "generic")

(define-record-type* <operating-system> operating-system make-operating-system
  operating-system? this-operating-system
  (host-name operating-system-host-name)
  (kernel operating-system-kernel (default (default-kernel)))
  (issue operating-system-issue (thunked)
         (default (string-append "Welcome to " (operating-system-host-name this-operating-system)))))
`

func newSystemThread(out *bytes.Buffer) *eval.Thread {
	return stdlib.New(eval.Options{Stdout: out, Stderr: out,
		Sources: []iofs.FS{fstest.MapFS{"test/system.scm": {Data: []byte(systemModule)}}}})
}

// TestRecordsAcrossModules uses a record type, its syntactic constructor
// and its this-identifier from a module that imports them.
func TestRecordsAcrossModules(t *testing.T) {
	var out bytes.Buffer
	th := newSystemThread(&out)
	v, err := th.EvalString(&lang.Source{Name: "config.scm"}, `(use-modules (test system) (fruix records))
(define base (operating-system (host-name "vm")))
(define other (operating-system (inherit base) (host-name "box")))
(match-record other <operating-system> (host-name kernel issue)
  (list host-name kernel issue (operating-system-issue base)))`)
	if err != nil {
		t.Fatal(eval.FormatError(err))
	}
	if got, want := lang.WriteString(v), `("box" "generic" "Welcome to box" "Welcome to vm")`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestRecordErrorsInUsersFile checks that an unknown field is reported in
// the user's file, at the field, even when the type comes from a module.
func TestRecordErrorsInUsersFile(t *testing.T) {
	var out bytes.Buffer
	th := newSystemThread(&out)
	_, err := th.EvalString(&lang.Source{Name: "config.scm"}, "(use-modules (test system))\n(operating-system\n  (hostname \"vm\"))")
	var ex *eval.Exception
	if !errors.As(err, &ex) {
		t.Fatalf("got %v, want a Scheme error", err)
	}
	want := "config.scm:3:3: operating-system: unknown field `hostname'; did you mean `host-name'?"
	if got := ex.Error(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if strings.Contains(eval.FormatError(err), "goroutine") {
		t.Errorf("error looks like a panic: %s", eval.FormatError(err))
	}
}

// TestRecordMalformedDefinitions checks that malformed uses give
// positioned syntax errors, never panics.
func TestRecordMalformedDefinitions(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"(define-record-type* <t> t make-t)", "1:1: define-record-type*: bad syntax"},
		{"(define-record-type* <t> t make-t t? (a t-a) (a t-b))", "1:46: define-record-type* <t>: field `a' defined twice"},
		{"(define-record-type* <t> t make-t t? (a))", "1:38: define-record-type* t: bad field (a)"},
		{"(define-record-type* <t> t make-t t? (a t-a (thunked) (delayed)))", "1:38: define-record-type* t: field `a' cannot be both thunked and delayed"},
		{"(define-record-type* <t> t make-t t? (a t-a (default)))", "1:45: define-record-type* t: field `a': bad property (default)"},
		{"(define-record-type* <t> t make-t t? (a t-a))\n(t (a 1) b)", "2:1: t: bad field clause b"},
		{"(define-record-type* <t> t make-t t? (a t-a))\n(t (inherit (t (a 1))) (inherit (t (a 2))))", "2:24: t: inherit given twice"},
		{"(define-record-type* <t> t make-t t? (a t-a))\n(t (a 1 2))", "2:4: t: bad field clause (a 1 2)"},
		{"(define-record-type* <t> t make-t t? (a t-a) (b t-b))\n(t)", "2:1: t: missing fields `a', `b'"},
		{"(match-record 1 2)", "1:1: match-record: bad syntax"},
		{"(match-record 1 2 (3) 4)", "1:1: match-record: bad field 3"},
		{"(record-update 1 (a))", "1:18: record-update: bad field clause (a)"},
		{"(record-update 1 (a 1) (a 2))", "1:24: record-update: field `a' given twice"},
		{"(this-record)", "1:1: this-record: used outside a thunked field"},
	} {
		var out bytes.Buffer
		th := newThread(&out)
		_, err := th.EvalString(&lang.Source{Name: "t.scm"}, "(use-modules (fruix records))\n"+c.src)
		if err == nil {
			t.Errorf("%s: no error", c.src)
			continue
		}
		// The module import takes line 1 of the text.
		got := eval.FormatError(err)
		want := "t.scm:" + shiftLine(c.want)
		if !strings.HasPrefix(got, want) {
			t.Errorf("%s:\ngot  %s\nwant %s...", c.src, got, want)
		}
	}
}

func shiftLine(pos string) string {
	var line int
	var rest string
	fmt.Sscanf(pos, "%d:", &line)
	_, rest, _ = strings.Cut(pos, ":")
	return fmt.Sprint(line+1) + ":" + rest
}

// BenchmarkRecordConstruct compares, in one run, building a record with
// four fields (one given, two defaults, one thunked default, one
// sanitized) through define-record-type*'s syntactic constructor, through
// its positional constructor, and with SRFI-9 define-record-type.
func BenchmarkRecordConstruct(b *testing.B) {
	var out bytes.Buffer
	th := newThread(&out)
	_, err := th.EvalString(&lang.Source{Name: "b.scm"}, `(use-modules (fruix records))
(define-record-type* <thing> thing make-thing thing? this-thing
  (name thing-name)
  (size thing-size (default 42))
  (label thing-label (thunked) (default (thing-name this-thing)))
  (count thing-count (sanitize (lambda (n) n)) (default 0)))
(define-record-type <plain> (make-plain name size label count) plain?
  (name plain-name) (size plain-size) (label plain-label) (count plain-count))
(define (syntactic n)
  (let loop ((i 0) (last #f))
    (if (= i n) last (loop (+ i 1) (thing (name "x") (count i))))))
(define (positional n)
  (let loop ((i 0) (last #f))
    (if (= i n) last (loop (+ i 1) (make-thing "x" 42 (lambda (r) (thing-name r)) i)))))
(define (srfi-9 n)
  (let loop ((i 0) (last #f))
    (if (= i n) last (loop (+ i 1) (make-plain "x" 42 (lambda (r) (plain-name r)) i)))))`)
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"syntactic", "positional", "srfi-9"} {
		proc, _ := th.Lookup(name)
		b.Run(name, func(b *testing.B) {
			if _, err := th.Call(proc, lang.MakeInt(int64(b.N))); err != nil {
				b.Fatal(err)
			}
		})
	}
}

// BenchmarkRecordExpand measures expanding and evaluating a type
// definition with six fields and one use of its constructor.
func BenchmarkRecordExpand(b *testing.B) {
	var out bytes.Buffer
	th := newThread(&out)
	if _, err := th.EvalString(&lang.Source{Name: "b.scm"}, "(use-modules (fruix records))"); err != nil {
		b.Fatal(err)
	}
	src := `(define-record-type* <thing> thing make-thing thing? this-thing
  (name thing-name)
  (size thing-size (default 42))
  (label thing-label (default (string-append "x" (thing-name this-thing))) (thunked))
  (lazy thing-lazy (delayed))
  (kind thing-kind (innate) (default 'base))
  (count thing-count (sanitize (lambda (n) n)) (default 0)))
(thing (name "a") (lazy 1) (size 3))`
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := th.EvalString(&lang.Source{Name: "b.scm"}, src); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRecordFieldValue reads fields from Go, running thunks.
func TestRecordFieldValue(t *testing.T) {
	var out bytes.Buffer
	th := newSystemThread(&out)
	v, err := th.EvalString(&lang.Source{Name: "config.scm"}, `(use-modules (test system)) (operating-system (host-name "vm"))`)
	if err != nil {
		t.Fatal(err)
	}
	r := v.(*eval.Record)
	issue, err := stdlib.RecordFieldValue(th, r, "issue")
	if err != nil || lang.WriteString(issue) != `"Welcome to vm"` {
		t.Errorf("issue = %v, %v", issue, err)
	}
	if _, err := stdlib.RecordFieldValue(th, r, "hostname"); err == nil || !strings.Contains(err.Error(), "did you mean `host-name'?") {
		t.Errorf("unknown field: %v", err)
	}
}
