package stdlib

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// File-like objects: values that stand for a file or directory in the
// store, made when they are lowered. An escape in a gexp inserts their
// store path and makes the build depend on them.

// fileLike is implemented by every file-like object type.
type fileLike interface {
	lang.Named
	lower(lw *lowering) (*Lowered, error)
}

func isFileLike(v lang.Value) bool {
	_, ok := v.(fileLike)
	return ok
}

// PlainFile is (plain-file name content): a text file given in full.
type PlainFile struct {
	Name    string
	Content []byte
}

// LocalFile is (local-file file ...): a file or directory of the host,
// read when it is lowered.
type LocalFile struct {
	Name      string
	File      string // as the user wrote it
	AbsPath   string
	Recursive bool
	Select    lang.Value // #:select?, a predicate (file stat), or nil
	pos       lang.Pos   // where the local-file call is written
}

// ComputedFile is (computed-file name gexp): the output of a build step.
type ComputedFile struct {
	Name string
	Gexp *Gexp
	opts schemeDrvOptions // from #:options, gexp->derivation's keywords
}

// ProgramFile is (program-file name gexp): an executable script running
// gexp's code.
type ProgramFile struct {
	Name        string
	Gexp        *Gexp
	Interpreter lang.Value // a string, or a file-like (its path)
}

// SchemeFile is (scheme-file name exp): a file holding the code of exp.
type SchemeFile struct {
	Name   string
	Exp    lang.Value // a gexp, or plain data
	Splice bool
}

// MixedTextFile is (mixed-text-file name part ...): the concatenation of
// strings and the store paths of file-like objects.
type MixedTextFile struct {
	Name  string
	Parts []lang.Value
}

// TextFile is (text-file name content [references]): a text that names
// store items in its content and says so.
type TextFile struct {
	Name       string
	Content    string
	References []lang.Value // file-like objects the text refers to
}

// FileAppend is (file-append obj suffix ...): the store path of obj
// followed by suffixes, such as a program inside a package.
type FileAppend struct {
	Base   lang.Value
	Suffix []string
}

// FileUnion is (file-union name ((target file) ...)): a directory of
// symbolic links to the files, at the relative targets.
type FileUnion struct {
	Name    string
	Entries []FileUnionEntry
}

// FileUnionEntry is one target of a file union.
type FileUnionEntry struct {
	Target string
	File   lang.Value
}

// DirectoryUnion is (directory-union name things #:copy? #:quiet?
// #:resolve-collision): the union of the directories things, as symbolic
// links or copies.
type DirectoryUnion struct {
	Name   string
	Things []lang.Value
	Copy   bool // files are copied, not linked (directories still are)
	Quiet  bool // collisions are not reported
	// ResolveCollision chooses among files that collide, in the build: a
	// symbol naming a procedure there (warn-about-collision, first, last)
	// or a gexp of one; nil for warn-about-collision.
	ResolveCollision lang.Value
}

func (*PlainFile) TypeName() string      { return "plain-file" }
func (*LocalFile) TypeName() string      { return "local-file" }
func (*ComputedFile) TypeName() string   { return "computed-file" }
func (*ProgramFile) TypeName() string    { return "program-file" }
func (*SchemeFile) TypeName() string     { return "scheme-file" }
func (*MixedTextFile) TypeName() string  { return "mixed-text-file" }
func (*TextFile) TypeName() string       { return "text-file" }
func (*FileAppend) TypeName() string     { return "file-append" }
func (*FileUnion) TypeName() string      { return "file-union" }
func (*DirectoryUnion) TypeName() string { return "directory-union" }

func printNamed(p *lang.Printer, typ, name string, extra ...string) {
	p.WriteRaw("#<" + typ + " ")
	p.Print(lang.NewString(name))
	for _, e := range extra {
		p.WriteRaw(" " + e)
	}
	p.WriteRaw(">")
}

