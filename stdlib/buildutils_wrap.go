package stdlib

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// wrap-program, with Guix's argument conventions: the program is moved
// aside to .NAME-real in its directory and NAME becomes a shell script
// that sets environment variables and runs it. Wrapping a program again
// adds the new variables to the existing wrapper. What goes wrong is a
// wrap error (wrap-error?) naming the program and the kind of failure.

// WrapErrorKind is the kind of the error objects wrap-program raises.
const WrapErrorKind = "wrap-error"

// WrapError is why wrap-program refused or failed: the cause of the
// error object it raises, read by wrap-error-program and wrap-error-type.
type WrapError struct {
	Program string
	Type    string // no-such-file, not-a-regular-file, wrapped-program, bad-spec, no-shell, io
	Reason  string
}

func (e *WrapError) Error() string { return "wrap-program: " + e.Program + ": " + e.Reason }

func wrapFail(program, kind, format string, a ...any) error {
	we := &WrapError{Program: program, Type: kind, Reason: fmt.Sprintf(format, a...)}
	return &eval.ErrorObject{Kind: WrapErrorKind, Message: we.Error(), Cause: we}
}

var wrapBuiltins = []*eval.Builtin{
	{Name: "wrap-program", MinArgs: 1, MaxArgs: -1, Fn: builtinWrapProgram, Doc: "(wrap-program program [#:sh sh] spec ...): move program to .NAME-real beside it and make program a script, run by sh (default: sh found in PATH), that sets environment variables and runs it. Each spec is (variable [separator] how (value ...)): how is = (set to the values joined by separator, default \":\"), prefix (put them before the variable's current value) or suffix (after it). Wrapping a wrapped program adds the new settings to its wrapper. Failures raise a wrap error (wrap-error?) naming the program."},
	{Name: "wrapped-program?", MinArgs: 1, MaxArgs: 1, Fn: builtinWrappedProgram, Doc: "(wrapped-program? file): whether file is a program that wrap-program moved aside: it exists and is named .NAME-real."},
	causePredicate[*WrapError]("wrap-error?", "(wrap-error? obj): whether obj is the condition wrap-program raises."),
	causeField("wrap-error-program", "(wrap-error-program c): the program wrap-program was given.", "wrap error", func(e *WrapError) lang.Value { return lang.NewString(e.Program) }),
	causeField("wrap-error-type", "(wrap-error-type c): what went wrong, a symbol: no-such-file, not-a-regular-file, wrapped-program, bad-spec, no-shell or io.", "wrap error", func(e *WrapError) lang.Value { return lang.Intern(e.Type) }),
}

func init() {
	modules = append(modules, moduleSpec{name: BuildPrimitivesModule, tables: [][]*eval.Builtin{wrapBuiltins, shebangBuiltins}})
}

// wrappedName is where wrap-program moves program: .NAME-real beside it.
func wrappedName(program string) string {
	return filepath.Join(filepath.Dir(program), "."+filepath.Base(program)+"-real")
}

func isWrappedName(file string) bool {
	base := filepath.Base(file)
	return strings.HasPrefix(base, ".") && strings.HasSuffix(base, "-real")
}

func builtinWrappedProgram(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("wrapped-program?", args, 0)
	if err != nil {
		return nil, err
	}
	_, statErr := os.Stat(s.String())
	return lang.MakeBool(statErr == nil && isWrappedName(s.String())), nil
}

// envSetting is one spec of wrap-program.
type envSetting struct {
	variable, separator, how string
	values                   []string
}

// shellVariableName is compiled when first used, not at every start.
var shellVariableName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

// parseWrapSpec reads (variable [separator] how (value ...)).
func parseWrapSpec(program string, spec lang.Value) (envSetting, error) {
	bad := func(why string) (envSetting, error) {
		return envSetting{}, wrapFail(program, "bad-spec", "bad variable spec %s: %s; want (variable [separator] = | prefix | suffix (value ...))", lang.WriteString(spec), why)
	}
	items, ok := listArgs(spec)
	if !ok || len(items) < 3 || len(items) > 4 {
		return bad("not a list of 3 or 4 elements")
	}
	name, ok := items[0].(*lang.String)
	if !ok || !shellVariableName().MatchString(name.String()) {
		return bad("the variable must be a string naming a shell variable")
	}
	set := envSetting{variable: name.String(), separator: ":"}
	if len(items) == 4 {
		sep, ok := items[1].(*lang.String)
		if !ok {
			return bad("the separator must be a string")
		}
		set.separator = sep.String()
		items = append(items[:1], items[2:]...)
	}
	how, ok := items[1].(*lang.Symbol)
	if !ok || (how.Name != "=" && how.Name != "prefix" && how.Name != "suffix") {
		return bad("how to set it must be =, prefix or suffix")
	}
	set.how = how.Name
	values, ok := listArgs(items[2])
	if !ok {
		return bad("the values must be a list of strings")
	}
	for _, v := range values {
		s, ok := v.(*lang.String)
		if !ok {
			return bad("the values must be a list of strings")
		}
		set.values = append(set.values, s.String())
	}
	return set, nil
}

