// Package mtree reads FreeBSD mtree specification files, in particular the
// METALOG that `make -DNO_ROOT installworld distribution installkernel`
// writes: one line per file giving its type, owner, group, mode, flags and
// link target. Fruix uses a spec as the truth about ownership, setuid bits
// and file flags, which a tree staged without root cannot carry.
//
// Both spellings of mtree(5) are read: full paths ("./bin/sh type=file ...",
// as METALOG writes them) and the classic relative form, where a name
// without a slash descends into a directory and ".." climbs back out.
// /set and /unset directives, line continuations, comments and vis(3)
// escapes in names are understood. Errors name the file and line.
package mtree

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Entry is one node of a specification.
type Entry struct {
	// Path is the clean path relative to the root, without a leading "./";
	// the root itself is ".".
	Path string
	// Type is one of "file", "dir", "link", "hlink", "fifo", "char",
	// "block", "socket". "hlink" is a hard link to the entry named by Link.
	Type string
	// Mode holds the permission bits and fs.ModeSetuid, fs.ModeSetgid and
	// fs.ModeSticky; HasMode says whether the spec gave one.
	Mode    fs.FileMode
	HasMode bool
	// Uname and Gname are the owner names as written; Uid and Gid the
	// numeric ids, given directly (uid=, gid=) or resolved by Resolve.
	Uname, Gname   string
	Uid, Gid       uint32
	HasUid, HasGid bool
	// Flags are the file flags (chflags(2) bits, UF_* and SF_*).
	Flags    uint32
	HasFlags bool
	// Link is the target of a symbolic link, or the path of the entry a
	// hard link ("hlink") shares its inode with.
	Link string
	// Size is the size= keyword, -1 when absent.
	Size int64
	// Time is the modification time (time=), HasTime whether it was given.
	Time    time.Time
	HasTime bool
	// Contents is the contents= keyword: the file, relative to the tree's
	// root unless absolute, that holds the entry's bytes.
	Contents string
	// Optional marks entries that may be absent from the tree.
	Optional bool
	// Ignore marks directories whose contents the spec does not describe.
	Ignore bool
	// File and Line locate the entry's line in the spec.
	File string
	Line int
}

// display is the entry's path as METALOG writes it.
func (e *Entry) display() string {
	if e.Path == "." {
		return "."
	}
	return "./" + e.Path
}

// Pos returns "file:line" for messages about the entry.
func (e *Entry) Pos() string { return fmt.Sprintf("%s:%d", e.File, e.Line) }

// Spec is a parsed specification: its entries by path.
type Spec struct {
	// Name is the file name the spec was read from.
	Name    string
	entries map[string]*Entry
	order   []string
}

// Lookup returns the entry for a clean relative path ("." for the root).
func (s *Spec) Lookup(p string) (*Entry, bool) {
	if s == nil {
		return nil, false
	}
	e, ok := s.entries[p]
	return e, ok
}

// Entries returns all entries sorted by path.
func (s *Spec) Entries() []*Entry {
	if s == nil {
		return nil
	}
	paths := append([]string(nil), s.order...)
	sort.Strings(paths)
	out := make([]*Entry, len(paths))
	for i, p := range paths {
		out[i] = s.entries[p]
	}
	return out
}

// Len is the number of entries.
func (s *Spec) Len() int {
	if s == nil {
		return 0
	}
	return len(s.order)
}

// Error is a problem in a spec, at a line.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

var knownTypes = map[string]bool{
	"file": true, "dir": true, "link": true, "hlink": true, "fifo": true,
	"char": true, "block": true, "socket": true,
}

// Parse reads a specification; name is used in error messages.
func Parse(r io.Reader, name string) (*Spec, error) {
	s := &Spec{Name: name, entries: map[string]*Entry{}}
	p := parser{spec: s, name: name, cwd: "."}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	lineNo, startLine := 0, 0
	var pending strings.Builder
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		if pending.Len() == 0 {
			startLine = lineNo
		}
		if strings.HasSuffix(line, "\\") && !strings.HasSuffix(line, "\\\\") {
			pending.WriteString(strings.TrimSuffix(line, "\\"))
			pending.WriteByte(' ')
			continue
		}
		pending.WriteString(line)
		full := pending.String()
		pending.Reset()
		if err := p.line(full, startLine); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %v", name, lineNo+1, err)
	}
	if pending.Len() > 0 {
		return nil, &Error{name, startLine, "line continuation at end of file"}
	}
	return s, nil
}

