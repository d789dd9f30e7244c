package lang

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the CPU time (user and system, all threads) this
// process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPUThroughput adds a MB per CPU-second metric, which unlike MB/s
// does not depend on how many other processes share the machine.
func reportCPUThroughput(b *testing.B, bytesPerOp int, cpuStart time.Duration) {
	if used := cpuTime() - cpuStart; used > 0 {
		b.ReportMetric(float64(bytesPerOp)*float64(b.N)/1e6/used.Seconds(), "MB/cpu-s")
	}
}

// largeSchemeText generates about size bytes of Scheme source shaped
// like real configuration and library code: nested definitions, calls,
// strings, numbers, keywords, quoted lists, comments and G-expressions.
func largeSchemeText(size int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"define", "lambda", "let", "if", "cond", "string-append", "map", "car", "cdr",
		"operating-system", "service", "file-system", "user-account", "package", "inputs", "x", "y",
		"loop", "acc", "lst", "hash-ref", "format", "list", "cons", "apply", "+", "-", "*", "<="}
	var b strings.Builder
	var expr func(depth int)
	expr = func(depth int) {
		switch k := rng.IntN(12); {
		case depth > 4 || k < 3:
			b.WriteString(names[rng.IntN(len(names))])
		case k < 5:
			fmt.Fprintf(&b, "%d", rng.IntN(100000)-100)
		case k == 5:
			fmt.Fprintf(&b, "\"%s-%d\"", names[rng.IntN(len(names))], rng.IntN(1000))
		case k == 6:
			fmt.Fprintf(&b, "#:%s", names[rng.IntN(len(names))])
		case k == 7:
			b.WriteString("'(")
			for i := rng.IntN(5); i >= 0; i-- {
				expr(depth + 1)
				b.WriteByte(' ')
			}
			b.WriteByte(')')
		case k == 8:
			b.WriteString("#~(")
			b.WriteString(names[rng.IntN(len(names))])
			b.WriteString(" #$")
			expr(depth + 1)
			b.WriteByte(')')
		default:
			b.WriteByte('(')
			b.WriteString(names[rng.IntN(len(names))])
			for i := rng.IntN(4); i >= 0; i-- {
				b.WriteString("\n" + strings.Repeat("  ", depth+1))
				expr(depth + 1)
			}
			b.WriteByte(')')
		}
	}
	for b.Len() < size {
		b.WriteString(";; definition number ")
		fmt.Fprintf(&b, "%d\n(define (proc-%d arg)\n  ", b.Len(), b.Len())
		expr(1)
		b.WriteString(")\n\n")
	}
	return []byte(b.String())
}

var largeText = sync.OnceValue(func() []byte { return largeSchemeText(8 << 20) })

// BenchmarkReadLarge reads an 8 MB generated source file, or the file
// named by $FRUIX_READ_FILE; its MB/s is the reader throughput reported in
// docs/performance.md.
func BenchmarkReadLarge(b *testing.B) {
	text := largeText()
	if path := os.Getenv("FRUIX_READ_FILE"); path != "" {
		var err error
		if text, err = os.ReadFile(path); err != nil {
			b.Fatal(err)
		}
	}
	src := &Source{Name: "large.scm"}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		r := NewReader(src, text)
		n := 0
		for {
			_, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n == 0 {
			b.Fatal("nothing read")
		}
	}
	reportCPUThroughput(b, len(text), start)
}

// BenchmarkReadLargePort reads the same text through a port, one rune at
// a time, as `read` on a file port does.
func BenchmarkReadLargePort(b *testing.B) {
	text := largeText()[:1<<20]
	src := &Source{Name: "large.scm"}
	b.SetBytes(int64(len(text)))
	start := cpuTime()
	for b.Loop() {
		r := NewPortReader(src, strings.NewReader(string(text)))
		for {
			_, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil && !IsIncomplete(err) {
				b.Fatal(err)
			}
			if err != nil {
				break // the 1 MB cut ends inside a datum
			}
		}
	}
	reportCPUThroughput(b, len(text), start)
}

func BenchmarkWriteLarge(b *testing.B) {
	data, err := ReadAll(&Source{Name: "large.scm"}, largeText())
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, v := range data {
		n += len(WriteString(v))
	}
	b.SetBytes(int64(n))
	var buf []byte
	for b.Loop() {
		buf = buf[:0]
		for _, v := range data {
			buf = AppendWrite(buf, v)
		}
	}
}

// TestGenerateLargeFile writes the text BenchmarkReadLarge reads to the
// file named by $FRUIX_LARGE_SCM, so that other Schemes' readers can be
// timed on the same input (see docs/performance.md). It does nothing
// when the variable is unset.
func TestGenerateLargeFile(t *testing.T) {
	path := os.Getenv("FRUIX_LARGE_SCM")
	if path == "" {
		t.Skip("set FRUIX_LARGE_SCM=FILE to write the benchmark input")
	}
	if err := os.WriteFile(path, largeText(), 0o644); err != nil {
		t.Fatal(err)
	}
}
