package stdlib

import (
	"strings"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// File-name procedures of Guile's core: pure string operations that Guix
// code uses all the time.
var pathBuiltins = []*eval.Builtin{
	{Name: "basename", MinArgs: 1, MaxArgs: 2, Fn: builtinBasename, Doc: "(basename filename [suffix]): the last component of filename (with its trailing slashes, as in Guile), without suffix if it ends with it."},
	{Name: "dirname", MinArgs: 1, MaxArgs: 1, Fn: builtinDirname, Doc: "(dirname filename): filename without its last component; \".\" when there is none."},
	{Name: "object->string", MinArgs: 1, MaxArgs: 2, Fn: builtinObjectToString, Doc: "(object->string obj [printer]): obj as write prints it, or as (printer obj port) does."},
}

func builtinBasename(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("basename", args, 0)
	if err != nil {
		return nil, err
	}
	name := s.String()
	trimmed := strings.TrimRight(name, "/")
	if trimmed == "" {
		if name == "" {
			return lang.NewString(""), nil
		}
		return lang.NewString("/"), nil
	}
	// Like Guile, the last component keeps the trailing slashes it had.
	base := name[strings.LastIndexByte(trimmed, '/')+1:]
	if len(args) > 1 {
		suffix, err := argString("basename", args, 1)
		if err != nil {
			return nil, err
		}
		base = strings.TrimSuffix(base, suffix.String())
	}
	return lang.NewString(base), nil
}

func builtinDirname(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("dirname", args, 0)
	if err != nil {
		return nil, err
	}
	name := strings.TrimRight(s.String(), "/")
	if name == "" {
		if s.Len() > 0 {
			return lang.NewString("/"), nil
		}
		return lang.NewString("."), nil
	}
	i := strings.LastIndexByte(name, '/')
	if i < 0 {
		return lang.NewString("."), nil
	}
	dir := strings.TrimRight(name[:i], "/")
	if dir == "" {
		dir = "/"
	}
	return lang.NewString(dir), nil
}

func builtinObjectToString(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	if len(args) > 1 {
		if _, err := argProc("object->string", args, 1); err != nil {
			return nil, err
		}
		p := NewStringOutputPort()
		if _, err := call(th, args[1], args[0], p); err != nil {
			return nil, err
		}
		return lang.NewString(p.String()), nil
	}
	return lang.NewString(lang.WriteString(args[0])), nil
}
