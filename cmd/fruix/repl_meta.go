package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"time"

	"fruix.dev/fruix/cmd/internal/frontend"
	"fruix.dev/fruix/cmd/internal/storeside"
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
	"fruix.dev/fruix/store/realize"
)

// The REPL's meta-commands: a comma at the start of the input, a name,
// and an argument.

type metaCommand struct {
	names []string // the full name first, then abbreviations
	args  string   // shown by ,help
	help  string
	run   func(r *repl, arg string)
	// expression: the argument is Scheme data, which may span lines.
	expression bool
}

var metaCommands []*metaCommand

func init() {
	metaCommands = []*metaCommand{
		{names: []string{"help", "h"}, help: "show this list", run: (*repl).metaHelp},
		{names: []string{"describe", "d"}, args: "NAME", help: "show the value bound to NAME, its arity and documentation", run: (*repl).metaDescribe},
		{names: []string{"time", "t"}, args: "EXPR", help: "evaluate EXPR and show the wall time and allocations it took", run: (*repl).metaTime, expression: true},
		{names: []string{"load", "l"}, args: "FILE", help: "evaluate the Scheme file FILE in the current module", run: (*repl).metaLoad},
		{names: []string{"use", "u"}, args: "(MODULE)...", help: "import the modules, e.g. ,use (ice-9 match)", run: (*repl).metaUse, expression: true},
		{names: []string{"lower"}, args: "EXPR", help: "lower the value of EXPR and show its derivation", run: (*repl).metaLower, expression: true},
		{names: []string{"path"}, args: "EXPR", help: "show the output path of EXPR's value, without building", run: (*repl).metaPath, expression: true},
		{names: []string{"graph"}, args: "EXPR", help: "show the derivation graph of EXPR's value as a tree", run: (*repl).metaGraph, expression: true},
		{names: []string{"build", "b"}, args: "EXPR", help: "build the value of EXPR and show its output paths", run: (*repl).metaBuild, expression: true},
		{names: []string{"quit", "q"}, help: "leave the REPL (so does Ctrl-D)", run: func(r *repl, _ string) { r.quit = true }},
	}
}

func findMeta(name string) *metaCommand {
	for _, c := range metaCommands {
		for _, n := range c.names {
			if n == name {
				return c
			}
		}
	}
	return nil
}

// splitMeta splits ",name argument" into its name and argument.
func splitMeta(text string) (name, arg string) {
	text = strings.TrimPrefix(strings.TrimSpace(text), ",")
	if i := strings.IndexAny(text, " \t\n"); i >= 0 {
		return text[:i], strings.TrimSpace(text[i:])
	}
	return text, ""
}

// metaTakesExpression reports whether the argument of command name is
// Scheme data that may continue on the next lines.
func metaTakesExpression(name string) bool {
	c := findMeta(name)
	return c != nil && c.expression
}

func (r *repl) meta(text string) {
	name, arg := splitMeta(text)
	c := findMeta(name)
	if c == nil {
		fmt.Fprintf(r.errOut, "unknown meta-command ,%s; ,help lists them\n", name)
		return
	}
	afterName := strings.Index(text, ",") + 1 + len(name) // a byte offset in text
	if c.args != "" && arg == "" {
		// Where the argument was expected: just after the command's name.
		fmt.Fprintf(r.errOut, "%s:%d:%d: ,%s: want ,%s %s\n", replSource.Name, r.line(), afterName+1, c.names[0], c.names[0], c.args)
		return
	}
	if c.expression {
		arg = atColumn(text, afterName, arg)
	}
	c.run(r, arg)
}

// atColumn returns arg, which text ends with and which starts at or after
// byte from (past the command's name), preceded by as many spaces as come
// before it on text's first line, so that the positions read from it are
// the columns the user typed.
func atColumn(text string, from int, arg string) string {
	i := strings.Index(text[from:], arg)
	if i < 0 || strings.Contains(text[:from+i], "\n") {
		return arg
	}
	return strings.Repeat(" ", from+i) + arg
}