func (f *PlainFile) PrintScheme(p *lang.Printer, _ bool) { printNamed(p, "plain-file", f.Name) }
func (f *LocalFile) PrintScheme(p *lang.Printer, _ bool) {
	printNamed(p, "local-file", f.Name, "at", lang.WriteString(lang.NewString(f.AbsPath)))
}
func (f *ComputedFile) PrintScheme(p *lang.Printer, _ bool) { printNamed(p, "computed-file", f.Name) }
func (f *ProgramFile) PrintScheme(p *lang.Printer, _ bool)  { printNamed(p, "program-file", f.Name) }
func (f *SchemeFile) PrintScheme(p *lang.Printer, _ bool)   { printNamed(p, "scheme-file", f.Name) }
func (f *MixedTextFile) PrintScheme(p *lang.Printer, _ bool) {
	printNamed(p, "mixed-text-file", f.Name)
}
func (f *TextFile) PrintScheme(p *lang.Printer, _ bool) { printNamed(p, "text-file", f.Name) }
func (f *FileUnion) PrintScheme(p *lang.Printer, _ bool) {
	printNamed(p, "file-union", f.Name, fmt.Sprintf("(%d entries)", len(f.Entries)))
}
func (f *DirectoryUnion) PrintScheme(p *lang.Printer, _ bool) {
	printNamed(p, "directory-union", f.Name, fmt.Sprintf("(%d inputs)", len(f.Things)))
}
func (f *FileAppend) PrintScheme(p *lang.Printer, _ bool) {
	p.WriteRaw("#<file-append ")
	p.Print(f.Base)
	p.WriteRaw(" ")
	p.Print(lang.NewString(strings.Join(f.Suffix, "")))
	p.WriteRaw(">")
}

// keywordArgs reads #:key value pairs; first is the 0-based index of
// rest[0] among the procedure's arguments.
func keywordArgs(proc string, rest []lang.Value, first int, allowed ...string) (map[string]lang.Value, error) {
	kw := map[string]lang.Value{}
	for i := 0; i < len(rest); i += 2 {
		k, ok := rest[i].(*lang.Keyword)
		if !ok {
			return nil, wrongType(proc, first+i, "keyword such as #:"+allowed[0], rest[i])
		}
		known := false
		for _, a := range allowed {
			known = known || a == k.Name
		}
		if !known {
			names := make([]string, len(allowed))
			for j, a := range allowed {
				names[j] = "#:" + a
			}
			return nil, procErrorf(proc, "unknown keyword #:%s%s (known: %s)", k.Name, didYouMean("#:"+k.Name, names), strings.Join(names, " "))
		}
		if i+1 == len(rest) {
			return nil, procErrorf(proc, "#:%s without a value", k.Name)
		}
		if _, dup := kw[k.Name]; dup {
			return nil, procErrorf(proc, "#:%s given twice", k.Name)
		}
		kw[k.Name] = rest[i+1]
	}
	return kw, nil
}

// argStoreName reads a name for a store path.
func argStoreName(proc string, args []lang.Value, i int) (string, error) {
	s, err := argString(proc, args, i)
	if err != nil {
		return "", err
	}
	if err := derivation.ValidateName(s.String()); err != nil {
		return "", rangeErrorf(proc, i, "%q cannot name a store item: %v", s.String(), err)
	}
	return s.String(), nil
}

func argGexp(proc string, args []lang.Value, i int) (*Gexp, error) {
	if g, ok := args[i].(*Gexp); ok {
		return g, nil
	}
	return nil, wrongType(proc, i, "gexp (#~...)", args[i])
}

// insertable reports whether v can be inserted as a file name: a
// file-like object, a derivation, a gexp-input of one, or a record that
// lowers.
func insertable(th *eval.Thread, v lang.Value) bool {
	if in, ok := v.(*GexpInput); ok {
		v = in.Thing
	}
	return Lowerable(th, v)
}

