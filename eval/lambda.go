package eval

import (
	"strings"

	"fruix.dev/fruix/lang"
)

// lambdaCode is the compiled form of a lambda: its parameters, the size
// of its frame and its body.
type lambdaCode struct {
	name      string
	doc       string
	nreq      int
	rest      bool
	kw        *kwSpec // lambda* parameters; nil for a plain lambda
	simple    bool    // fixed arity: no rest, no optionals, no keys
	frameSize int
	body      node
	params    lang.Value // the formals as written, for printing
}

// kwSpec describes the #:optional, #:rest and #:key parameters of a
// lambda*. Slots: required, then optional, then rest, then keys.
type kwSpec struct {
	nopt       int
	restSlot   int // -1: none
	keys       []*lang.Keyword
	keySlots   []int
	allowOther bool
}

func (l *lambdaCode) formals() string { return writeString(stripSyntax(l.params)) }

func (l *lambdaCode) minArgs() int { return l.nreq }

func (l *lambdaCode) maxArgs() int {
	if l.rest || (l.kw != nil && (l.kw.restSlot >= 0 || len(l.kw.keys) > 0 || l.kw.allowOther)) {
		return -1
	}
	if l.kw != nil {
		return l.nreq + l.kw.nopt
	}
	return l.nreq
}

// defaultsNode fills the optional and keyword slots a call left empty,
// in parameter order, so defaults may refer to earlier parameters.
type defaultsNode struct {
	slots    []int
	defaults []node // nil: #f
	body     node
}

func (n *defaultsNode) eval(th *Thread, fr *frame) (lang.Value, error) {
	for i, s := range n.slots {
		if fr.vals[s] != nil {
			continue
		}
		if n.defaults[i] == nil {
			fr.vals[s] = lang.False
			continue
		}
		v, err := n.defaults[i].eval(th, fr)
		if err != nil {
			return nil, err
		}
		fr.vals[s] = v
	}
	return n.body.eval(th, fr)
}

var (
	kwOptional       = lang.InternKeyword("optional")
	kwKey            = lang.InternKeyword("key")
	kwRest           = lang.InternKeyword("rest")
	kwAllowOtherKeys = lang.InternKeyword("allow-other-keys")
)

// compileLambda compiles (lambda formals body...) in scope s; star
// allows the lambda* parameter syntax.
func (c *compiler) compileLambda(form lang.Value, formals lang.Value, body []lang.Value, s *scope, name string, star bool) (*lambdaCode, error) {
	fi := &frameInfo{parent: s.fi}
	ls := newScope(s, fi)
	code := &lambdaCode{name: name, params: formals}
	var defSlots []int
	var defNodes []node
	mode := "req"
	var spec *kwSpec
	x := formals
	for {
		switch v := x.(type) {
		case *lang.Null:
			goto done
		case *lang.Symbol, *alias:
			ls.bindVar(v)
			if spec != nil {
				spec.restSlot = fi.size - 1
			} else {
				code.rest = true
			}
			goto done
		case *lang.Pair:
			p := v.Car
			x = v.Cdr
			if k, ok := p.(*lang.Keyword); ok && star {
				if spec == nil {
					spec = &kwSpec{restSlot: -1}
				}
				switch k {
				case kwOptional:
					mode = "opt"
				case kwKey:
					mode = "key"
				case kwRest:
					mode = "rest"
				case kwAllowOtherKeys:
					spec.allowOther = true
				default:
					return nil, c.syntaxError(form, "lambda*: unknown parameter keyword #:%s", k.Name)
				}
				continue
			}
			var id, def lang.Value
			if isIdent(p) {
				id = p
			} else if pp, ok := p.(*lang.Pair); ok && (mode == "opt" || mode == "key") && isIdent(pp.Car) {
				id = pp.Car
				if rest, ok := pp.Cdr.(*lang.Pair); ok {
					def = rest.Car
				}
			} else {
				return nil, c.syntaxError(form, "lambda: bad parameter %s: expected an identifier", writeString(stripSyntax(p)))
			}
			var defNode node
			if def != nil {
				n, err := c.compile(def, ls, false)
				if err != nil {
					return nil, err
				}
				defNode = n
			}
			for _, prev := range ls.ids {
				if prev == id {
					return nil, c.syntaxError(form, "lambda: duplicate parameter `%s'", baseSymbol(id).Name)
				}
			}
			b := ls.bindVar(id)
			switch mode {
			case "req":
				code.nreq++
			case "opt":
				spec.nopt++
				defSlots = append(defSlots, b.index)
				defNodes = append(defNodes, defNode)
			case "rest":
				spec.restSlot = b.index
			case "key":
				spec.keys = append(spec.keys, lang.InternKeyword(baseSymbol(id).Name))
				spec.keySlots = append(spec.keySlots, b.index)
				defSlots = append(defSlots, b.index)
				defNodes = append(defNodes, defNode)
			}
		default:
			return nil, c.syntaxError(form, "lambda: bad parameter list %s", writeString(stripSyntax(formals)))
		}
	}
done:
	code.kw = spec
	if len(body) > 1 {
		if s, ok := body[0].(*lang.String); ok {
			code.doc = s.String()
			body = body[1:]
		}
	}
	bodyNode, err := c.compileBody(form, body, ls, true)
	if err != nil {
		return nil, err
	}
	if len(defSlots) > 0 {
		bodyNode = &defaultsNode{slots: defSlots, defaults: defNodes, body: bodyNode}
	}
	code.body = bodyNode
	code.frameSize = fi.size
	code.simple = !code.rest && spec == nil
	return code, nil
}

