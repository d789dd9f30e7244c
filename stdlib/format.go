package stdlib

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// format, in the dialect of Guile's (ice-9 format) that configuration
// code uses: ~a ~s (with a minimum column, ~@a padding on the left),
// ~d ~x ~o ~b (with a minimum column and pad character, ~@d for a sign,
// ~:d for grouped digits), ~c, ~f (with digits after the point), ~% ~&
// ~~, ~* to skip an argument, ~? for an indirect format, and ~{ ~}
// iteration with ~^. simple-format accepts only ~a ~s ~% ~~.
var formatBuiltins = []*eval.Builtin{
	{Name: "format", MinArgs: 1, MaxArgs: -1, Fn: builtinFormat, Doc: "(format destination control arg ...): format the arguments by the control string; destination #f returns a string, #t writes to the current output port, a port writes to it."},
	{Name: "simple-format", MinArgs: 2, MaxArgs: -1, Fn: builtinSimpleFormat, Doc: "(simple-format destination control arg ...): format with ~a, ~s, ~% and ~~ only."},
}

// FormatError is a bad control string or argument list: it names the
// directive and its position in the control string.
type FormatError struct {
	Proc, Msg string
}

func (e *FormatError) Error() string { return e.Proc + ": " + e.Msg }

func builtinFormat(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return doFormat(th, "format", args, false)
}

func builtinSimpleFormat(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return doFormat(th, "simple-format", args, true)
}

func doFormat(th *eval.Thread, proc string, args []lang.Value, simple bool) (lang.Value, error) {
	var port *Port
	ctlIndex := 1
	switch d := args[0].(type) {
	case lang.Boolean:
		if bool(d) {
			port = CurrentOutputPort(th)
		}
	case *Port:
		if !d.isOutput() {
			return nil, wrongType(proc, 0, "output port, #t or #f", args[0])
		}
		port = d
	case *lang.String:
		// Guile allows the destination to be omitted when the control
		// string comes first; the result is then a string.
		ctlIndex = 0
	default:
		return nil, wrongType(proc, 0, "output port, #t or #f", args[0])
	}
	if len(args) <= ctlIndex {
		return nil, procErrorf(proc, "missing control string")
	}
	ctl, err := argString(proc, args, ctlIndex)
	if err != nil {
		return nil, err
	}
	f := &formatter{th: th, proc: proc, simple: simple}
	if port != nil {
		f.col = 0
		if !port.atLineStart {
			f.col = 1
		}
	}
	rest, err := f.run(ctl.String(), args[ctlIndex+1:])
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, &FormatError{Proc: proc, Msg: fmt.Sprintf("%d argument(s) left over for control string %s", len(rest), lang.WriteString(ctl))}
	}
	if port == nil {
		return lang.NewString(f.out.String()), nil
	}
	if err := port.WriteString(f.out.String()); err != nil {
		return nil, err
	}
	return lang.Unspec, nil
}

type formatter struct {
	th     *eval.Thread
	proc   string
	simple bool
	out    strings.Builder
	col    int // column of the output, for ~&
}

// errStopIteration is ~^ leaving a ~{ ~} loop body.
var errStopIteration = &FormatError{Msg: "~^ outside ~{ ~}"}

func (f *formatter) emit(s string) {
	if s == "" {
		return
	}
	f.out.WriteString(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		f.col = utf8.RuneCountInString(s[i+1:])
	} else {
		f.col += utf8.RuneCountInString(s)
	}
}

type directive struct {
	params      []lang.Value // nil entries for omitted parameters
	colon, at   bool
	char        byte
	start, next int // offsets of the ~ and after the directive
}

// parseDirective parses the directive whose ~ is at ctl[i].
func (f *formatter) parseDirective(ctl string, i int, args *[]lang.Value) (directive, error) {
	d := directive{start: i}
	j := i + 1
	for {
		// One parameter: digits, 'c, v or #, or nothing before a comma.
		var p lang.Value
		switch {
		case j < len(ctl) && (ctl[j] >= '0' && ctl[j] <= '9' || ctl[j] == '-' || ctl[j] == '+'):
			k := j + 1
			for k < len(ctl) && ctl[k] >= '0' && ctl[k] <= '9' {
				k++
			}
			n, err := strconv.Atoi(ctl[j:k])
			if err != nil {
				return d, f.errorf(ctl, i, "bad numeric parameter %q", ctl[j:k])
			}
			p = makeInt(n)
			j = k
		case j+1 < len(ctl) && ctl[j] == '\'':
			c, size := utf8.DecodeRuneInString(ctl[j+1:])
			p = lang.Char(c)
			j += 1 + size
		case j < len(ctl) && (ctl[j] == 'v' || ctl[j] == 'V'):
			if len(*args) == 0 {
				return d, f.errorf(ctl, i, "no argument left for the v parameter")
			}
			p = (*args)[0]
			*args = (*args)[1:]
			j++
		case j < len(ctl) && ctl[j] == '#':
			p = makeInt(len(*args))
			j++
		}
		if j < len(ctl) && ctl[j] == ',' {
			d.params = append(d.params, p)
			j++
			continue
		}
		if p != nil {
			d.params = append(d.params, p)
		}
		break
	}
	for j < len(ctl) && (ctl[j] == ':' || ctl[j] == '@') {
		if ctl[j] == ':' {
			d.colon = true
		} else {
			d.at = true
		}
		j++
	}
	if j >= len(ctl) {
		return d, f.errorf(ctl, i, "control string ends inside a directive")
	}
	d.char = ctl[j]
	if d.char >= 'A' && d.char <= 'Z' {
		d.char += 'a' - 'A'
	}
	d.next = j + 1
	return d, nil
}