var fileLikeBuiltins = []*eval.Builtin{
	{Name: "plain-file", MinArgs: 2, MaxArgs: 2, Fn: makePlainFile,
		Doc: "(plain-file name content): a file in the store holding content, a string or a bytevector."},
	{Name: "computed-file", MinArgs: 2, MaxArgs: -1, Fn: makeComputedFile,
		Doc: "(computed-file name gexp #:options '(#:env-vars ... )): the output of a build running gexp, which writes #$output."},
	{Name: "program-file", MinArgs: 2, MaxArgs: 4, Fn: makeProgramFile,
		Doc: "(program-file name gexp #:interpreter \"/usr/bin/env -S fruix-eval -s\"): an executable script that runs gexp's code."},
	{Name: "scheme-file", MinArgs: 2, MaxArgs: 4, Fn: makeSchemeFile,
		Doc: "(scheme-file name exp #:splice? #f): a file holding the code of exp (a gexp); with #:splice?, exp's forms one after another."},
	{Name: "mixed-text-file", MinArgs: 1, MaxArgs: -1, Fn: makeMixedTextFile,
		Doc: "(mixed-text-file name part ...): a text file concatenating strings and the store paths of file-like objects."},
	{Name: "text-file", MinArgs: 2, MaxArgs: 3, Fn: makeTextFile,
		Doc: "(text-file name content [references]): a text file holding the string content, which refers to the file-like objects references (their store paths appear in content)."},
	{Name: "file-append", MinArgs: 1, MaxArgs: -1, Fn: makeFileAppend,
		Doc: "(file-append obj suffix ...): the store path of obj followed by the suffixes, as a gexp inserts it."},
	{Name: "file-union", MinArgs: 2, MaxArgs: 2, Fn: makeFileUnion,
		Doc: "(file-union name '((target file) ...)): a directory with a symbolic link to each file at its relative target."},
	{Name: "directory-union", MinArgs: 2, MaxArgs: -1, Fn: makeDirectoryUnion,
		Doc: "(directory-union name things #:copy? #f #:quiet? #f #:resolve-collision 'warn-about-collision): a directory merging the directories things with symbolic links (copies of the files with #:copy?); one thing is itself."},
	{Name: "lower-object", MinArgs: 1, MaxArgs: 2, Fn: lowerObject,
		Doc: "(lower-object obj [system]): the derivation obj lowers to, or the store path of its source file; nothing is written."},
	{Name: "gexp->derivation", MinArgs: 2, MaxArgs: -1, Fn: gexpToDerivation,
		Doc: "(gexp->derivation name gexp #:system #:env-vars #:outputs #:hash #:hash-algo #:recursive? #:modules): the builtin:scheme derivation running gexp."},
	{Name: "%register-gexp-compiler!", MinArgs: 2, MaxArgs: 3, Fn: registerGexpCompiler,
		Doc: "(%register-gexp-compiler! record-type compiler [expander]): what define-gexp-compiler expands to."},
	{Name: "file-like?", MinArgs: 1, MaxArgs: 1, Doc: "Is obj a file-like object (or a record whose type has a gexp compiler)?",
		Fn: func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
			_, isDrv := args[0].(*Derivation)
			return lang.MakeBool(Lowerable(th, args[0]) && !isDrv), nil
		}},
	fileLikePredicate[*PlainFile]("plain-file?"),
	fileLikePredicate[*LocalFile]("local-file?"),
	fileLikePredicate[*ComputedFile]("computed-file?"),
	fileLikePredicate[*ProgramFile]("program-file?"),
	fileLikePredicate[*SchemeFile]("scheme-file?"),
	fileLikePredicate[*MixedTextFile]("mixed-text-file?"),
	fileLikePredicate[*TextFile]("text-file?"),
	fileLikePredicate[*FileAppend]("file-append?"),
	fileLikePredicate[*FileUnion]("file-union?"),
	fileLikePredicate[*DirectoryUnion]("directory-union?"),
	fileLikeGetter("plain-file-name", "plain-file", func(f *PlainFile) lang.Value { return lang.NewString(f.Name) }),
	fileLikeGetter("plain-file-content", "plain-file", func(f *PlainFile) lang.Value { return lang.NewString(string(f.Content)) }),
	fileLikeGetter("local-file-name", "local-file", func(f *LocalFile) lang.Value { return lang.NewString(f.Name) }),
	fileLikeGetter("local-file-file", "local-file", func(f *LocalFile) lang.Value { return lang.NewString(f.File) }),
	fileLikeGetter("local-file-absolute-file-name", "local-file", func(f *LocalFile) lang.Value { return lang.NewString(f.AbsPath) }),
	fileLikeGetter("local-file-recursive?", "local-file", func(f *LocalFile) lang.Value { return lang.MakeBool(f.Recursive) }),
	fileLikeGetter("computed-file-name", "computed-file", func(f *ComputedFile) lang.Value { return lang.NewString(f.Name) }),
	fileLikeGetter("computed-file-gexp", "computed-file", func(f *ComputedFile) lang.Value { return f.Gexp }),
	fileLikeGetter("program-file-name", "program-file", func(f *ProgramFile) lang.Value { return lang.NewString(f.Name) }),
	fileLikeGetter("program-file-gexp", "program-file", func(f *ProgramFile) lang.Value { return f.Gexp }),
	fileLikeGetter("scheme-file-name", "scheme-file", func(f *SchemeFile) lang.Value { return lang.NewString(f.Name) }),
	fileLikeGetter("file-append-base", "file-append", func(f *FileAppend) lang.Value { return f.Base }),
	fileLikeGetter("file-append-suffix", "file-append", func(f *FileAppend) lang.Value { return stringList(f.Suffix) }),
	fileLikeGetter("file-union-name", "file-union", func(f *FileUnion) lang.Value { return lang.NewString(f.Name) }),
}