// bindStar makes the frame of a call of a lambda* procedure.
func (th *Thread) bindStar(c *Closure, args []lang.Value, pos lang.Pos) (*frame, error) {
	code, spec := c.code, c.code.kw
	n := len(args)
	if n < code.nreq {
		return nil, th.arityError(code.name, code.minArgs(), code.maxArgs(), n, pos)
	}
	fr := th.newFrame(code.frameSize, c.env)
	copy(fr.vals, args[:code.nreq])
	i := code.nreq
	for j := 0; j < spec.nopt && i < n; j++ {
		if len(spec.keys) > 0 {
			if _, isKw := args[i].(*lang.Keyword); isKw {
				break
			}
		}
		fr.vals[code.nreq+j] = args[i]
		i++
	}
	if spec.restSlot >= 0 {
		fr.vals[spec.restSlot] = lang.List(args[i:]...)
	}
	name := procLabel(code.name)
	if len(spec.keys) == 0 && !spec.allowOther {
		if spec.restSlot < 0 && i < n {
			return nil, th.arityError(code.name, code.minArgs(), code.maxArgs(), n, pos)
		}
		return fr, nil
	}
	for k := i; k < n; k += 2 {
		kw, ok := args[k].(*lang.Keyword)
		if !ok {
			if spec.restSlot >= 0 {
				k--
				continue
			}
			return nil, th.errorAt(pos, KindError, name+": keyword argument expected, got "+writeString(args[k]))
		}
		if k+1 >= n {
			return nil, th.errorAt(pos, KindError, name+": keyword argument #:"+kw.Name+" has no value")
		}
		found := false
		for ki, key := range spec.keys {
			if key == kw {
				fr.vals[spec.keySlots[ki]] = args[k+1]
				found = true
				break
			}
		}
		if !found && !spec.allowOther {
			var known []string
			for _, key := range spec.keys {
				known = append(known, "#:"+key.Name)
			}
			return nil, th.errorAt(pos, KindError, name+": unknown keyword argument #:"+kw.Name+" (expected one of "+strings.Join(known, " ")+")")
		}
	}
	return fr, nil
}

// bodyItem is one form of a body after its definitions were found.
type bodyItem struct {
	def  *binding   // the variable a definition sets; nil for expressions
	form lang.Value // the expression
	name string
	pos  lang.Pos
}