func (r *repl) metaHelp(string) {
	io.WriteString(r.out, "Meta-commands (abbreviations in brackets):\n")
	for _, c := range metaCommands {
		usage := "," + c.names[0]
		if c.args != "" {
			usage += " " + c.args
		}
		if len(c.names) > 1 {
			fmt.Fprintf(r.out, "  %-22s %s [,%s]\n", usage, c.help, strings.Join(c.names[1:], " ,"))
		} else {
			fmt.Fprintf(r.out, "  %-22s %s\n", usage, c.help)
		}
	}
	io.WriteString(r.out, "Results are bound to $1, $2, ... Ctrl-C interrupts an evaluation, Ctrl-D exits.\n")
}

func (r *repl) metaDescribe(arg string) {
	name := strings.Fields(arg)[0]
	v, ok := r.th.Lookup(name)
	if !ok {
		fmt.Fprintf(r.errOut, ",describe: %s is not bound in %s\n", name, r.th.CurrentModule().NameString())
		return
	}
	fmt.Fprintf(r.out, "%s: %s\n", name, lang.WriteString(v))
	if min, max, ok := eval.Arity(v); ok {
		fmt.Fprintf(r.out, "  a procedure taking %s\n", arityText(min, max))
		if doc := eval.Documentation(v); doc != "" {
			fmt.Fprintf(r.out, "  %s\n", strings.ReplaceAll(doc, "\n", "\n  "))
		}
		return
	}
	if t := lang.TypeName(v); t == "syntax" {
		fmt.Fprintf(r.out, "  syntax: a special form or macro\n")
	} else {
		fmt.Fprintf(r.out, "  a value of type %s\n", t)
	}
}

// arityText says how many arguments a procedure takes, in words.
func arityText(min, max int) string {
	plural := func(n int) string {
		if n == 1 {
			return "1 argument"
		}
		return fmt.Sprintf("%d arguments", n)
	}
	switch {
	case max < 0:
		if min == 0 {
			return "any number of arguments"
		}
		return "at least " + plural(min)
	case min == max:
		if min == 0 {
			return "no arguments"
		}
		return plural(min)
	default:
		return fmt.Sprintf("%d to %s", min, plural(max))
	}
}