// shellQuoted escapes s for the inside of a double-quoted shell word.
func shellQuoted(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\"$`\\", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// exportLine is the wrapper's line for one setting.
func (s envSetting) exportLine() string {
	v, sep := s.variable, shellQuoted(s.separator)
	joined := shellQuoted(strings.Join(s.values, s.separator))
	switch s.how {
	case "prefix":
		return fmt.Sprintf(`export %s="%s${%s:+%s}$%s"`, v, joined, v, sep, v)
	case "suffix":
		return fmt.Sprintf(`export %s="$%s${%s:+%s}%s"`, v, v, v, sep, joined)
	}
	return fmt.Sprintf(`export %s="%s"`, v, joined)
}

func builtinWrapProgram(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	ps, err := argString("wrap-program", args, 0)
	if err != nil {
		return nil, err
	}
	program := ps.String()
	var sh string
	var settings []envSetting
	for i := 1; i < len(args); i++ {
		if _, ok := args[i].(*lang.Keyword); ok {
			if _, err := keywordArgs("wrap-program", args[i:min(i+2, len(args))], i, "sh"); err != nil {
				return nil, err
			}
			s, err := argString("wrap-program", args, i+1)
			if err != nil {
				return nil, err
			}
			sh = s.String()
			i++
			continue
		}
		set, err := parseWrapSpec(program, args[i])
		if err != nil {
			return nil, err
		}
		settings = append(settings, set)
	}
	if isWrappedName(program) {
		return nil, wrapFail(program, "wrapped-program", "it is the program a wrapper runs; wrap %s instead", filepath.Join(filepath.Dir(program), strings.TrimSuffix(strings.TrimPrefix(filepath.Base(program), "."), "-real")))
	}
	fi, err := os.Stat(program)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, wrapFail(program, "no-such-file", "no such file")
		}
		return nil, wrapFail(program, "io", "%v", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, wrapFail(program, "not-a-regular-file", "not a regular file")
	}
	lines := make([]string, len(settings))
	for i, s := range settings {
		lines[i] = s.exportLine()
	}
	real := wrappedName(program)
	if _, err := os.Lstat(real); err == nil {
		return lang.Unspec, extendWrapper(program, lines)
	}
	if sh == "" {
		if sh = which("sh"); sh == "" {
			return nil, wrapFail(program, "no-shell", "no sh in PATH (%s) to run the wrapper; give one with #:sh", os.Getenv("PATH"))
		}
	}
	if !filepath.IsAbs(sh) {
		return nil, wrapFail(program, "no-shell", "#:sh %q is not an absolute file name, which a #! line needs", sh)
	}
	return lang.Unspec, writeWrapper(program, real, sh, lines)
}

// writeWrapper moves program to real (a hard link, then the wrapper
// replaces program by a rename, so program is never missing) and writes
// the wrapper that sets lines and runs real.
func writeWrapper(program, real, sh string, lines []string) error {
	if err := os.Link(program, real); err != nil {
		return wrapFail(program, "io", "%v", err)
	}
	target, err := filepath.Abs(real)
	if err == nil {
		target, err = filepath.EvalSymlinks(target)
	}
	if err != nil {
		return wrapFail(program, "io", "%v", err)
	}
	// bash can pass the wrapper's own name on as the program's argv[0];
	// POSIX sh (FreeBSD's, Debian's dash) has no exec -a.
	exec := "exec"
	if filepath.Base(sh) == "bash" {
		exec = `exec -a "$0"`
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#!%s\n", sh)
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	fmt.Fprintf(&b, "%s \"%s\" \"$@\"\n", exec, shellQuoted(target))
	if err := replaceFile(program, []byte(b.String()), 0o755); err != nil {
		return wrapFail(program, "io", "%v", err)
	}
	return nil
}

// extendWrapper adds lines to program's wrapper, before its last line
// (the one that runs the wrapped program).
func extendWrapper(program string, lines []string) error {
	data, err := os.ReadFile(program)
	if err != nil {
		return wrapFail(program, "io", "%v", err)
	}
	text := strings.TrimSuffix(string(data), "\n")
	cut := strings.LastIndexByte(text, '\n')
	if cut < 0 || !strings.HasPrefix(text, "#!") || !strings.HasPrefix(text[cut+1:], "exec ") {
		return wrapFail(program, "wrapped-program", "%s exists but %s is not the wrapper wrap-program writes", wrappedName(program), program)
	}
	var b strings.Builder
	b.WriteString(text[:cut+1])
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	b.WriteString(text[cut+1:] + "\n")
	if err := replaceFile(program, []byte(b.String()), 0o755); err != nil {
		return wrapFail(program, "io", "%v", err)
	}
	return nil
}

// replaceFile puts data at name by writing a temporary file beside it and
// renaming it over name.
func replaceFile(name string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+"-tmp")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), mode)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