func fileLikePredicate[T lang.Value](name string) *eval.Builtin {
	return &eval.Builtin{Name: name, MinArgs: 1, MaxArgs: 1, Doc: "Is obj a " + strings.TrimSuffix(name, "?") + "?",
		Fn: func(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
			_, ok := args[0].(T)
			return lang.MakeBool(ok), nil
		}}
}

func fileLikeGetter[T lang.Value](name, typ string, get func(T) lang.Value) *eval.Builtin {
	return &eval.Builtin{Name: name, MinArgs: 1, MaxArgs: 1, Doc: "The " + strings.TrimPrefix(name, typ+"-") + " of a " + typ + ".",
		Fn: func(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
			f, ok := args[0].(T)
			if !ok {
				return nil, wrongType(name, 0, typ, args[0])
			}
			return get(f), nil
		}}
}

func makePlainFile(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
	name, err := argStoreName("plain-file", args, 0)
	if err != nil {
		return nil, err
	}
	switch c := args[1].(type) {
	case *lang.String:
		return &PlainFile{Name: name, Content: []byte(c.String())}, nil
	case *lang.Bytevector:
		return &PlainFile{Name: name, Content: append([]byte(nil), c.Bytes...)}, nil
	}
	return nil, wrongType("plain-file", 1, "string or bytevector", args[1])
}

