package stdlib

import "fruix.dev/fruix/lang"

// Build programs are printed straight from their gexp's template: the
// text is, byte for byte, what `write` prints of the code gexpSexp
// builds, but the lists that hold escapes are not built first. A
// configuration lowers thousands of gexps, and building each program as
// pairs only to print and drop them was a third of what lowering
// allocated.

// gexpText is g's code as the build runs it, written as by `write`,
// followed by a newline: the text of a builder script.
func (lw *lowering) gexpText(g *Gexp, refs *gexpRefs) ([]byte, error) {
	buf := lw.st.getBuffer()
	defer lw.st.putBuffer(buf)
	b, err := lw.appendCode(buf.b, g, refs)
	buf.b = b
	if err != nil {
		return nil, err
	}
	return append(append(make([]byte, 0, len(b)+1), b...), '\n'), nil
}

// codeText is code written as by `write`, followed by a newline.
func (lw *lowering) codeText(code lang.Value) []byte {
	buf := lw.st.getBuffer()
	defer lw.st.putBuffer(buf)
	buf.b = lang.AppendWrite(buf.b, code)
	return append(append(make([]byte, 0, len(buf.b)+1), buf.b...), '\n')
}

// textBuffer is a scratch buffer for printing code. Lowering a gexp
// lowers what it names first, which prints code of its own, so each
// level takes its own buffer.
type textBuffer struct{ b []byte }

func (st *lowerState) getBuffer() *textBuffer {
	if n := len(st.buffers); n > 0 {
		buf := st.buffers[n-1]
		st.buffers = st.buffers[:n-1]
		return buf
	}
	return &textBuffer{b: make([]byte, 0, 4096)}
}

func (st *lowerState) putBuffer(buf *textBuffer) {
	if cap(buf.b) > 1<<20 { // let an unusually large program go
		return
	}
	buf.b = buf.b[:0]
	st.buffers = append(st.buffers, buf)
}

// appendCode appends g's code as the build runs it to b.
func (lw *lowering) appendCode(b []byte, g *Gexp, refs *gexpRefs) ([]byte, error) {
	refs.addModules(g.modules)
	return lw.appendTemplate(b, g, g.site.template, refs)
}

// appendTemplate appends the code of v, a part of g's template.
func (lw *lowering) appendTemplate(b []byte, g *Gexp, v lang.Value, refs *gexpRefs) ([]byte, error) {
	if x, ok := v.(*holePair); ok {
		return lw.appendList(b, g, x, refs)
	}
	code, err := lw.template(g, v, refs)
	if err != nil {
		return nil, err
	}
	return lang.AppendWrite(b, code), nil
}

// appendList appends the code of a list of g's template that holds
// escapes, computing them in the order template does.
func (lw *lowering) appendList(b []byte, g *Gexp, x *holePair, refs *gexpRefs) ([]byte, error) {
	c := codeList{lw: lw, g: g, refs: refs, rest: x}
	first, output, ok, err := c.next()
	if err != nil {
		return nil, err
	}
	if !ok { // only empty splices: the code is what follows them
		return lang.AppendWrite(b, c.rest), nil
	}
	if s, isSym := first.(*lang.Symbol); isSym && output == "" && lang.Abbreviates(s) {
		// Whether (quote x) prints as 'x depends on elements not
		// computed yet, and computing them out of order could report
		// another error first: this list is built, then printed.
		rest, err := c.build()
		if err != nil {
			return nil, err
		}
		return lang.AppendWrite(b, &lang.Pair{Car: first, Cdr: rest}), nil
	}
	b = append(b, '(')
	for {
		if b, err = c.appendElement(b, first, output); err != nil {
			return nil, err
		}
		if first, output, ok, err = c.next(); err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		b = append(b, ' ')
	}
	if _, end := c.rest.(*lang.Null); !end {
		b = append(b, " . "...)
		b = lang.AppendWrite(b, c.rest)
	}
	return append(b, ')'), nil
}

// codeList walks the elements of a list of lowered code: the parts of a
// template list, the items its splices insert, the values of its
// escapes.
type codeList struct {
	lw      *lowering
	g       *Gexp
	refs    *gexpRefs
	spliced []lang.Value // items of a #$@ not taken yet
	rest    lang.Value   // the rest of the list, template or data; its tail at the end
}

// next returns the next element: a part of the template, a value, or
// (output != "") a reference to an output of the derivation being built.
// ok is false at the end of the list.
func (c *codeList) next() (elem lang.Value, output string, ok bool, err error) {
	for {
		if len(c.spliced) > 0 {
			elem, c.spliced = c.spliced[0], c.spliced[1:]
			return elem, "", true, nil
		}
		switch x := c.rest.(type) {
		case *holePair:
			h, isHole := x.car.(*gexpHole)
			switch {
			case !isHole:
				c.rest = x.cdr
				return x.car, "", true, nil
			case h.splice:
				items, err := c.lw.spliceHole(c.g, h, c.refs)
				if err != nil {
					return nil, "", false, err
				}
				c.spliced, c.rest = items, x.cdr
				continue
			case h.kind == holeOutput:
				c.rest = x.cdr
				name, err := c.lw.holeOutputName(c.g, h)
				if err == nil {
					err = c.lw.outputHole(h, name, c.refs)
				}
				if err != nil {
					return nil, "", false, err
				}
				return nil, name, true, nil
			}
			c.rest = x.cdr
			v, err := c.lw.holeValue(c.g, h, c.refs)
			if err != nil {
				return nil, "", false, err
			}
			return v, "", true, nil
		case *gexpHole: // in a cdr: (a . #$x), (a . #$@x)
			v, err := c.lw.template(c.g, x, c.refs)
			if err != nil {
				return nil, "", false, err
			}
			c.rest = v
		case *lang.Pair:
			c.rest = x.Cdr
			return x.Car, "", true, nil
		default:
			return nil, "", false, nil
		}
	}
}

// build returns the rest of the list as data.
func (c *codeList) build() (lang.Value, error) {
	rest, err := c.lw.template(c.g, c.rest, c.refs)
	if err != nil {
		return nil, err
	}
	items := c.spliced
	c.spliced, c.rest = nil, lang.Nil
	return sliceToList(items, rest), nil
}

// appendElement appends an element next returned.
func (c *codeList) appendElement(b []byte, elem lang.Value, output string) ([]byte, error) {
	if output != "" {
		return append(b, c.lw.st.outputRef(output)...), nil
	}
	if x, ok := elem.(*holePair); ok {
		return c.lw.appendList(b, c.g, x, c.refs)
	}
	return lang.AppendWrite(b, elem), nil
}

// outputRef is the code of #$output:NAME as holeValue makes it,
// ((@ (guile) getenv) "NAME"), written.
func (st *lowerState) outputRef(output string) string {
	if s, ok := st.outputRefs[output]; ok {
		return s
	}
	if st.outputRefs == nil {
		st.outputRefs = map[string]string{}
	}
	s := lang.WriteString(lang.List(symGetenvRef, lang.NewString(output)))
	st.outputRefs[output] = s
	return s
}
