package stdlib

import (
	"errors"
	"fmt"
	"os"
	"path"
	"sort"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/derivation/nar"
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// How each file-like object lowers. Texts whose content is known at
// evaluation (plain-file, and mixed-text-file and scheme-file when they
// name only source files) are source items; the others are builtin:scheme
// derivations whose build programs use only the build-side modules
// (fruix build utils) and (fruix build union).

var (
	buildUtilsModule = importedModule{name: []string{"fruix", "build", "utils"}}
	buildUnionModule = importedModule{name: []string{"fruix", "build", "union"}}
)

func sym(name string) lang.Value { return lang.Intern(name) }

// outVar is (getenv "out") in a build program.
func outVar() lang.Value { return lang.List(symGetenvRef, lang.NewString("out")) }

// writeTextCode is the build code that writes text to the file named by
// file: (call-with-output-file file (lambda (port) (display text port))).
func writeTextCode(file lang.Value, text string) lang.Value {
	return lang.List(sym("call-with-output-file"), file,
		lang.List(sym("lambda"), lang.List(sym("port")), lang.List(sym("display"), lang.NewString(text), sym("port"))))
}

func (f *PlainFile) lower(lw *lowering) (*Lowered, error) {
	s, err := lw.textSource(f.Name, f.Content, nil)
	if err != nil {
		return nil, err
	}
	return lw.sourceLowered(s), nil
}

func (f *LocalFile) lower(lw *lowering) (*Lowered, error) {
	fi, err := os.Stat(f.AbsPath)
	if err != nil {
		return nil, f.fileError(err)
	}
	if f.Select != nil {
		return f.lowerSelected(lw)
	}
	var p string
	if f.Recursive {
		sum, _, err := nar.Hash(f.AbsPath)
		if err != nil {
			return nil, f.fileError(err)
		}
		p, err = lw.dir.MakeSourcePath(f.Name, sum, nil, false)
		if err != nil {
			return nil, err
		}
	} else {
		if !fi.Mode().IsRegular() {
			return nil, f.fileError(errors.New("is a directory; give #:recursive? #t to add it with its contents"))
		}
		sum, err := derivation.HashFile(derivation.SHA256, f.AbsPath)
		if err != nil {
			return nil, f.fileError(err)
		}
		p, err = lw.dir.MakeFixedOutputPath(f.Name, derivation.Flat, sum, nil, false)
		if err != nil {
			return nil, err
		}
	}
	return lw.sourceLowered(&Source{Path: p, Name: f.Name, Kind: SourceLocal, LocalFile: f.AbsPath, Recursive: f.Recursive}), nil
}

func (f *ComputedFile) lower(lw *lowering) (*Lowered, error) {
	lw = lw.withSystem(f.opts.system)
	refs := newGexpRefs()
	text, err := lw.gexpText(f.Gexp, refs)
	if err != nil {
		return nil, err
	}
	d, err := lw.schemeDerivation(f.Name, text, refs, f.opts)
	if err != nil {
		return nil, lowerContext(err, "computed-file %q", f.Name)
	}
	return drvLowered(d), nil
}

func (f *ProgramFile) lower(lw *lowering) (*Lowered, error) {
	refs := newGexpRefs()
	code, err := lw.gexpSexp(f.Gexp, refs)
	if err != nil {
		return nil, err
	}
	interp, err := lw.insert(f.Interpreter, "", refs)
	if err != nil {
		return nil, err
	}
	s, ok := interp.(*lang.String)
	if !ok {
		return nil, fmt.Errorf("program-file %q: #:interpreter %s is not a file", f.Name, lang.WriteString(f.Interpreter))
	}
	line := s.String()
	if len(refs.modules) > 0 {
		// The program finds its modules in a tree of the store, which its
		// output refers to, given to the evaluator with -L (env -S splits
		// the line on FreeBSD and Linux alike).
		if line != DefaultInterpreter {
			return nil, fmt.Errorf("program-file %q: its gexp imports modules (%s), which only the default interpreter (%s) is told where to find", f.Name, refs.modules[0].key(), DefaultInterpreter)
		}
		tree, err := lw.moduleTree(refs.modules)
		if err != nil {
			return nil, err
		}
		refs.addSource(tree.Path)
		line = "/usr/bin/env -S fruix-eval -L " + tree.Path + " -s"
	}
	text := "#!" + line + "\n" + lang.WriteString(code) + "\n"
	out := sym("out")
	builder := lang.List(sym("begin"),
		lang.List(sym("use-modules"), lang.List(sym("fruix"), sym("build"), sym("utils"))),
		lang.List(sym("let"), lang.List(lang.List(out, outVar())),
			writeTextCode(out, text),
			lang.List(sym("chmod"), out, lang.Fixnum(0o555))))
	refs.modules, refs.modSeen = nil, nil
	d, err := lw.schemeDerivation(f.Name, lw.codeText(builder), refs, schemeDrvOptions{modules: []importedModule{buildUtilsModule}})
	if err != nil {
		return nil, lowerContext(err, "program-file %q", f.Name)
	}
	return drvLowered(d), nil
}

func (f *SchemeFile) lower(lw *lowering) (*Lowered, error) {
	refs := newGexpRefs()
	var code lang.Value
	var err error
	if g, ok := f.Exp.(*Gexp); ok {
		code, err = lw.gexpSexp(g, refs)
	} else {
		code, err = lw.insert(f.Exp, "", refs)
	}
	if err != nil {
		return nil, err
	}
	var text []byte
	if f.Splice {
		forms, ok := listArgs(code)
		if !ok {
			return nil, fmt.Errorf("scheme-file %q: #:splice? #t wants a list of forms, got %s", f.Name, lang.WriteString(code))
		}
		for _, form := range forms {
			text = lang.AppendWrite(text, form)
			text = append(text, '\n')
		}
	} else {
		text = append(lang.AppendWrite(nil, code), '\n')
	}
	return lw.textFile(f.Name, text, refs)
}

func (f *MixedTextFile) lower(lw *lowering) (*Lowered, error) {
	refs := newGexpRefs()
	var text []byte
	for _, p := range f.Parts {
		if s, ok := p.(*lang.String); ok {
			text = append(text, s.String()...)
			continue
		}
		v, err := lw.insert(p, "", refs)
		if err != nil {
			return nil, err
		}
		s, ok := v.(*lang.String)
		if !ok {
			return nil, fmt.Errorf("mixed-text-file %q: %s is not a file", f.Name, lang.WriteString(p))
		}
		text = append(text, s.String()...)
	}
	return lw.textFile(f.Name, text, refs)
}

func (f *TextFile) lower(lw *lowering) (*Lowered, error) {
	refs := newGexpRefs()
	for _, r := range f.References {
		if _, err := lw.insert(r, "", refs); err != nil {
			return nil, lowerContext(err, "text-file %q", f.Name)
		}
	}
	return lw.textFile(f.Name, []byte(f.Content), refs)
}

// textFile is a text file in the store: a source item when it names only
// sources, else a build that writes it (a source item may refer only to
// paths that exist before anything is built).
func (lw *lowering) textFile(name string, text []byte, refs *gexpRefs) (*Lowered, error) {
	if len(refs.drvs) == 0 {
		s, err := lw.textSource(name, text, refs.sortedSources())
		if err != nil {
			return nil, err
		}
		return lw.sourceLowered(s), nil
	}
	builder := writeTextCode(outVar(), string(text))
	refs.modules, refs.modSeen = nil, nil
	refs.outputs = nil
	d, err := lw.schemeDerivation(name, lw.codeText(builder), refs, schemeDrvOptions{})
	if err != nil {
		return nil, err
	}
	return drvLowered(d), nil
}

func (f *FileAppend) lower(lw *lowering) (*Lowered, error) {
	// As in Guix, a file-append lowers to what its base lowers to; only
	// inserting it in a gexp appends the suffix.
	if in, ok := f.Base.(*GexpInput); ok {
		return lw.lower(in.Thing)
	}
	return lw.lower(f.Base)
}

func (f *FileUnion) lower(lw *lowering) (*Lowered, error) {
	refs := newGexpRefs()
	out := sym("out")
	dirs := map[string]bool{}
	for _, e := range f.Entries {
		for d := path.Dir(e.Target); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	sortedDirs := make([]string, 0, len(dirs))
	for d := range dirs {
		sortedDirs = append(sortedDirs, d)
	}
	sort.Strings(sortedDirs)
	under := func(rel string) lang.Value {
		return lang.List(sym("string-append"), out, lang.NewString("/"+rel))
	}
	body := []lang.Value{lang.List(sym("mkdir-p"), out)}
	for _, d := range sortedDirs {
		body = append(body, lang.List(sym("mkdir-p"), under(d)))
	}
	for _, e := range f.Entries {
		p, err := lw.insert(e.File, "", refs)
		if err != nil {
			return nil, lowerContext(err, "file-union %q: entry %q", f.Name, e.Target)
		}
		if _, ok := p.(*lang.String); !ok {
			return nil, fmt.Errorf("file-union %q: entry %q: %s is not a file", f.Name, e.Target, lang.WriteString(e.File))
		}
		body = append(body, lang.List(sym("symlink"), p, under(e.Target)))
	}
	code := lang.List(sym("begin"),
		lang.List(sym("use-modules"), lang.List(sym("fruix"), sym("build"), sym("utils"))),
		lang.List(append([]lang.Value{sym("let"), lang.List(lang.List(out, outVar()))}, body...)...))
	d, err := lw.schemeDerivation(f.Name, lw.codeText(code), refs, schemeDrvOptions{modules: []importedModule{buildUtilsModule}})
	if err != nil {
		return nil, lowerContext(err, "file-union %q", f.Name)
	}
	return drvLowered(d), nil
}

func (f *DirectoryUnion) lower(lw *lowering) (*Lowered, error) {
	if len(f.Things) == 1 {
		if _, isInput := f.Things[0].(*GexpInput); !isInput {
			// As in Guix, the union of one directory is that directory.
			return lw.lower(f.Things[0])
		}
	}
	refs := newGexpRefs()
	paths := make([]lang.Value, len(f.Things))
	for i, t := range f.Things {
		p, err := lw.insert(t, "", refs)
		if err != nil {
			return nil, lowerContext(err, "directory-union %q", f.Name)
		}
		paths[i] = p
	}
	uses := []lang.Value{sym("use-modules"), lang.List(sym("fruix"), sym("build"), sym("union"))}
	call := []lang.Value{sym("union-build"), outVar(), lang.List(sym("quote"), lang.List(paths...))}
	if f.Quiet {
		call = append(call, lang.InternKeyword("log-port"), lang.List(sym("open-output-string")))
	}
	if f.Copy {
		// Files are copied; a directory found in one input is still a link.
		call = append(call, lang.InternKeyword("symlink"), lang.List(sym("lambda"), lang.List(sym("old"), sym("new")),
			lang.List(sym("if"), lang.List(sym("eq?"), lang.List(sym("quote"), sym("directory")), lang.List(sym("stat:type"), lang.List(sym("stat"), sym("old")))),
				lang.List(sym("symlink"), sym("old"), sym("new")),
				lang.List(sym("copy-file"), sym("old"), sym("new")))))
	}
	if f.ResolveCollision != nil {
		rc, err := lw.insert(f.ResolveCollision, "", refs)
		if err != nil {
			return nil, lowerContext(err, "directory-union %q: #:resolve-collision", f.Name)
		}
		// first and last, the usual choices, are SRFI 1's.
		uses = append(uses, lang.List(sym("srfi"), sym("srfi-1")))
		call = append(call, lang.InternKeyword("resolve-collision"), rc)
	}
	code := lang.List(sym("begin"), lang.List(uses...), lang.List(call...))
	d, err := lw.schemeDerivation(f.Name, lw.codeText(code), refs, schemeDrvOptions{modules: []importedModule{buildUnionModule, buildUtilsModule}})
	if err != nil {
		return nil, lowerContext(err, "directory-union %q", f.Name)
	}
	return drvLowered(d), nil
}

// lowerContext prefixes err's message with what was being lowered,
// unless err already points at the place in the user's code it is about.
// The result is an error object of err's kind: a Go error wrapping an
// error object would reach Scheme as the inner object, without the
// prefix.
func lowerContext(err error, format string, a ...any) error {
	if _, positioned := err.(*eval.Exception); positioned {
		return err
	}
	prefix := fmt.Sprintf(format, a...) + ": "
	if eo, ok := err.(*eval.ErrorObject); ok {
		return &eval.ErrorObject{Kind: eo.Kind, Message: prefix + eo.Message, Irritants: eo.Irritants, Cause: eo.Cause}
	}
	return &eval.ErrorObject{Kind: eval.ErrorKind(err), Message: prefix + err.Error(), Cause: err}
}

// lowerSelected is a local directory added with #:select?: the files and
// links the predicate keeps, read now into a source tree (whose path is
// computed from them, as the store will from the same entries).
func (f *LocalFile) lowerSelected(lw *lowering) (*Lowered, error) {
	files, err := f.selectedFiles(lw.th)
	if err != nil {
		return nil, err
	}
	sum, err := nar.HashFiles(files)
	if err != nil {
		return nil, err
	}
	p, err := lw.dir.MakeSourcePath(f.Name, sum, nil, false)
	if err != nil {
		return nil, err
	}
	return lw.sourceLowered(&Source{Path: p, Name: f.Name, Kind: SourceTree, Files: files}), nil
}
