package stdlib_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
)

// configProgram declares a small configuration of every kind of
// file-like object; %HOST% is replaced by a host name, so that tests can
// change exactly one field.
const configProgram = `
(use-modules (fruix gexp))
(define host-name "%HOST%")
(define hosts (plain-file "hosts" (string-append "127.0.0.1 localhost " host-name "\n")))
(define resolv (plain-file "resolv.conf" "nameserver 192.0.2.1\n"))
(define motd (local-file "testdata/gexp/files/motd"))
(define etc-tree (local-file "testdata/gexp/files/etc" "etc-tree" #:recursive? #t))
(define rc (mixed-text-file "rc.conf" "hostname=\"" host-name "\"\n" "resolv=" resolv "\n"))
(define conf (scheme-file "conf.scm" #~(define resolv #$resolv)))
(define greeting
  (computed-file "greeting"
    #~(call-with-output-file #$output
        (lambda (port) (display (string-append "hosts: " #$hosts) port)))))
(define quiet
  (computed-file "quiet"
    (with-imported-modules '((fruix build utils))
      #~(begin (use-modules (fruix build utils)) (mkdir-p #$output) (copy-file #$resolv (string-append #$output "/resolv.conf"))))))
(define greet (program-file "greet" #~(display "hello\n")))
(define etc
  (file-union "etc" (list (list "hosts" hosts) (list "resolv.conf" resolv) (list "motd" motd)
                          (list "rc.conf" rc) (list "conf.scm" conf) (list "tree" etc-tree))))
(define tools (file-union "tools" (list (list "bin/greet" greet) (list "share/greeting" greeting))))
(directory-union "system" (list etc tools quiet))
`

func config(host string) string { return strings.ReplaceAll(configProgram, "%HOST%", host) }

// lowerProgram evaluates src (file-relative names resolve from the
// package directory) and lowers its value.
func lowerProgram(t testing.TB, th *eval.Thread, src string) *stdlib.Lowered {
	t.Helper()
	v, err := th.EvalString(&lang.Source{Name: "config.scm"}, src)
	if err != nil {
		t.Fatal(err)
	}
	if !stdlib.Lowerable(th, v) {
		t.Fatalf("%s does not lower", lang.WriteString(v))
	}
	l, err := stdlib.Lower(th, v)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// graphSummary is what a lowered graph puts in the store: each .drv
// path with its text, each source path with a hash of its content.
type graphSummary struct {
	Root        string
	Derivations map[string]string
	Sources     map[string]string
}

func summarize(t testing.TB, th *eval.Thread, l *stdlib.Lowered) graphSummary {
	t.Helper()
	g, err := stdlib.GraphOf(th, l)
	if err != nil {
		t.Fatal(err)
	}
	s := graphSummary{Root: l.Path(), Derivations: map[string]string{}, Sources: map[string]string{}}
	for p, d := range g.Derivations.Nodes {
		s.Derivations[p] = string(d.ATerm())
	}
	for p, src := range g.Sources {
		h := sha256.New()
		h.Write(src.Text)
		for _, f := range src.Files {
			h.Write([]byte(f.Name))
			h.Write(f.Data)
		}
		h.Write([]byte(src.LocalFile))
		s.Sources[p] = hex.EncodeToString(h.Sum(nil))
	}
	return s
}

func newQuietThread() *eval.Thread {
	var out bytes.Buffer
	return newThread(&out)
}

// TestLowerDeterministic: the same program gives byte-identical .drv
// texts and the same paths in two threads and in two processes.
func TestLowerDeterministic(t *testing.T) {
	if os.Getenv("FRUIX_LOWER_CHILD") == "1" {
		th := newQuietThread()
		b, _ := json.Marshal(summarize(t, th, lowerProgram(t, th, config("vm"))))
		os.Stdout.Write(b)
		return
	}
	th1, th2 := newQuietThread(), newQuietThread()
	a := summarize(t, th1, lowerProgram(t, th1, config("vm")))
	b := summarize(t, th2, lowerProgram(t, th2, config("vm")))
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("two threads disagree:\n%+v\n%+v", a, b)
	}
	if len(a.Derivations) < 6 || len(a.Sources) < 10 {
		t.Fatalf("graph too small to mean anything: %d derivations, %d sources", len(a.Derivations), len(a.Sources))
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLowerDeterministic$")
	cmd.Env = append(os.Environ(), "FRUIX_LOWER_CHILD=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child process: %v", err)
	}
	end := bytes.LastIndexByte(out, '}')
	var c graphSummary
	if end < 0 || json.Unmarshal(out[:end+1], &c) != nil {
		t.Fatalf("child process printed %q", out)
	}
	if !reflect.DeepEqual(a, c) {
		t.Fatalf("two processes disagree:\n%+v\n%+v", a, c)
	}
}

