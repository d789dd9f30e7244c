package stdlib

import (
	"testing"

	"fruix.dev/fruix/lang"
)

func TestFormatDirectives(t *testing.T) {
	list := func(vs ...lang.Value) lang.Value { return lang.List(vs...) }
	i := func(n int64) lang.Value { return lang.MakeInt(n) }
	for _, c := range []struct {
		ctl  string
		args []lang.Value
		want string
	}{
		{"plain", nil, "plain"},
		{"~a|~s", []lang.Value{lang.NewString("x"), lang.NewString("x")}, `x|"x"`},
		{"~8,'*d", []lang.Value{i(-42)}, "*****-42"},
		{"~x ~o ~b", []lang.Value{i(255), i(8), i(6)}, "ff 10 110"},
		{"~:d", []lang.Value{i(-1234567)}, "-1,234,567"},
		{"~,,'.:d", []lang.Value{i(1234567)}, "1.234.567"},
		{"~d", []lang.Value{lang.MakeFloat(1.5)}, "1.5"},
		{"~{[~a]~}", []lang.Value{list(i(1), i(2))}, "[1][2]"},
		{"~{~a~^,~}", []lang.Value{list()}, ""},
		{"~2{~a~}", []lang.Value{list(i(1), i(2), i(3))}, "12"},
		{"~{~{~a~}~}", []lang.Value{list(list(i(1), i(2)), list(i(3)))}, "123"},
		{"~@?", []lang.Value{lang.NewString("<~a>"), i(5)}, "<5>"},
		{"~v,'xd", []lang.Value{i(4), i(7)}, "xxx7"},
		{"~3%", nil, "\n\n\n"},
		{"~,0f", []lang.Value{lang.MakeFloat(2.5)}, "2."},
		{"~f", []lang.Value{i(3)}, "3.0"},
		{"~@f", []lang.Value{lang.MakeFloat(1.25)}, "+1.25"},
		{"~A~S", []lang.Value{lang.Intern("a"), lang.Intern("b")}, "ab"},
	} {
		f := &formatter{proc: "format"}
		rest, err := f.run(c.ctl, c.args)
		if err != nil {
			t.Errorf("%q: %v", c.ctl, err)
			continue
		}
		if len(rest) != 0 {
			t.Errorf("%q: %d arguments left", c.ctl, len(rest))
		}
		if got := f.out.String(); got != c.want {
			t.Errorf("%q: got %q, want %q", c.ctl, got, c.want)
		}
	}
}

func TestFormatErrors(t *testing.T) {
	for _, c := range []struct {
		ctl  string
		args []lang.Value
		want string
	}{
		{"~", nil, `format: control string ends inside a directive at offset 0 of control string "~"`},
		{"~a", nil, `format: no argument left for ~a at offset 0 of control string "~a"`},
		{"~}", nil, `format: ~} without a matching ~{ at offset 0 of control string "~}"`},
		{"~{~}", []lang.Value{lang.List(lang.MakeInt(1))}, `format: ~{ body consumes no arguments at offset 0 of control string "~{~}"`},
		{"~c", []lang.Value{lang.MakeInt(1)}, `format: ~c wants a character, got integer at offset 0 of control string "~c"`},
		{"~{~a~}", []lang.Value{lang.MakeInt(1)}, `format: ~{ wants a list, got integer at offset 0 of control string "~{~a~}"`},
	} {
		f := &formatter{proc: "format"}
		_, err := f.run(c.ctl, c.args)
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: got %v, want %s", c.ctl, err, c.want)
		}
	}
}
