package stdlib

import (
	"strings"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// A pretty printer in the manner of Guile's (ice-9 pretty-print): a datum
// that does not fit in the width is broken over lines, the elements of a
// list aligned under the first argument, or indented by two for the
// definition and binding forms whose body matters more than their head.

// bodyParts says how many parts of the form named head stay on its first
// line, the rest being indented by two; ok is false for other heads. (A
// switch, not a map: nothing to build at start-up.)
func bodyParts(head string) (n int, ok bool) {
	switch head {
	case "define", "define*", "define-public", "define-syntax", "define-record-type",
		"define-module", "lambda", "lambda*", "let", "let*", "letrec", "letrec*",
		"when", "unless", "syntax-rules", "case", "let-values", "parameterize":
		return 1, true
	case "do":
		return 2, true
	case "with-exception-handler", "operating-system", "begin", "cond":
		return 0, true
	}
	return 0, false
}

// quoteAbbreviation is the prefix written for (quote x) and its kin, or "".
func quoteAbbreviation(head string) string {
	switch head {
	case "quote":
		return "'"
	case "quasiquote":
		return "`"
	case "unquote":
		return ","
	case "unquote-splicing":
		return ",@"
	}
	return ""
}

type prettyPrinter struct {
	b       strings.Builder
	width   int
	display bool
}

func (pp *prettyPrinter) flat(v lang.Value) string {
	if pp.display {
		return lang.DisplayString(v)
	}
	return lang.WriteString(v)
}

// print writes v starting at column col.
func (pp *prettyPrinter) print(v lang.Value, col int) {
	flat := pp.flat(v)
	if col+len(flat) <= pp.width {
		pp.b.WriteString(flat)
		return
	}
	switch x := v.(type) {
	case *lang.Pair:
		if listLength(x) < 0 {
			pp.b.WriteString(flat)
			return
		}
		items, _ := listToSlice("pretty-print", []lang.Value{x}, 0)
		if len(items) == 2 {
			if s, ok := items[0].(*lang.Symbol); ok {
				if prefix := quoteAbbreviation(s.Name); prefix != "" {
					pp.b.WriteString(prefix)
					pp.print(items[1], col+len(prefix))
					return
				}
			}
		}
		pp.b.WriteString("(")
		head, isSym := items[0].(*lang.Symbol)
		if n, ok := bodyParts(headName(head, isSym)); ok && len(items) > n+1 {
			// (define (f x)\n  body ...): the first n parts on the line.
			pp.b.WriteString(head.Name)
			at := col + 1 + len(head.Name)
			for _, it := range items[1 : n+1] {
				pp.b.WriteString(" ")
				pp.print(it, at+1)
				at = pp.column()
			}
			for _, it := range items[n+1:] {
				pp.newline(col + 2)
				pp.print(it, col+2)
			}
			pp.b.WriteString(")")
			return
		}
		if isSym && len(items) > 1 && len(head.Name) < 12 {
			// (f a\n   b\n   c): arguments aligned after the operator.
			pp.b.WriteString(head.Name + " ")
			at := col + 2 + len(head.Name)
			pp.print(items[1], at)
			for _, it := range items[2:] {
				pp.newline(at)
				pp.print(it, at)
			}
			pp.b.WriteString(")")
			return
		}
		pp.print(items[0], col+1)
		for _, it := range items[1:] {
			pp.newline(col + 1)
			pp.print(it, col+1)
		}
		pp.b.WriteString(")")
	case *lang.Vector:
		pp.b.WriteString("#(")
		for i, it := range x.Items {
			if i > 0 {
				pp.newline(col + 2)
			}
			pp.print(it, col+2)
		}
		pp.b.WriteString(")")
	default:
		pp.b.WriteString(flat)
	}
}

func headName(s *lang.Symbol, ok bool) string {
	if !ok {
		return ""
	}
	return s.Name
}

func (pp *prettyPrinter) newline(col int) {
	pp.b.WriteString("\n")
	pp.b.WriteString(strings.Repeat(" ", col))
}

// column returns the column the output has reached.
func (pp *prettyPrinter) column() int {
	s := pp.b.String()
	return len(s) - strings.LastIndexByte(s, '\n') - 1
}

// builtinPrettyPrint is (pretty-print obj [port] [#:width n] [#:display? b]).
func builtinPrettyPrint(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	pp := &prettyPrinter{width: 79}
	rest := args[1:]
	var portArgs []lang.Value
	if len(rest) > 0 {
		if _, isKeyword := rest[0].(*lang.Keyword); !isKeyword {
			portArgs, rest = rest[:1], rest[1:]
		}
	}
	for i := 0; i < len(rest); i += 2 {
		k, ok := rest[i].(*lang.Keyword)
		if !ok || i+1 >= len(rest) {
			return nil, procErrorf("pretty-print", "want keyword arguments #:width n or #:display? bool, got %s", lang.WriteString(rest[i]))
		}
		switch k.Name {
		case "width":
			n, ok := rest[i+1].(lang.Fixnum)
			if !ok || n < 1 {
				return nil, procErrorf("pretty-print", "#:width wants a positive integer, got %s", lang.WriteString(rest[i+1]))
			}
			pp.width = int(n)
		case "display?":
			pp.display = lang.IsTrue(rest[i+1])
		default:
			// Guile's other options (#:per-line-prefix, #:max-expr-width)
			// are accepted and ignored.
		}
	}
	p, err := outPort(th, "pretty-print", append([]lang.Value{args[0]}, portArgs...), 1)
	if err != nil {
		return nil, err
	}
	col := 0
	if !p.atLineStart {
		col = 1
	}
	pp.print(args[0], col)
	pp.b.WriteString("\n")
	return lang.Unspec, p.WriteString(pp.b.String())
}
