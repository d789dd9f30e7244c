package stdlib_test

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
)

// BenchmarkCopyRecursively copies a tree of 10,000 small files (100
// directories of 100 files of 100 bytes) with copy-recursively, logging
// to a port that discards and not logging, and with `cp -a` for
// comparison; one copy per iteration. FRUIX_BENCH_DIR names where to
// work (e.g. a tmpfs such as /dev/shm, to measure the copy rather than
// the disk); the default is the test's temporary directory.
func BenchmarkCopyRecursively(b *testing.B) {
	base := benchDir(b)
	src := filepath.Join(base, "src")
	data := make([]byte, 100)
	for d := 0; d < 100; d++ {
		dir := filepath.Join(src, fmt.Sprintf("dir%03d", d))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		for f := 0; f < 100; f++ {
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("file%03d", f)), data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	scratch := filepath.Join(base, "scratch")
	th := stdlib.New(eval.Options{Stdout: io.Discard, Stderr: io.Discard})
	if err := th.UseModules([]string{"fruix", "build", "utils"}); err != nil {
		b.Fatal(err)
	}
	copyWith := func(b *testing.B, logArg string) {
		for i := 0; i < b.N; i++ {
			dst := filepath.Join(scratch, fmt.Sprintf("copy-%s-%d", b.Name()[len("BenchmarkCopyRecursively/"):], i))
			_, err := th.EvalString(&lang.Source{Name: "bench"}, fmt.Sprintf("(copy-recursively %q %q%s)", src, dst, logArg))
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			os.RemoveAll(dst)
			b.StartTimer()
		}
	}
	b.Run("copy-recursively", func(b *testing.B) { copyWith(b, "") })
	b.Run("copy-recursively-nolog", func(b *testing.B) { copyWith(b, " #:log #f") })
	b.Run("cp-a", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			dst := filepath.Join(scratch, fmt.Sprintf("cp-%d", i))
			if out, err := exec.Command("cp", "-a", src, dst).CombinedOutput(); err != nil {
				b.Fatalf("%v: %s", err, out)
			}
			b.StopTimer()
			os.RemoveAll(dst)
			b.StartTimer()
		}
	})
}

// BenchmarkBuildSideTrivialProgram is the interpreter's share of a
// trivial builtin:scheme build: a fresh build-side thread loading
// (fruix build utils) from a shipped tree and writing a file.
func BenchmarkBuildSideTrivialProgram(b *testing.B) {
	dir := b.TempDir()
	modules := filepath.Join(dir, "modules")
	for _, name := range []string{"utils", "union"} {
		text, err := fs.ReadFile(stdlib.Sources(), "fruix/build/"+name+".scm")
		if err != nil {
			b.Fatal(err)
		}
		os.MkdirAll(filepath.Join(modules, "fruix/build"), 0o755)
		os.WriteFile(filepath.Join(modules, "fruix/build", name+".scm"), text, 0o644)
	}
	out := filepath.Join(dir, "out")
	for _, c := range []struct{ name, program string }{
		{"write-file", fmt.Sprintf("(call-with-output-file %q newline)", out)},
		{"with-utils", fmt.Sprintf("(begin (use-modules (fruix build utils)) (mkdir-p %q))", out+"-dir")},
	} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				th := stdlib.NewBuildSide(eval.Options{Stdout: io.Discard, Stderr: io.Discard}, modules)
				if _, err := th.EvalString(&lang.Source{Name: "builder"}, c.program); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPatchShebangs patches the #! line of 1,000 executable scripts
// of 4 KiB in one directory with patch-shebangs; "sed" rewrites the same
// first lines with GNU sed -i for comparison. The scripts are rewritten
// between iterations, outside the timing.
func BenchmarkPatchShebangs(b *testing.B) {
	base := benchDir(b)
	interp := filepath.Join(base, "interp")
	if err := os.MkdirAll(interp, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(interp, "perl"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(base, "bin")
	body := make([]byte, 4096)
	for i := range body {
		body[i] = 'a' + byte(i%26)
	}
	var names []string
	reset := func(b *testing.B) {
		os.RemoveAll(bin)
		if err := os.MkdirAll(bin, 0o755); err != nil {
			b.Fatal(err)
		}
		names = names[:0]
		for i := 0; i < 1000; i++ {
			name := filepath.Join(bin, fmt.Sprintf("script%04d", i))
			if err := os.WriteFile(name, append([]byte("#!/usr/bin/perl -w\n"), body...), 0o755); err != nil {
				b.Fatal(err)
			}
			names = append(names, name)
		}
	}
	th := stdlib.New(eval.Options{Stdout: io.Discard, Stderr: io.Discard})
	if err := th.UseModules([]string{"fruix", "build", "primitives"}); err != nil {
		b.Fatal(err)
	}
	b.Run("patch-shebangs", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			reset(b)
			b.StartTimer()
			v, err := th.EvalString(&lang.Source{Name: "bench"}, fmt.Sprintf("(length (patch-shebangs %q (list %q)))", bin, interp))
			if err != nil {
				b.Fatal(err)
			}
			if lang.WriteString(v) != "1000" {
				b.Fatalf("patched %s scripts", lang.WriteString(v))
			}
		}
	})
	b.Run("sed", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			reset(b)
			b.StartTimer()
			args := append([]string{"-i", "1s|^#!/usr/bin/perl|#!" + interp + "/perl|"}, names...)
			if out, err := exec.Command("sed", args...).CombinedOutput(); err != nil {
				b.Fatalf("%v: %s", err, out)
			}
		}
	})
}

// benchDir is a directory to work in, removed at the end: under
// FRUIX_BENCH_DIR if it is set (e.g. a tmpfs such as /dev/shm), else the
// benchmark's temporary directory.
func benchDir(b *testing.B) string {
	dir := os.Getenv("FRUIX_BENCH_DIR")
	if dir == "" {
		return b.TempDir()
	}
	base, err := os.MkdirTemp(dir, "fruix-bench-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(base) })
	return base
}