func makeComputedFile(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
	name, err := argStoreName("computed-file", args, 0)
	if err != nil {
		return nil, err
	}
	g, err := argGexp("computed-file", args, 1)
	if err != nil {
		return nil, err
	}
	kw, err := keywordArgs("computed-file", args[2:], 2, "options", "local-build?")
	if err != nil {
		return nil, err
	}
	f := &ComputedFile{Name: name, Gexp: g}
	if v, ok := kw["options"]; ok {
		opts, ok := listArgs(v)
		if !ok {
			return nil, procErrorf("computed-file", "#:options: want a list of gexp->derivation keyword arguments such as '(#:env-vars ((\"A\" . \"b\"))), got %s", lang.WriteString(v))
		}
		if f.opts, err = parseSchemeDrvOptions("computed-file", opts, 0); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// DefaultInterpreter is the #! line program-file writes when it is given
// no #:interpreter: Fruix's evaluator, found on PATH, running the file as
// a script (its arguments go to the program, its last value is not
// printed). env -S splits the line on FreeBSD and Linux alike.
const DefaultInterpreter = "/usr/bin/env -S fruix-eval -s"

func makeProgramFile(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	name, err := argStoreName("program-file", args, 0)
	if err != nil {
		return nil, err
	}
	g, err := argGexp("program-file", args, 1)
	if err != nil {
		return nil, err
	}
	kw, err := keywordArgs("program-file", args[2:], 2, "interpreter")
	if err != nil {
		return nil, err
	}
	f := &ProgramFile{Name: name, Gexp: g, Interpreter: lang.NewString(DefaultInterpreter)}
	if v, ok := kw["interpreter"]; ok {
		s, isString := v.(*lang.String)
		if !(isString && strings.HasPrefix(s.String(), "/")) && !insertable(th, v) {
			return nil, procErrorf("program-file", "#:interpreter: want an absolute file name (a string such as \"/bin/sh\"), a file-append or a file-like object, got %s", lang.WriteString(v))
		}
		f.Interpreter = v
	}
	return f, nil
}

func makeSchemeFile(_ *eval.Thread, args []lang.Value) (lang.Value, error) {
	name, err := argStoreName("scheme-file", args, 0)
	if err != nil {
		return nil, err
	}
	kw, err := keywordArgs("scheme-file", args[2:], 2, "splice?")
	if err != nil {
		return nil, err
	}
	f := &SchemeFile{Name: name, Exp: args[1]}
	if v, ok := kw["splice?"]; ok {
		f.Splice = v != lang.Value(lang.False)
	}
	return f, nil
}

func makeMixedTextFile(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	name, err := argStoreName("mixed-text-file", args, 0)
	if err != nil {
		return nil, err
	}
	for i, p := range args[1:] {
		if _, ok := p.(*lang.String); ok {
			continue
		}
		if insertable(th, p) {
			continue
		}
		return nil, wrongType("mixed-text-file", i+1, "string or file-like object", p)
	}
	return &MixedTextFile{Name: name, Parts: append([]lang.Value(nil), args[1:]...)}, nil
}

func makeTextFile(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	name, err := argStoreName("text-file", args, 0)
	if err != nil {
		return nil, err
	}
	content, err := argString("text-file", args, 1)
	if err != nil {
		return nil, err
	}
	f := &TextFile{Name: name, Content: content.String()}
	if len(args) == 3 {
		refs, ok := listArgs(args[2])
		if !ok {
			return nil, wrongType("text-file", 2, "list of file-like objects", args[2])
		}
		for _, r := range refs {
			if !insertable(th, r) {
				return nil, wrongType("text-file", 2, "list of file-like objects", args[2])
			}
		}
		f.References = refs
	}
	return f, nil
}

func makeFileAppend(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	base := args[0]
	if !insertable(th, base) {
		return nil, wrongType("file-append", 0, "file-like object or derivation", base)
	}
	f := &FileAppend{Base: base}
	for i := range args[1:] {
		s, err := argString("file-append", args, i+1)
		if err != nil {
			return nil, err
		}
		f.Suffix = append(f.Suffix, s.String())
	}
	return f, nil
}

func makeFileUnion(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	const want = "list of (target file-like) entries such as ((\"etc/hosts\" ,hosts))"
	name, err := argStoreName("file-union", args, 0)
	if err != nil {
		return nil, err
	}
	items, ok := listArgs(args[1])
	if !ok {
		return nil, wrongType("file-union", 1, want, args[1])
	}
	f := &FileUnion{Name: name}
	seen := map[string]bool{}
	for _, it := range items {
		parts, ok := listArgs(it)
		if !ok || len(parts) != 2 {
			return nil, procErrorf("file-union", "argument 2: want %s, got the entry %s", want, lang.WriteString(it))
		}
		t, ok := parts[0].(*lang.String)
		if !ok {
			return nil, procErrorf("file-union", "argument 2: entry %s: want a target file name (a string)", lang.WriteString(it))
		}
		target := t.String()
		if target == "" || strings.HasPrefix(target, "/") || path.Clean(target) != target || target == ".." || strings.HasPrefix(target, "../") {
			return nil, procErrorf("file-union", "entry %q: want a clean relative file name such as \"etc/hosts\"", target)
		}
		file := parts[1]
		if !insertable(th, file) {
			return nil, procErrorf("file-union", "entry %q: want a file-like object, got %s", target, lang.WriteString(file))
		}
		if seen[target] {
			return nil, procErrorf("file-union", "entry %q given twice", target)
		}
		seen[target] = true
		f.Entries = append(f.Entries, FileUnionEntry{Target: target, File: file})
	}
	sorted := make([]string, 0, len(seen))
	for t := range seen {
		sorted = append(sorted, t)
	}
	sort.Strings(sorted)
	for i := 1; i < len(sorted); i++ {
		if strings.HasPrefix(sorted[i], sorted[i-1]+"/") {
			return nil, procErrorf("file-union", "entry %q is inside entry %q, which is a file", sorted[i], sorted[i-1])
		}
	}
	return f, nil
}

func makeDirectoryUnion(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	name, err := argStoreName("directory-union", args, 0)
	if err != nil {
		return nil, err
	}
	items, ok := listArgs(args[1])
	if !ok || len(items) == 0 {
		return nil, wrongType("directory-union", 1, "non-empty list of file-like objects", args[1])
	}
	for _, it := range items {
		if !insertable(th, it) {
			return nil, procErrorf("directory-union", "argument 2: want file-like objects (directories), got %s", lang.WriteString(it))
		}
	}
	f := &DirectoryUnion{Name: name, Things: items}
	kw, err := keywordArgs("directory-union", args[2:], 2, "copy?", "quiet?", "resolve-collision")
	if err != nil {
		return nil, err
	}
	f.Copy = kwFlag(kw, "copy?", false)
	f.Quiet = kwFlag(kw, "quiet?", false)
	if rc, ok := kw["resolve-collision"]; ok {
		switch rc.(type) {
		case *lang.Symbol, *Gexp:
			f.ResolveCollision = rc
		default:
			return nil, procErrorf("directory-union", "#:resolve-collision: want a symbol naming a procedure of the build ('warn-about-collision, 'first, 'last) or a gexp of one, got %s", lang.WriteString(rc))
		}
	}
	return f, nil
}