// compileBody compiles a lambda or let body: internal definitions
// (define, define-values, define-record-type, define-syntax, and begin
// splicing them, also after macro expansion) become letrec* bindings in
// the frame of the enclosing lambda.
func (c *compiler) compileBody(form lang.Value, forms []lang.Value, parent *scope, tail bool) (node, error) {
	bs := newScope(parent, parent.fi)
	var items []bodyItem
	queue := append([]lang.Value(nil), forms...)
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		p, ok := f.(*lang.Pair)
		if !ok {
			items = append(items, bodyItem{form: f, pos: c.pos})
			continue
		}
		sf, m, err := c.syntaxOf(p.Car, bs)
		if err != nil {
			return nil, err
		}
		switch {
		case m != nil:
			x, err := c.expand(m, p, bs)
			if err != nil {
				return nil, err
			}
			if xp, ok := x.(*lang.Pair); ok && !xp.Pos.Known() {
				xp.Pos = p.Pos
			}
			queue = append([]lang.Value{x}, queue...)
			continue
		case sf == nil:
		case sf.name == "begin":
			sub, err := c.listItems(p, p.Cdr, "begin")
			if err != nil {
				return nil, err
			}
			queue = append(sub, queue...)
			continue
		case sf.name == "define" || sf.name == "define*" || sf.name == "define-public" || sf.name == "define-inlinable":
			id, val, err := c.parseDefine(p, sf.name == "define*")
			if err != nil {
				return nil, err
			}
			b := bs.bindVar(id)
			b.maybeUnset = true
			items = append(items, bodyItem{def: b, form: val, name: baseSymbol(id).Name, pos: p.Pos})
			continue
		case sf.name == "define-syntax":
			if err := c.defineSyntax(p, bs); err != nil {
				return nil, err
			}
			continue
		case sf.expand != nil && sf.definition:
			x, err := sf.expand(c, p, bs)
			if err != nil {
				return nil, err
			}
			queue = append([]lang.Value{x}, queue...)
			continue
		}
		items = append(items, bodyItem{form: f, pos: p.Pos})
	}
	if len(items) == 0 {
		if len(forms) == 0 {
			return nil, c.syntaxError(form, "empty body")
		}
		return &constNode{lang.Unspec}, nil
	}
	nodes := make([]node, 0, len(items)+1)
	for i, it := range items {
		last := i == len(items)-1
		if it.def != nil {
			c.nameHint = it.name
			n, err := c.compile(it.form, bs, false)
			c.nameHint = ""
			if err != nil {
				return nil, err
			}
			nodes = append(nodes, &localSet{depth: 0, i: it.def.index, val: n})
			if last {
				nodes = append(nodes, &constNode{lang.Unspec})
			}
			continue
		}
		n, err := c.compile(it.form, bs, tail && last)
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
	if len(nodes) == 1 {
		return nodes[0], nil
	}
	return &seqNode{body: nodes[:len(nodes)-1], last: nodes[len(nodes)-1]}, nil
}

// parseDefine takes (define id expr), (define id), (define (id . formals)
// body...) and the curried (define ((id a) b) body...) apart into the
// identifier and the expression of its value.
func (c *compiler) parseDefine(p *lang.Pair, star bool) (lang.Value, lang.Value, error) {
	rest, ok := p.Cdr.(*lang.Pair)
	if !ok {
		return nil, nil, c.syntaxError(p, "define: expected (define name value) or (define (name args...) body...)")
	}
	target := rest.Car
	body := rest.Cdr
	var lambdaKw lang.Value // made when the name is a (name args...) form
	for {
		if isIdent(target) {
			break
		}
		tp, ok := target.(*lang.Pair)
		if !ok {
			return nil, nil, c.syntaxError(p, "define: bad name %s: expected an identifier", writeString(stripSyntax(target)))
		}
		if lambdaKw == nil {
			lambdaKw = c.coreIdent("lambda")
			if star {
				lambdaKw = c.coreIdent("lambda*")
			}
		}
		body = lang.List(&lang.Pair{Car: lambdaKw, Cdr: &lang.Pair{Car: tp.Cdr, Cdr: body}, Pos: p.Pos})
		target = tp.Car
	}
	switch b := body.(type) {
	case *lang.Null:
		return target, c.coreCall("%unspecified"), nil
	case *lang.Pair:
		if _, ok := b.Cdr.(*lang.Null); !ok {
			return nil, nil, c.syntaxError(p, "define: too many expressions after the name `%s'", baseSymbol(target).Name)
		}
		return target, b.Car, nil
	}
	return nil, nil, c.syntaxError(p, "define: bad syntax")
}