func (r *repl) metaTime(arg string) {
	data, err := r.read(arg)
	if err != nil {
		r.printError(err)
		return
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	var results []lang.Value
	for _, d := range data {
		v, err := r.eval(d)
		if err != nil {
			r.printError(err)
			return
		}
		results = append(results, v)
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	for _, v := range results {
		r.printResult(v)
	}
	fmt.Fprintf(r.out, ";; %.6f s real time, %d allocations, %s allocated\n",
		elapsed.Seconds(), after.Mallocs-before.Mallocs, byteCount(after.TotalAlloc-before.TotalAlloc))
}

func byteCount(n uint64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func (r *repl) metaLoad(arg string) {
	file := strings.Trim(strings.TrimSpace(arg), `"`)
	if st, err := os.Stat(file); err != nil {
		fmt.Fprintf(r.errOut, ",load: cannot read %s: %v\n", file, underlyingErr(err))
		return
	} else if st.IsDir() {
		fmt.Fprintf(r.errOut, ",load: cannot read %s: it is a directory\n", file)
		return
	}
	r.evaluating.Store(true)
	_, err := r.th.LoadFile(file)
	r.evaluating.Store(false)
	if err != nil {
		r.printError(err)
	}
}

func (r *repl) metaUse(arg string) {
	data, err := r.read(arg)
	if err != nil {
		r.printError(err)
		return
	}
	var names [][]string
	for _, d := range data {
		name, ok := moduleName(d)
		if !ok {
			fmt.Fprintf(r.errOut, ",use: want a module name such as (ice-9 match), got %s\n", lang.WriteString(d))
			return
		}
		names = append(names, name)
	}
	r.evaluating.Store(true)
	err = r.th.UseModules(names...)
	r.evaluating.Store(false)
	if err != nil {
		r.printError(err)
	}
}

// moduleName converts (a b c) to ["a" "b" "c"].
func moduleName(d lang.Value) ([]string, bool) {
	var parts []string
	for {
		switch x := d.(type) {
		case *lang.Null:
			return parts, len(parts) > 0
		case *lang.Pair:
			switch part := x.Car.(type) {
			case *lang.Symbol:
				parts = append(parts, part.Name)
			case lang.Fixnum: // R7RS library names may hold integers
				parts = append(parts, lang.WriteString(part))
			default:
				return nil, false
			}
			d = x.Cdr
		default:
			return nil, false
		}
	}
}

// The REPL's meta-commands that lower a value to the store: ,lower,
// ,path, ,graph and ,build. The store is the one FRUIX_STORE_DIR and
// FRUIX_STATE_DIR name (else /frx/store); it is opened only by ,graph (to
// mark what is valid, if it exists) and ,build, and closed again, so the
// session never keeps it from other commands.

// lowerArg evaluates the one expression of a meta-command and lowers its
// value. Errors are printed, positioned where the user typed the
// argument; ok is false then.
func (r *repl) lowerArg(cmd, arg string) (l *stdlib.Lowered, ok bool) {
	data, err := r.read(arg)
	if err != nil {
		r.printError(err)
		return nil, false
	}
	if len(data) != 1 {
		fmt.Fprintf(r.errOut, "%s: ,%s: want one expression, got %d\n", r.argPos(arg, data), cmd, len(data))
		return nil, false
	}
	v, err := r.eval(data[0])
	if err != nil {
		r.printError(err)
		return nil, false
	}
	if !stdlib.Lowerable(r.th, v) {
		fmt.Fprintf(r.errOut, "%s: ,%s: want a derivation or file-like object, got %s\n", r.argPos(arg, data), cmd, frontend.Describe(v))
		return nil, false
	}
	r.evaluating.Store(true)
	l, err = stdlib.Lower(r.th, v)
	r.evaluating.Store(false)
	if err != nil {
		r.printError(err)
		return nil, false
	}
	return l, true
}

// line is the session line the current input starts at.
func (r *repl) line() int { return max(r.inputLine, 1) }

// argPos is where arg, the argument of a meta-command as atColumn padded
// it, starts: its first datum's position when the reader gives one (a
// list), else the input's line and the column of arg's first character.
func (r *repl) argPos(arg string, data []lang.Value) string {
	if len(data) > 0 {
		if p, ok := data[0].(*lang.Pair); ok && p.Pos.Known() {
			return p.Pos.String()
		}
	}
	col := len(arg) - len(strings.TrimLeft(arg, " \t")) + 1
	return fmt.Sprintf("%s:%d:%d", replSource.Name, r.line(), col)
}

func (r *repl) metaLower(arg string) {
	l, ok := r.lowerArg("lower", arg)
	if !ok {
		return
	}
	if l.Drv != nil {
		r.printResult(l.Drv)
	} else {
		r.printResult(lang.NewString(l.Source.Path))
	}
}

func (r *repl) metaPath(arg string) {
	l, ok := r.lowerArg("path", arg)
	if !ok {
		return
	}
	main := l.Path()
	r.printResult(lang.NewString(main))
	for _, name := range frontend.OutputOrder(l.Outputs) {
		if p := l.Outputs[name]; p != main {
			fmt.Fprintf(r.out, ";; output %s: %s\n", name, p)
		}
	}
}

func (r *repl) metaGraph(arg string) {
	l, ok := r.lowerArg("graph", arg)
	if !ok {
		return
	}
	g, err := stdlib.GraphOf(r.th, l)
	if err != nil {
		fmt.Fprintf(r.errOut, ",graph: %v\n", err)
		return
	}
	plan, err := storeside.PlanInStore(g, frontend.Location{}, false)
	if err == nil {
		err = frontend.WriteTree(r.out, plan)
	}
	if err != nil {
		fmt.Fprintf(r.errOut, ",graph: %v\n", err)
	}
}

func (r *repl) metaBuild(arg string) {
	l, ok := r.lowerArg("build", arg)
	if !ok {
		return
	}
	g, err := stdlib.GraphOf(r.th, l)
	if err != nil {
		fmt.Fprintf(r.errOut, ",build: %v\n", err)
		return
	}
	st, err := storeside.Open(frontend.Location{})
	if err != nil {
		fmt.Fprintf(r.errOut, ",build: %v\n", err)
		return
	}
	defer st.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	paths, err := realizeGraph(ctx, st, g, realize.Options{Progress: r.errOut})
	if err != nil {
		fmt.Fprintf(r.errOut, ",build: %v\n", err)
		return
	}
	for _, p := range paths {
		r.printResult(lang.NewString(p))
	}
}
