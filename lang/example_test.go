package lang_test

import (
	"fmt"
	"io"
	"strings"

	"fruix.dev/fruix/lang"
)

func ExampleReadAll() {
	src := &lang.Source{Name: "config.scm"}
	data, err := lang.ReadAll(src, []byte("(service openssh-service-type)\n'(port . 22) #~(system* #$coreutils)"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range data {
		fmt.Println(d.(*lang.Pair).Pos, lang.WriteString(d))
	}
	// Output:
	// config.scm:1:1 (service openssh-service-type)
	// config.scm:2:1 '(port . 22)
	// config.scm:2:14 (gexp (system* (ungexp coreutils)))
}

func ExampleReadError() {
	_, err := lang.ReadAll(&lang.Source{Name: "config.scm"}, []byte("(operating-system\n  (host-name \"vm\"]"))
	fmt.Println(err)
	// Output:
	// config.scm:2:18: mismatched `]`: expected `)` to close `(` opened at 2:3
}

func ExampleNewPortReader() {
	port := strings.NewReader("(a b) 42 rest")
	r := lang.NewPortReader(&lang.Source{Name: "<port>"}, port)
	first, _ := r.Read()
	second, _ := r.Read()
	rest, _ := io.ReadAll(port)
	fmt.Printf("%s %s %q\n", lang.WriteString(first), lang.WriteString(second), rest)
	// Output:
	// (a b) 42 " rest"
}

func ExampleAdd() {
	big, _ := lang.Add(lang.MakeInt(9223372036854775807), lang.MakeInt(1))
	third, _ := lang.Div(lang.MakeInt(1), lang.MakeInt(3))
	sum, _ := lang.Add(third, lang.MakeFloat(0.5))
	_, err := lang.Div(lang.MakeInt(1), lang.MakeInt(0))
	fmt.Println(lang.WriteString(big), lang.WriteString(third), lang.WriteString(sum), err)
	// Output:
	// 9223372036854775808 1/3 0.8333333333333333 /: division by zero
}

func ExampleWriteString() {
	v := lang.List(lang.NewString("tab\there"), lang.Char(' '), lang.Intern("odd symbol"), lang.MakeFloat(1e21))
	fmt.Println(lang.WriteString(v))
	fmt.Println(lang.DisplayString(v))
	// Output:
	// ("tab\there" #\space |odd symbol| 1.0e21)
	// (tab	here   odd symbol 1.0e21)
}