func (f *formatter) errorf(ctl string, at int, format string, a ...any) error {
	return &FormatError{Proc: f.proc, Msg: fmt.Sprintf(format, a...) + fmt.Sprintf(" at offset %d of control string %s", at, lang.WriteString(lang.NewString(ctl)))}
}

func (d *directive) intParam(i, def int) int {
	if i < len(d.params) {
		if n, ok := d.params[i].(lang.Fixnum); ok {
			return int(n)
		}
	}
	return def
}

func (d *directive) charParam(i int, def rune) rune {
	if i < len(d.params) {
		if c, ok := d.params[i].(lang.Char); ok {
			return rune(c)
		}
	}
	return def
}

// pad pads s to the directive's minimum column with its pad character;
// on the left when left is true.
func (d *directive) pad(s string, left bool, padIndex int) string {
	mincol := d.intParam(0, 0)
	n := utf8.RuneCountInString(s)
	if n >= mincol {
		return s
	}
	fill := strings.Repeat(string(d.charParam(padIndex, ' ')), mincol-n)
	if left {
		return fill + s
	}
	return s + fill
}

// run formats ctl with args, returning the arguments it did not use.
func (f *formatter) run(ctl string, args []lang.Value) ([]lang.Value, error) {
	i := 0
	for i < len(ctl) {
		t := strings.IndexByte(ctl[i:], '~')
		if t < 0 {
			f.emit(ctl[i:])
			break
		}
		f.emit(ctl[i : i+t])
		i += t
		d, err := f.parseDirective(ctl, i, &args)
		if err != nil {
			return nil, err
		}
		next := func() (lang.Value, error) {
			if len(args) == 0 {
				return nil, f.errorf(ctl, d.start, "no argument left for ~%c", d.char)
			}
			v := args[0]
			args = args[1:]
			return v, nil
		}
		if f.simple && !strings.ContainsRune("as%~", rune(d.char)) {
			return nil, f.errorf(ctl, d.start, "simple-format supports only ~a ~s ~%% ~~, not ~%c", d.char)
		}
		switch d.char {
		case 'a', 's':
			v, err := next()
			if err != nil {
				return nil, err
			}
			var s string
			if d.char == 'a' {
				s = lang.DisplayString(v)
			} else {
				s = lang.WriteString(v)
			}
			f.emit(d.pad(s, d.at, 3))
		case 'd', 'x', 'o', 'b':
			v, err := next()
			if err != nil {
				return nil, err
			}
			f.emit(d.pad(formatInteger(v, d), true, 1))
		case 'c':
			v, err := next()
			if err != nil {
				return nil, err
			}
			c, ok := v.(lang.Char)
			if !ok {
				return nil, f.errorf(ctl, d.start, "~c wants a character, got %s", lang.TypeName(v))
			}
			if d.at {
				f.emit(lang.WriteString(c))
			} else {
				f.emit(string(rune(c)))
			}
		case 'f':
			v, err := next()
			if err != nil {
				return nil, err
			}
			f.emit(formatFixed(v, &d))
		case '%':
			f.emit(strings.Repeat("\n", max(1, d.intParam(0, 1))))
		case '&':
			if f.col != 0 {
				f.emit("\n")
			}
		case '~':
			f.emit(strings.Repeat("~", max(1, d.intParam(0, 1))))
		case '*':
			n := d.intParam(0, 1)
			if d.at {
				return nil, f.errorf(ctl, d.start, "~@* is not supported")
			}
			if n > len(args) {
				return nil, f.errorf(ctl, d.start, "~* skips %d arguments but only %d are left", n, len(args))
			}
			args = args[n:]
		case '?':
			sub, err := next()
			if err != nil {
				return nil, err
			}
			s, ok := sub.(*lang.String)
			if !ok {
				return nil, f.errorf(ctl, d.start, "~? wants a control string, got %s", lang.TypeName(sub))
			}
			if d.at {
				if args, err = f.run(s.String(), args); err != nil {
					return nil, err
				}
				break
			}
			l, err := next()
			if err != nil {
				return nil, err
			}
			subArgs, err := listToSlice(f.proc, []lang.Value{l}, 0)
			if err != nil {
				return nil, f.errorf(ctl, d.start, "~? wants a list of arguments, got %s", lang.TypeName(l))
			}
			if _, err := f.run(s.String(), subArgs); err != nil {
				return nil, err
			}
		case '{':
			end, err := findClose(ctl, d.next)
			if err != nil {
				return nil, f.errorf(ctl, d.start, "~{ without a matching ~}")
			}
			body := ctl[d.next:end]
			var items []lang.Value
			if d.at {
				items, args = args, nil
			} else {
				l, err := next()
				if err != nil {
					return nil, err
				}
				if items, err = listToSlice(f.proc, []lang.Value{l}, 0); err != nil {
					return nil, f.errorf(ctl, d.start, "~{ wants a list, got %s", lang.TypeName(l))
				}
			}
			limit := d.intParam(0, -1)
			for n := 0; len(items) > 0 && (limit < 0 || n < limit); n++ {
				if d.colon {
					sub, err := listToSlice(f.proc, items[:1], 0)
					if err != nil {
						return nil, f.errorf(ctl, d.start, "~:{ wants a list of lists")
					}
					items = items[1:]
					if _, err := f.run(body, sub); err != nil && err != errStopIteration {
						return nil, err
					}
					continue
				}
				rest, err := f.run(body, items)
				if err == errStopIteration {
					break
				}
				if err != nil {
					return nil, err
				}
				if len(rest) == len(items) {
					return nil, f.errorf(ctl, d.start, "~{ body consumes no arguments")
				}
				items = rest
			}
			i = end + 2
			continue
		case '}':
			return nil, f.errorf(ctl, d.start, "~} without a matching ~{")
		case '^':
			if len(args) == 0 {
				return args, errStopIteration
			}
		case '\n':
			// ~ followed by a newline: skip the newline and the
			// indentation of the next line.
			j := d.next
			for j < len(ctl) && (ctl[j] == ' ' || ctl[j] == '\t') {
				j++
			}
			i = j
			continue
		default:
			return nil, f.errorf(ctl, d.start, "unknown directive ~%c", d.char)
		}
		i = d.next
	}
	return args, nil
}