type parser struct {
	spec *Spec
	name string
	cwd  string
	set  map[string]string
}

func (p *parser) errorf(line int, format string, args ...any) error {
	return &Error{p.name, line, fmt.Sprintf(format, args...)}
}

func (p *parser) line(text string, lineNo int) error {
	text = strings.TrimSpace(text)
	if text == "" || text[0] == '#' {
		return nil
	}
	fields := strings.Fields(text)
	first := fields[0]
	switch first {
	case "/set":
		if p.set == nil {
			p.set = map[string]string{}
		}
		for _, kv := range fields[1:] {
			k, v, _ := strings.Cut(kv, "=")
			p.set[k] = v
		}
		return nil
	case "/unset":
		for _, k := range fields[1:] {
			if k == "all" {
				p.set = nil
				continue
			}
			delete(p.set, k)
		}
		return nil
	case "..":
		if p.cwd == "." {
			return p.errorf(lineNo, `".." climbs above the root`)
		}
		p.cwd = path.Dir(p.cwd)
		return nil
	}
	if strings.HasPrefix(first, "/") {
		return p.errorf(lineNo, "unknown directive %q (want /set or /unset)", first)
	}
	name, err := unvis(first)
	if err != nil {
		return p.errorf(lineNo, "name %q: %v", first, err)
	}
	var rel string
	fullPath := strings.Contains(name, "/")
	if fullPath {
		rel = path.Clean(name)
		if path.IsAbs(rel) {
			rel = strings.TrimPrefix(rel, "/")
			if rel == "" {
				rel = "."
			}
		}
		if rel == ".." || strings.HasPrefix(rel, "../") {
			return p.errorf(lineNo, "path %q leaves the root", name)
		}
	} else if name == "." {
		rel = p.cwd
	} else {
		rel = path.Join(p.cwd, name)
	}
	e := &Entry{Path: rel, Size: -1, File: p.name, Line: lineNo}
	kw := map[string]string{}
	for k, v := range p.set {
		kw[k] = v
	}
	for _, f := range fields[1:] {
		k, v, _ := strings.Cut(f, "=")
		kw[k] = v
	}
	// Keywords are applied in sorted order so errors are deterministic.
	keys := make([]string, 0, len(kw))
	for k := range kw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := p.keyword(e, k, kw[k], lineNo); err != nil {
			return err
		}
	}
	if e.Type == "" {
		return p.errorf(lineNo, "%s: no type= keyword", e.display())
	}
	if (e.Type == "link" || e.Type == "hlink") && e.Link == "" {
		return p.errorf(lineNo, "%s: type=%s needs link=", e.display(), e.Type)
	}
	if e.Type == "hlink" {
		e.Link = cleanLinkPath(e.Link)
	}
	if old, dup := p.spec.entries[rel]; dup {
		// A later line overrides an earlier one for the same path, as
		// METALOG relies on (a file installed twice), unless the type
		// changes, which is a conflict worth reporting.
		if old.Type != e.Type {
			return p.errorf(lineNo, "%s: type=%s conflicts with type=%s at %s", e.display(), e.Type, old.Type, old.Pos())
		}
	} else {
		p.spec.order = append(p.spec.order, rel)
	}
	p.spec.entries[rel] = e
	if !fullPath && e.Type == "dir" && name != "." {
		p.cwd = rel
	}
	return nil
}

// cleanLinkPath turns the path of a hard link's target into the form of
// Entry.Path.
func cleanLinkPath(l string) string {
	c := path.Clean(strings.TrimPrefix(l, "/"))
	return strings.TrimPrefix(c, "./")
}

