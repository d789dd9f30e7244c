package stdlib

import (
	"fmt"
	"os"
	"unicode/utf8"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// Reading and rewriting a whole text file without changing the bytes
// nobody edited, for substitute*. Source trees hold files that are not
// UTF-8 (ISO-8859-1 comments, binary blobs beside text); decoding them as
// UTF-8 would replace each bad byte with U+FFFD and corrupt the file. A
// file that is not valid UTF-8 is therefore read as ISO-8859-1, one
// character per byte, and written back the same way, so that every byte a
// pattern did not touch is kept.

var textBuiltins = []*eval.Builtin{
	{Name: "%read-file-text", MinArgs: 1, MaxArgs: 1, Fn: builtinReadFileText, Doc: "(%read-file-text file): (text . encoding): the whole file as a string, decoded as UTF-8 when it is valid UTF-8 (encoding utf-8), else one character per byte (encoding iso-8859-1)."},
	{Name: "%write-file-text", MinArgs: 3, MaxArgs: 3, Fn: builtinWriteFileText, Doc: "(%write-file-text file text encoding): replace file's content with text encoded as encoding (utf-8 or iso-8859-1), through a temporary file renamed over it, keeping its permission bits."},
}

func init() {
	modules = append(modules, moduleSpec{name: BuildPrimitivesModule, tables: [][]*eval.Builtin{textBuiltins}})
}

var (
	utf8Encoding   = lang.Intern("utf-8")
	latin1Encoding = lang.Intern("iso-8859-1")
)

func builtinReadFileText(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	file, err := argString("%read-file-text", args, 0)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(file.String())
	if err != nil {
		return nil, fileErr("substitute", err)
	}
	if utf8.Valid(b) {
		return lang.Cons(lang.NewString(string(b)), utf8Encoding), nil
	}
	runes := make([]rune, len(b))
	for i, c := range b {
		runes[i] = rune(c)
	}
	return lang.Cons(lang.NewStringRunes(runes), latin1Encoding), nil
}

func builtinWriteFileText(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	const proc = "%write-file-text"
	file, err := argString(proc, args, 0)
	if err != nil {
		return nil, err
	}
	text, err := argString(proc, args, 1)
	if err != nil {
		return nil, err
	}
	var data []byte
	switch args[2] {
	case lang.Value(utf8Encoding):
		data = []byte(text.String())
	case lang.Value(latin1Encoding):
		s := text.String()
		data = make([]byte, 0, len(s))
		for _, r := range s {
			if r > 0xff {
				return nil, procErrorf("substitute", "%s is not UTF-8, so it was edited as ISO-8859-1, which cannot hold the character %s that a replacement put in it", file.String(), lang.WriteString(lang.Char(r)))
			}
			data = append(data, byte(r))
		}
	default:
		return nil, wrongType(proc, 2, "encoding utf-8 or iso-8859-1", args[2])
	}
	path := file.String()
	st, err := os.Stat(path)
	if err != nil {
		return nil, fileErr("substitute", err)
	}
	if err := replaceFile(path, data, st.Mode().Perm()); err != nil {
		return nil, fileErr("substitute", fmt.Errorf("rewriting %s: %w", path, err))
	}
	return lang.Unspec, nil
}