// TestLowerChangeOneField: changing the host name changes the paths of
// exactly what depends on it — the files that mention it and everything
// built from them — and nothing else.
func TestLowerChangeOneField(t *testing.T) {
	paths := func(host string) (map[string]string, map[string][]string) {
		th := newQuietThread()
		l := lowerProgram(t, th, config(host))
		g, err := stdlib.GraphOf(th, l)
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]string{} // store name -> path
		deps := map[string][]string{} // name -> names it uses
		// Store names, told apart for module trees, which share theirs.
		name := func(p string) string {
			n := p[strings.IndexByte(p, '-')+1:]
			if s := g.Sources[p]; s != nil && s.Kind == stdlib.SourceTree {
				for _, f := range s.Files {
					n += " " + f.Name
				}
			}
			return n
		}
		for p, d := range g.Derivations.Nodes {
			byName[name(p)] = p
			for in := range d.InputDrvs {
				deps[name(p)] = append(deps[name(p)], name(in))
				// The builder script names the input's output paths.
				deps[name(d.Args[0])] = append(deps[name(d.Args[0])], name(in))
			}
			for _, s := range d.InputSrcs {
				deps[name(p)] = append(deps[name(p)], name(s))
			}
		}
		for p, s := range g.Sources {
			byName[name(p)] = p
			for _, r := range s.Refs {
				deps[name(p)] = append(deps[name(p)], name(r))
			}
		}
		return byName, deps
	}
	before, deps := paths("vm")
	after, _ := paths("vm2")
	if !reflect.DeepEqual(keys(before), keys(after)) {
		t.Fatalf("the graph's shape changed: %v vs %v", keys(before), keys(after))
	}
	// What depends on the two texts that mention the host name.
	dependent := map[string]bool{"hosts": true, "rc.conf": true}
	for changed := true; changed; {
		changed = false
		for n, uses := range deps {
			for _, u := range uses {
				if dependent[u] && !dependent[n] {
					dependent[n], changed = true, true
				}
			}
		}
	}
	var wrong []string
	for n, p := range before {
		if (p != after[n]) != dependent[n] {
			wrong = append(wrong, n)
		}
	}
	if len(wrong) > 0 {
		t.Errorf("paths that changed when they should not, or did not when they should: %v (dependent: %v)", wrong, keys(boolKeys(dependent)))
	}
	for _, n := range []string{"resolv.conf", "motd", "etc-tree", "greet.drv", "quiet.drv", "greeting.drv", "hosts", "etc.drv", "system.drv"} {
		if _, ok := before[n]; !ok {
			t.Errorf("%s missing from the graph", n)
		}
	}
	if !dependent["system.drv"] || dependent["quiet.drv"] || dependent["resolv.conf"] {
		t.Errorf("dependency analysis is off: %v", keys(boolKeys(dependent)))
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func boolKeys(m map[string]bool) map[string]bool {
	out := map[string]bool{}
	for k, v := range m {
		if v {
			out[k] = true
		}
	}
	return out
}

// TestLowerMemoized: lowering the same object again returns the same
// result, and makes no new derivation or source.
func TestLowerMemoized(t *testing.T) {
	th := newQuietThread()
	v, err := th.EvalString(&lang.Source{Name: "config.scm"}, config("vm"))
	if err != nil {
		t.Fatal(err)
	}
	l1, err := stdlib.Lower(th, v)
	if err != nil {
		t.Fatal(err)
	}
	g1, _ := stdlib.GraphOf(th, l1)
	l2, err := stdlib.Lower(th, v)
	if err != nil {
		t.Fatal(err)
	}
	if l1 != l2 {
		t.Fatalf("second lowering gave a new result")
	}
	// The graph of one root is computed once and shared: asking again
	// walks nothing.
	if g2, _ := stdlib.GraphOf(th, l2); g1 == nil || g2 != g1 {
		t.Fatalf("the graph of the same root was computed again")
	}
}

// TestLowerWritesNothing: computing the graph for a store directory that
// does not exist creates nothing, and leaves local files untouched.
func TestLowerWritesNothing(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	th := newQuietThread()
	src := strings.Replace(config("vm"), "(directory-union", `(parameterize ((%store-directory "`+store+`")) (lower-object (directory-union`, 1) + "))"
	src = strings.Replace(src, "(use-modules (fruix gexp))", "(use-modules (fruix gexp) (fruix derivations))", 1)
	v, err := th.EvalString(&lang.Source{Name: "config.scm"}, src)
	if err != nil {
		t.Fatal(err)
	}
	d, ok := v.(*stdlib.Derivation)
	if !ok || !strings.HasPrefix(d.File, store+"/") {
		t.Fatalf("got %s, want a derivation in %s", lang.WriteString(v), store)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 0 {
		t.Fatalf("lowering wrote into %s: %v %v", dir, entries, err)
	}
}

// TestGraphOfFileLikes: the graph holds every source the builds need —
// texts, local files, builder scripts, module trees — and orders them so
// that a text comes after the sources it refers to.
func TestGraphOfFileLikes(t *testing.T) {
	th := newQuietThread()
	l := lowerProgram(t, th, config("vm"))
	g, err := stdlib.GraphOf(th, l)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[stdlib.SourceKind]int{}
	for _, s := range g.Sources {
		kinds[s.Kind]++
	}
	if kinds[stdlib.SourceText] < 8 || kinds[stdlib.SourceTree] < 1 || kinds[stdlib.SourceLocal] != 2 {
		t.Errorf("source kinds %v: want texts, a module tree and two local files", kinds)
	}
	pos := map[string]int{}
	for i, p := range g.SourceOrder() {
		pos[p] = i
	}
	refs := 0
	for p, s := range g.Sources {
		for _, r := range s.Refs {
			refs++
			if pos[r] >= pos[p] {
				t.Errorf("%s comes before %s, which it refers to", p, r)
			}
		}
	}
	if refs == 0 {
		t.Errorf("no source refers to another: the scheme-file and mixed-text-file should")
	}
	order, err := g.Derivations.TopoOrder()
	if err != nil || len(order) != len(g.Derivations.Nodes) {
		t.Fatalf("topological order: %v, %d of %d", err, len(order), len(g.Derivations.Nodes))
	}
	if order[len(order)-1] != l.Drv.File {
		t.Errorf("the root %s is not last in %v", l.Drv.File, order)
	}
	for _, p := range order {
		for _, s := range g.Derivations.Nodes[p].InputSrcs {
			if g.Sources[s] == nil {
				t.Errorf("%s: source %s missing from the graph", p, s)
			}
		}
	}
}

// TestRegisterGexpCompilerFromGo: a record type whose lowering is
// written in Go lowers, and is inserted in gexps, like a file-like.
func TestRegisterGexpCompilerFromGo(t *testing.T) {
	th := newQuietThread()
	v, err := th.EvalString(&lang.Source{Name: "rec.scm"}, `(use-modules (srfi srfi-9))
(define-record-type <banner> (make-banner text) banner? (text banner-text))
<banner>`)
	if err != nil {
		t.Fatal(err)
	}
	rt := v.(*eval.RecordType)
	stdlib.RegisterGexpCompiler(th, rt, func(th *eval.Thread, rec *eval.Record, system string) (lang.Value, error) {
		return &stdlib.PlainFile{Name: "banner-" + system, Content: []byte(lang.DisplayString(rec.Fields[0]))}, nil
	})
	v, err = th.EvalString(&lang.Source{Name: "use.scm"}, `(use-modules (fruix gexp))
(list (lower-object (make-banner "hi")) (lower-object (plain-file "banner-x86_64-freebsd" "hi"))
      (gexp->sexp #~(cat #$(make-banner "hi"))))`)
	if err != nil {
		t.Fatal(err)
	}
	items := lang.WriteString(v)
	var got []string
	for _, f := range strings.Fields(strings.Trim(items, "()")) {
		got = append(got, strings.Trim(f, `"()`))
	}
	if len(got) != 4 || got[0] != got[1] || got[3] != got[0] {
		t.Fatalf("got %s", items)
	}
}

// TestSchemeDerivationShape pins the builtin:scheme contract the build
// side relies on: the builder, its one argument (the script), the
// script's text, the environment and the module tree.
func TestSchemeDerivationShape(t *testing.T) {
	th := newQuietThread()
	v, err := th.EvalString(&lang.Source{Name: "shape.scm"}, `(use-modules (fruix gexp))
(define hosts (plain-file "hosts" "127.0.0.1 localhost\n"))
(define plain (computed-file "plain" #~(symlink #$hosts #$output)))
(computed-file "shape"
  (with-imported-modules '((fruix build utils))
    #~(begin (use-modules (fruix build utils))
             (mkdir-p #$output:doc)
             (copy-file #$plain (string-append #$output "/plain")))))`)
	if err != nil {
		t.Fatal(err)
	}
	l, err := stdlib.Lower(th, v)
	if err != nil {
		t.Fatal(err)
	}
	d := l.Drv.Drv
	if d.Builder != "builtin:scheme" || len(d.Args) != 1 || d.System != stdlib.DefaultSystem {
		t.Fatalf("builder %q args %q system %q", d.Builder, d.Args, d.System)
	}
	script := stdlib.LookupSource(th, d.Args[0])
	if script == nil || script.Kind != stdlib.SourceText || script.Name != "shape-builder" {
		t.Fatalf("script source %+v", script)
	}
	plain, _ := th.EvalString(&lang.Source{Name: "p.scm"}, "plain")
	pl, err := stdlib.Lower(th, plain)
	if err != nil {
		t.Fatal(err)
	}
	want := `(begin (use-modules (fruix build utils)) (mkdir-p ((@ (guile) getenv) "doc")) (copy-file "` +
		pl.Outputs["out"] + `" (string-append ((@ (guile) getenv) "out") "/plain")))` + "\n"
	if string(script.Text) != want {
		t.Errorf("script:\n%s\nwant:\n%s", script.Text, want)
	}
	if len(script.Refs) != 0 {
		t.Errorf("script refers to %v; a derivation output cannot be a reference of a source", script.Refs)
	}
	if d.Env["FRUIX_BUILTIN_VERSION"] != "1" || d.Env["out"] != l.Outputs["out"] || d.Env["doc"] != l.Outputs["doc"] {
		t.Errorf("env %v", d.Env)
	}
	tree := stdlib.LookupSource(th, d.Env["FRUIX_MODULES"])
	if tree == nil || tree.Kind != stdlib.SourceTree || len(tree.Files) != 1 || tree.Files[0].Name != "fruix/build/utils.scm" {
		t.Fatalf("module tree %+v", tree)
	}
	utils, err := fs.ReadFile(stdlib.Sources(), "fruix/build/utils.scm")
	if err != nil || !bytes.Equal(utils, tree.Files[0].Data) {
		t.Errorf("the shipped utils.scm is not the library's: %v", err)
	}
	wantSrcs := []string{script.Path, tree.Path}
	sort.Strings(wantSrcs)
	if !reflect.DeepEqual(d.InputSrcs, wantSrcs) {
		t.Errorf("sources %v, want %v", d.InputSrcs, wantSrcs)
	}
	if outs := d.InputDrvs[pl.Drv.File]; len(d.InputDrvs) != 1 || !reflect.DeepEqual(outs, []string{"out"}) {
		t.Errorf("inputs %v", d.InputDrvs)
	}
}
