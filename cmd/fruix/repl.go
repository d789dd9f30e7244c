package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"fruix.dev/fruix/cmd/internal/frontend"
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
	"fruix.dev/fruix/store"
)

func init() {
	register("repl", "evaluate Scheme interactively (line editing, history, ,help)", runRepl)
}

const replUsage = `usage: fruix repl [-L DIR]...

Starts an interactive Scheme session in module (guile-user). Input
continues over several lines until a datum is complete; results print as
$1 = value. Ctrl-C interrupts a running evaluation (or clears the input
at the prompt), Ctrl-D exits. Type ,help for the meta-commands.

When standard input is not a terminal, the REPL reads plain lines with no
prompt, so it can be scripted.

Options:
  -L DIR   add DIR to the front of the module load path (replDirList);
           FRUIX_LOAD_PATH (colon-separated) is searched after them
`

func runRepl(args []string) int {
	fs := flag.NewFlagSet("fruix repl", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	fs.Usage = func() { io.WriteString(os.Stderr, replUsage) }
	var loadPath replDirList
	fs.Var(&loadPath, "L", "add `DIR` to the module load path")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "fruix repl: unexpected argument %q\n", fs.Arg(0))
		io.WriteString(os.Stderr, replUsage)
		return 2
	}
	th := newReplThread(loadPath, os.Stdin, os.Stdout, os.Stderr)

	r := newRepl(th, nil, os.Stdout, os.Stderr)
	if replIsTerminal(os.Stdin) && replIsTerminal(os.Stdout) {
		r.in = newTerminalInput(replHistoryFile(), r.complete)
	} else {
		r.in = newPlainInput(os.Stdin)
	}
	defer r.in.Close()
	stop := r.catchInterrupts()
	defer stop()
	return r.run()
}

// newReplThread returns an evaluator with the whole standard library, as
// fruix-eval has.
func newReplThread(loadPath []string, stdin io.Reader, stdout, stderr io.Writer) *eval.Thread {
	th := stdlib.New(eval.Options{
		LoadPath: append(loadPath, replLoadPathFromEnv(os.Getenv("FRUIX_LOAD_PATH"))...),
		Args:     []string{"fruix"},
		Stdin:    stdin,
		Stdout:   stdout,
		Stderr:   stderr,
	})
	// The expressions of ,graph and ,build see (fruix gexp) and (fruix
	// derivations) without importing them, as fruix build -e's do.
	importBuildModules(th)
	// ,path and ,build compute the paths of the store they will use,
	// which only $FRUIX_STORE_DIR chooses.
	if err := frontend.Configure(th, "", frontend.Location{}); err != nil {
		fmt.Fprintf(stderr, "fruix repl: %s: %v\n", store.EnvStoreDir, err)
	}
	return th
}

// replDirList collects the values of an option given several times.
type replDirList []string

func (r *replDirList) String() string     { return strings.Join(*r, " ") }
func (r *replDirList) Set(v string) error { *r = append(*r, v); return nil }

// replLoadPathFromEnv splits a colon-separated FRUIX_LOAD_PATH, dropping empty
// entries.
func replLoadPathFromEnv(s string) []string {
	var dirs []string
	for _, d := range filepath.SplitList(s) {
		if d != "" {
			dirs = append(dirs, d)
		}
	}
	return dirs
}

// replHistoryFile is where the REPL keeps its history:
// $XDG_STATE_HOME/fruix/repl_history, else ~/.local/state/fruix/repl_history.
func replHistoryFile() string {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "fruix", "repl_history")
}

// replIsTerminal reports whether f is a character device such as a terminal.
func replIsTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// repl is one interactive session over a Thread.
type repl struct {
	th        *eval.Thread
	in        lineSource
	out       io.Writer
	errOut    io.Writer
	results   int             // the last $N given
	linesRead int             // lines of the session read so far
	inputLine int             // the session line the current input starts at
	defined   map[string]bool // names defined in the session, for completion

	evaluating atomic.Bool // an evaluation is running (Ctrl-C cancels it)
	interrupts chan os.Signal
	quit       bool
	exitCode   int
}

func newRepl(th *eval.Thread, in lineSource, out, errOut io.Writer) *repl {
	return &repl{th: th, in: in, out: out, errOut: errOut}
}

// catchInterrupts makes Ctrl-C cancel the running evaluation instead of
// killing the process. It returns a function that restores the default.
func (r *repl) catchInterrupts() (stop func()) {
	r.interrupts = make(chan os.Signal, 1)
	signal.Notify(r.interrupts, os.Interrupt)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range r.interrupts {
			if r.evaluating.Load() {
				r.th.Cancel()
			}
		}
	}()
	return func() {
		signal.Stop(r.interrupts)
		close(r.interrupts)
		wg.Wait()
	}
}

