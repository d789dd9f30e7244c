package derivation

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ParseError is a syntax error in a .drv file, with its position.
type ParseError struct {
	File   string // may be empty
	Offset int    // byte offset, from 0
	Line   int    // from 1
	Col    int    // from 1, in bytes
	Msg    string // what was expected
}

func (e *ParseError) Error() string {
	file := e.File
	if file == "" {
		file = "<derivation>"
	}
	return fmt.Sprintf("%s:%d:%d: %s (byte offset %d)", file, e.Line, e.Col, e.Msg, e.Offset)
}

// Parse reads a derivation from its ATerm text. The name is taken from
// Env["name"]; use ParseNamed or ReadFile when the .drv path is known.
func Parse(data []byte) (*Derivation, error) { return parse("", data, "") }

// ParseNamed reads a derivation whose .drv file is called file (for error
// messages; "" if unknown) and whose name is name.
func ParseNamed(file string, data []byte, name string) (*Derivation, error) {
	return parse(file, data, name)
}

// ReadFile reads and parses a .drv file. The derivation's name comes from
// the file name "<hash>-<name>.drv" (or "<name>.drv").
func ReadFile(path string) (*Derivation, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parse(path, data, nameFromDrvFile(path))
}

func nameFromDrvFile(path string) string {
	base := strings.TrimSuffix(filepath.Base(path), ".drv")
	if len(base) > HashPartLen+1 && base[HashPartLen] == '-' && IsBase32(base[:HashPartLen]) {
		return base[HashPartLen+1:]
	}
	return base
}

type atermParser struct {
	file string
	data []byte
	pos  int
}

func parse(file string, data []byte, name string) (d *Derivation, err error) {
	p := &atermParser{file: file, data: data}
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(*ParseError)
			if !ok {
				panic(r)
			}
			d, err = nil, pe
		}
	}()
	d = p.derivation()
	if name == "" {
		name = d.Env["name"]
	}
	d.Name = name
	return d, nil
}

// fail reports a syntax error at the current position; parse recovers it.
func (p *atermParser) fail(format string, args ...any) {
	line, col := 1, 1
	for _, c := range p.data[:p.pos] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	panic(&ParseError{File: p.file, Offset: p.pos, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

func (p *atermParser) found() string {
	if p.pos >= len(p.data) {
		return "end of input"
	}
	return fmt.Sprintf("%q", p.data[p.pos])
}

func (p *atermParser) expect(s string) {
	if !strings.HasPrefix(string(p.data[p.pos:min(len(p.data), p.pos+len(s))]), s) {
		p.fail("expected %q, found %s", s, p.found())
	}
	p.pos += len(s)
}

func (p *atermParser) peek(c byte) bool { return p.pos < len(p.data) && p.data[p.pos] == c }

// list parses "[" item ("," item)* "]", calling item for each element.
func (p *atermParser) list(item func()) {
	p.expect("[")
	if p.peek(']') {
		p.pos++
		return
	}
	for {
		item()
		if p.peek(',') {
			p.pos++
			continue
		}
		p.expect("]")
		return
	}
}

func (p *atermParser) str() string {
	p.expect(`"`)
	var b strings.Builder
	for {
		if p.pos >= len(p.data) {
			p.fail("unterminated string: expected '\"', found end of input")
		}
		c := p.data[p.pos]
		p.pos++
		switch c {
		case '"':
			return b.String()
		case '\\':
			if p.pos >= len(p.data) {
				p.fail("unterminated escape: expected a character after '\\', found end of input")
			}
			e := p.data[p.pos]
			p.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			default:
				c = e
			}
		}
		b.WriteByte(c)
	}
}

func (p *atermParser) path() string {
	start := p.pos
	s := p.str()
	if !strings.HasPrefix(s, "/") {
		p.pos = start
		p.fail("expected an absolute store path, found %q", s)
	}
	return s
}

func (p *atermParser) strings() []string {
	out := []string{}
	p.list(func() { out = append(out, p.str()) })
	return out
}

func (p *atermParser) derivation() *Derivation {
	d := &Derivation{Outputs: map[string]Output{}, InputDrvs: map[string][]string{}, Env: map[string]string{}}
	if strings.HasPrefix(string(p.data), "DrvWithVersion(") {
		p.fail("expected \"Derive(\": versioned derivations (dynamic derivations) are not supported")
	}
	p.expect("Derive(")
	p.list(func() {
		start := p.pos
		p.expect("(")
		name := p.str()
		p.expect(",")
		pathStart := p.pos
		path := p.str()
		if path != "" && !strings.HasPrefix(path, "/") {
			p.pos = pathStart
			p.fail("expected an absolute output path or \"\", found %q", path)
		}
		p.expect(",")
		algo := p.str()
		p.expect(",")
		hash := p.str()
		p.expect(")")
		if _, dup := d.Outputs[name]; dup {
			p.pos = start
			p.fail("duplicate output %q", name)
		}
		d.Outputs[name] = Output{Path: path, HashAlgo: algo, Hash: hash}
	})
	p.expect(",")
	p.list(func() {
		start := p.pos
		p.expect("(")
		drv := p.path()
		p.expect(",")
		outs := p.strings()
		p.expect(")")
		if _, dup := d.InputDrvs[drv]; dup {
			p.pos = start
			p.fail("duplicate input derivation %q", drv)
		}
		d.InputDrvs[drv] = outs
	})
	p.expect(",")
	p.list(func() { d.InputSrcs = append(d.InputSrcs, p.path()) })
	p.expect(",")
	d.System = p.str()
	p.expect(",")
	d.Builder = p.str()
	p.expect(",")
	d.Args = p.strings()
	p.expect(",")
	p.list(func() {
		start := p.pos
		p.expect("(")
		k := p.str()
		p.expect(",")
		v := p.str()
		p.expect(")")
		if _, dup := d.Env[k]; dup {
			p.pos = start
			p.fail("duplicate environment variable %q", k)
		}
		d.Env[k] = v
	})
	p.expect(")")
	if p.pos != len(p.data) {
		p.fail("expected end of input after the derivation, found %s", p.found())
	}
	return d
}