// findClose returns the offset of the ~} closing a ~{ whose body starts
// at from, skipping nested loops.
func findClose(ctl string, from int) (int, error) {
	depth := 0
	for i := from; i+1 < len(ctl); i++ {
		if ctl[i] != '~' {
			continue
		}
		j := i + 1
		for j < len(ctl) && strings.IndexByte("0123456789,:@'#vV-+", ctl[j]) >= 0 {
			if ctl[j] == '\'' {
				j++
			}
			j++
		}
		if j >= len(ctl) {
			break
		}
		switch ctl[j] {
		case '{':
			depth++
		case '}':
			if depth == 0 {
				return i, nil
			}
			depth--
		case '~':
		}
		i = j
	}
	return 0, fmt.Errorf("unclosed")
}

func formatInteger(v lang.Value, d directive) string {
	radix := map[byte]int{'d': 10, 'x': 16, 'o': 8, 'b': 2}[d.char]
	if !lang.IsExactInteger(v) {
		// Guile prints non-integers as ~a would.
		return lang.DisplayString(v)
	}
	s := lang.NumberToString(v, radix)
	if d.colon {
		sep := string(d.charParam(2, ','))
		interval := d.intParam(3, 3)
		neg := strings.HasPrefix(s, "-")
		digits := strings.TrimPrefix(s, "-")
		var groups []string
		for len(digits) > interval {
			groups = append([]string{digits[len(digits)-interval:]}, groups...)
			digits = digits[:len(digits)-interval]
		}
		groups = append([]string{digits}, groups...)
		s = strings.Join(groups, sep)
		if neg {
			s = "-" + s
		}
	}
	if d.at && lang.Sign(v) >= 0 {
		s = "+" + s
	}
	return s
}

// formatFixed implements ~w,dF: a fixed-point number with d digits after
// the point, padded on the left to w columns.
func formatFixed(v lang.Value, d *directive) string {
	x, ok := lang.ToFloat(v)
	if !ok {
		return lang.DisplayString(v)
	}
	digits := d.intParam(1, -1)
	var s string
	switch {
	case math.IsInf(x, 1):
		s = "+inf.0"
	case math.IsInf(x, -1):
		s = "-inf.0"
	case math.IsNaN(x):
		s = "+nan.0"
	case digits >= 0:
		s = strconv.FormatFloat(x, 'f', digits, 64)
		if digits == 0 {
			s += "."
		}
	default:
		s = strconv.FormatFloat(x, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
	}
	if d.at && x >= 0 {
		s = "+" + s
	}
	return d.pad(s, true, 4)
}