func (p *parser) keyword(e *Entry, k, v string, lineNo int) error {
	switch k {
	case "type":
		if !knownTypes[v] {
			return p.errorf(lineNo, "%s: unknown type %q (want file, dir, link, hlink, fifo, char, block or socket)", e.display(), v)
		}
		e.Type = v
	case "mode":
		m, err := parseMode(v)
		if err != nil {
			return p.errorf(lineNo, "%s: mode=%s: %v", e.display(), v, err)
		}
		e.Mode, e.HasMode = m, true
	case "uid", "gid":
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return p.errorf(lineNo, "%s: %s=%s: want a number", e.display(), k, v)
		}
		if k == "uid" {
			e.Uid, e.HasUid = uint32(n), true
		} else {
			e.Gid, e.HasGid = uint32(n), true
		}
	case "uname":
		e.Uname = v
	case "gname":
		e.Gname = v
	case "flags":
		f, err := ParseFlags(v)
		if err != nil {
			return p.errorf(lineNo, "%s: flags=%s: %v", e.display(), v, err)
		}
		e.Flags, e.HasFlags = f, true
	case "link":
		l, err := unvis(v)
		if err != nil {
			return p.errorf(lineNo, "%s: link=%s: %v", e.display(), v, err)
		}
		e.Link = l
	case "size":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return p.errorf(lineNo, "%s: size=%s: want a byte count", e.display(), v)
		}
		e.Size = n
	case "time":
		t, err := parseTime(v)
		if err != nil {
			return p.errorf(lineNo, "%s: time=%s: %v", e.display(), v, err)
		}
		e.Time, e.HasTime = t, true
	case "contents", "content":
		c, err := unvis(v)
		if err != nil {
			return p.errorf(lineNo, "%s: contents=%s: %v", e.display(), v, err)
		}
		e.Contents = c
	case "optional":
		e.Optional = true
	case "ignore":
		e.Ignore = true
	case "nochange", "tags", "nlink", "cksum", "md5", "md5digest", "sha1",
		"sha1digest", "sha256", "sha256digest", "sha384", "sha384digest",
		"sha512", "sha512digest", "rmd160", "rmd160digest", "ripemd160digest",
		"resdevice", "device", "inode":
		// Checksums and bookkeeping: nothing to apply to an image.
	default:
		return p.errorf(lineNo, "%s: unknown keyword %q", e.display(), k)
	}
	return nil
}

func parseMode(v string) (fs.FileMode, error) {
	n, err := strconv.ParseUint(v, 8, 32)
	if err != nil || n > 07777 {
		return 0, fmt.Errorf("want an octal mode up to 07777")
	}
	m := fs.FileMode(n & 0777)
	if n&04000 != 0 {
		m |= fs.ModeSetuid
	}
	if n&02000 != 0 {
		m |= fs.ModeSetgid
	}
	if n&01000 != 0 {
		m |= fs.ModeSticky
	}
	return m, nil
}

func parseTime(v string) (time.Time, error) {
	secs, frac, _ := strings.Cut(v, ".")
	s, err := strconv.ParseInt(secs, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("want seconds[.nanoseconds]")
	}
	var ns int64
	if frac != "" {
		ns, err = strconv.ParseInt(frac, 10, 64)
		if err != nil || ns < 0 || ns > 999999999 {
			return time.Time{}, fmt.Errorf("want seconds[.nanoseconds]")
		}
	}
	return time.Unix(s, ns).UTC(), nil
}

// unvis decodes the vis(3) escapes mtree uses in names: \ooo octal bytes
// and the C-style \\, \s (space), \t, \n, \r, \a, \b, \f, \v, \#.
func unvis(s string) (string, error) {
	if !strings.Contains(s, "\\") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			return "", fmt.Errorf("trailing backslash")
		}
		switch c = s[i]; c {
		case '\\':
			b.WriteByte('\\')
		case 's':
			b.WriteByte(' ')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case '#':
			b.WriteByte('#')
		case 'E':
			b.WriteByte(0x1b)
		default:
			if c < '0' || c > '7' {
				return "", fmt.Errorf("unknown escape \\%c", c)
			}
			if i+2 >= len(s) {
				return "", fmt.Errorf("short octal escape")
			}
			n, err := strconv.ParseUint(s[i:i+3], 8, 8)
			if err != nil {
				return "", fmt.Errorf("bad octal escape \\%s", s[i:i+3])
			}
			b.WriteByte(byte(n))
			i += 2
		}
	}
	return b.String(), nil
}
