package eval_test

import (
	"bytes"
	"fmt"
	"os"
	"testing"
	"time"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/eval/evaltest"
	"fruix.dev/fruix/lang"
)

func TestScratch(t *testing.T) {
	f := os.Getenv("FRUIX_SCRATCH")
	if f == "" {
		t.Skip()
	}
	var out bytes.Buffer
	th := newTestThread(&out)
	evaltest.Install(th)
	th.UseModules([]string{"fruix", "evaltest"})
	start := time.Now()
	v, err := th.LoadFile(f)
	fmt.Print(out.String())
	if err != nil {
		fmt.Println(eval.FormatError(err))
	} else {
		fmt.Println("=>", lang.WriteString(v))
	}
	fmt.Println("time", time.Since(start))
}