// prompt is shown before a new datum: fruix@(guile-user)>
func (r *repl) prompt() string {
	return "fruix@" + r.th.CurrentModule().NameString() + "> "
}

// run reads, evaluates and prints until end of input or ,quit, and
// returns the exit status.
func (r *repl) run() int {
	for !r.quit {
		text, err := r.readInput()
		if err == io.EOF {
			if r.in.Interactive() {
				io.WriteString(r.out, "\n")
			}
			break
		}
		if err != nil {
			fmt.Fprintf(r.errOut, "fruix repl: %v\n", err)
			return 1
		}
		r.handle(text)
	}
	return r.exitCode
}

// readInput returns the next complete input: a meta-command, or text
// holding one or more complete data. Ctrl-C at the prompt discards what
// was typed so far.
func (r *repl) readInput() (string, error) {
	var buf strings.Builder
	for {
		prompt := r.prompt()
		if buf.Len() > 0 {
			prompt = strings.Repeat(" ", len(prompt)-4) + "... "
		}
		line, err := r.in.ReadLine(prompt)
		if err == nil {
			r.linesRead++
		}
		if errors.Is(err, errInputCancelled) {
			buf.Reset()
			continue
		}
		if err == io.EOF && buf.Len() > 0 {
			// The input ended inside a datum: evaluate it anyway so the
			// reader reports what is unterminated.
			return buf.String(), nil
		}
		if err != nil {
			return "", err
		}
		if buf.Len() == 0 && strings.TrimSpace(line) == "" {
			continue
		}
		if buf.Len() == 0 {
			r.inputLine = r.linesRead
		}
		buf.WriteString(line)
		buf.WriteByte('\n')
		text := buf.String()
		complete := !incomplete(text)
		if isMeta(text) {
			cmd, arg := splitMeta(text)
			complete = !metaTakesExpression(cmd) || !incomplete(arg)
		}
		if complete {
			r.in.AddHistory(strings.TrimRight(text, "\n"))
			return text, nil
		}
	}
}

// isMeta reports whether input is a meta-command such as ,help: like
// Guile, a comma at the start of the input.
func isMeta(text string) bool {
	return strings.HasPrefix(strings.TrimSpace(text), ",")
}

// incomplete reports whether text ends inside a datum: the reader says
// something is unterminated, so more lines may complete it.
func incomplete(text string) bool {
	_, err := lang.ReadAll(replSource, []byte(text))
	return lang.IsIncomplete(err)
}

// replSource names the session in positions: <repl>:LINE:COL, counting
// the lines of the whole session.
var replSource = &lang.Source{Name: "<repl>"}

// read reads the data of the current input, numbering its lines as the
// session's lines so that errors point where the user typed.
func (r *repl) read(text string) ([]lang.Value, error) {
	rd := lang.NewReader(replSource, []byte(text))
	rd.StartAtLine(max(r.inputLine, 1))
	var data []lang.Value
	for {
		v, err := rd.Read()
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return data, err
		}
		data = append(data, v)
	}
}

// handle evaluates one complete input.
func (r *repl) handle(text string) {
	if isMeta(text) {
		r.meta(text)
		return
	}
	data, err := r.read(text)
	if err != nil {
		r.printError(err)
		return
	}
	for _, d := range data {
		r.noteDefinitions(d)
		v, err := r.eval(d)
		if err != nil {
			r.printError(err)
			return
		}
		r.printResult(v)
	}
}

// eval evaluates one datum in the current module, with Ctrl-C enabled.
func (r *repl) eval(datum lang.Value) (lang.Value, error) {
	r.evaluating.Store(true)
	defer r.evaluating.Store(false)
	return r.th.Eval(datum, nil)
}

// printResult shows each value as $N = value and binds $N in the current
// module, as Guile's REPL does. Nothing is shown for the unspecified value.
func (r *repl) printResult(v lang.Value) {
	for _, x := range eval.ValuesOf(v) {
		if x == lang.Value(lang.Unspec) {
			continue
		}
		r.results++
		name := fmt.Sprintf("$%d", r.results)
		r.th.CurrentModule().Define(name, x)
		fmt.Fprintf(r.out, "%s = %s\n", name, lang.WriteString(x))
	}
}

// printError shows an error with its Scheme backtrace. (exit n) ends the
// session with status n.
func (r *repl) printError(err error) {
	var exit *eval.Exit
	if errors.As(err, &exit) {
		r.quit = true
		r.exitCode = exit.Code
		return
	}
	msg := eval.FormatError(err)
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	io.WriteString(r.errOut, msg)
}
