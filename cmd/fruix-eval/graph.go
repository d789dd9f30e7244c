package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"fruix.dev/fruix/cmd/internal/frontend"
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
	"fruix.dev/fruix/stdlib"
)

// lowerable reports whether the last value lowers: one value, or several
// (values ...) that all do.
func lowerable(th *eval.Thread, last lang.Value) bool {
	vs := eval.ValuesOf(last)
	for _, v := range vs {
		if !stdlib.Lowerable(th, v) {
			return false
		}
	}
	return len(vs) > 0
}

// notLowerable is the error for graph options given for a last value that
// does not lower, positioned at the last expression.
func notLowerable(inv *invocation, last lang.Value) error {
	where := lastFormPos(inv)
	if where != "" {
		where += ": "
	}
	return fmt.Errorf("%sthe last value, %s, is not a derivation or file-like object, so it has no graph to show or build", where, lang.WriteString(last))
}

// lastFormPos is "file:line:col" of the last top-level expression
// evaluated, when it can be read again, else "".
func lastFormPos(inv *invocation) string {
	switch {
	case len(inv.exprs) > 0:
		return frontend.LastFormPos("<command line>", []byte(inv.exprs[len(inv.exprs)-1]))
	case len(inv.files) > 0 && inv.files[len(inv.files)-1] != "-":
		file := inv.files[len(inv.files)-1]
		text, err := os.ReadFile(file)
		if err != nil {
			return ""
		}
		return frontend.LastFormPos(file, text)
	}
	return ""
}

// showGraph prints or builds the graph of the lowerable value v as the
// graph options say, and returns the exit status.
func showGraph(th *eval.Thread, g *graphOptions, v lang.Value, out io.Writer, flush func(), stderr io.Writer) int {
	loc := frontend.Location{StoreDir: g.storeDir, StateDir: g.stateDir}
	// When there is a store to look at, the fruix command that looks is
	// started now, so that its start and the opening of the store overlap
	// the lowering.
	var query *validityQuery
	defer func() {
		if query != nil { // started here or, for a store that appeared meanwhile, by the plan
			query.cancel()
		}
	}()
	if !g.drvsOnly && !(g.build && !g.dryRun) && loc.Exists() {
		query = startValidityQuery(loc)
	}
	graph, err := frontend.LowerValue(th, eval.ValuesOf(v)...)
	if err != nil {
		flush()
		printError(stderr, err)
		return 1
	}
	if g.build && !g.dryRun {
		flush()
		return buildGraph(graph, g, loc, out, stderr)
	}
	var plan *frontend.Plan
	if g.drvsOnly {
		plan, err = frontend.NewPlan(graph, nil, "")
	} else {
		plan, err = frontend.PlanAt(graph, loc, g.dryRun, func(paths []string) (frontend.Validity, string, error) {
			if query == nil {
				query = startValidityQuery(loc)
			}
			return query.answer(paths)
		})
	}
	if err != nil {
		flush()
		fmt.Fprintf(stderr, "fruix-eval: %v\n", err)
		return 1
	}
	// The graph is written at once, so it is buffered even on a terminal
	// (or /dev/null, a character device too).
	w := bufio.NewWriterSize(out, 64<<10)
	switch {
	case g.drvsOnly:
		err = frontend.WriteDerivationPaths(w, plan)
	case g.dryRun && !g.formatGiven:
		err = frontend.WriteDryRun(w, plan)
	default:
		err = writePlan(w, plan, g.format)
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		flush()
		fmt.Fprintf(stderr, "fruix-eval: %v\n", err)
		return 1
	}
	return 0
}

// writePlan writes plan in format.
func writePlan(w io.Writer, plan *frontend.Plan, format string) error {
	switch format {
	case "json":
		return frontend.WriteJSON(w, plan)
	case "dot":
		return frontend.WriteDOT(w, plan)
	case "tree":
		return frontend.WriteTree(w, plan)
	}
	return frontend.WriteText(w, plan)
}

// buildGraph has the fruix command add the graph's sources and .drv
// files to the store and realize it: the graph goes to `fruix
// __build-graph` on a pipe, so that fruix-eval itself never opens the
// store (see cmd/fruix/build_graph.go). Builders written in Scheme
// (builtin:scheme) run inside the fruix binary, which the realizer
// re-executes in each build's sandbox.
func buildGraph(graph *stdlib.Graph, g *graphOptions, loc frontend.Location, out io.Writer, stderr io.Writer) int {
	fruix, err := findFruix()
	if err != nil {
		fmt.Fprintf(stderr, "fruix-eval: --build: %v\n", err)
		return 1
	}
	var encoded bytes.Buffer
	if err := frontend.EncodeGraph(&encoded, graph); err != nil {
		fmt.Fprintf(stderr, "fruix-eval: --build: %v\n", err)
		return 1
	}
	r := loc.Resolve()
	args := []string{frontend.BuildGraphCommand, "--store-dir", r.StoreDir, "--state-dir", r.StateDir}
	if g.jobs > 0 {
		args = append(args, "-j", strconv.Itoa(g.jobs))
	}
	if g.keepFailed {
		args = append(args, "--keep-failed")
	}
	if g.keepGoing {
		args = append(args, "--keep-going")
	}
	cmd := exec.Command(fruix, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = &encoded, out, stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode()
		}
		fmt.Fprintf(stderr, "fruix-eval: --build: running %s: %v\n", fruix, err)
		return 1
	}
	return 0
}

// validityQuery is a running `fruix __valid-paths`, which says which of
// the paths it is sent are valid in the store.
type validityQuery struct {
	fruix  string
	err    error // fruix could not be found or started
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout io.ReadCloser
	stderr bytes.Buffer
	done   bool
}

// startValidityQuery starts fruix __valid-paths for the store at l.
func startValidityQuery(l frontend.Location) *validityQuery {
	q := &validityQuery{}
	if q.fruix, q.err = findFruix(); q.err != nil {
		return q
	}
	r := l.Resolve()
	q.cmd = exec.Command(q.fruix, frontend.ValidPathsCommand, "--store-dir", r.StoreDir, "--state-dir", r.StateDir)
	q.cmd.Stderr = &q.stderr
	if q.stdin, q.err = q.cmd.StdinPipe(); q.err != nil {
		return q
	}
	if q.stdout, q.err = q.cmd.StdoutPipe(); q.err != nil {
		return q
	}
	q.err = q.cmd.Start()
	return q
}

// answer sends paths and returns the answer. When fruix cannot be found
// or another process owns the store, the Validity is nil and the note
// says so. A complete answer ends with a line of its own
// (frontend.ValidPathsEnd), so the graph is printed without waiting for fruix to
// close the store and exit: cancel waits for that.
func (q *validityQuery) answer(paths []string) (frontend.Validity, string, error) {
	if q.err != nil {
		return nil, "could not check the store: " + q.err.Error(), nil
	}
	w := bufio.NewWriterSize(q.stdin, 64<<10) // a pipe's capacity: fewer, fuller writes
	for _, p := range paths {
		w.WriteString(p)
		w.WriteByte('\n')
	}
	w.Flush() // a write error means fruix ended early; Wait says why
	q.stdin.Close()
	var valid []string
	sc := bufio.NewScanner(q.stdout)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if line := sc.Text(); line != frontend.ValidPathsEnd {
			valid = append(valid, line)
			continue
		}
		return frontend.KnownValid(valid), "", nil
	}
	// No end: fruix stopped before answering, and its status says why.
	io.Copy(io.Discard, q.stdout)
	err := q.cmd.Wait()
	q.done = true
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == frontend.ExitStoreInUse {
		return nil, strings.TrimSpace(q.stderr.String()), nil
	}
	if err == nil {
		err = errors.New("the answer ended early")
	}
	return nil, "", fmt.Errorf("checking the store with %s: %v: %s", q.fruix, err, strings.TrimSpace(q.stderr.String()))
}

// cancel ends a query that was not needed after all, or waits for one
// that answered to end.
func (q *validityQuery) cancel() {
	if q.err != nil || q.done {
		return
	}
	q.stdin.Close()
	io.Copy(io.Discard, q.stdout)
	q.cmd.Wait()
	q.done = true
}

// findFruix returns the fruix command that builds: the one installed
// beside fruix-eval, else the first in PATH.
func findFruix() (string, error) {
	self, err := os.Executable()
	if err == nil {
		sibling := filepath.Join(filepath.Dir(self), "fruix")
		if st, err := os.Stat(sibling); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return sibling, nil
		}
	}
	p, err := exec.LookPath("fruix")
	if err != nil {
		return "", fmt.Errorf("the fruix command, which works with the store, is neither beside fruix-eval (%s) nor in PATH", filepath.Dir(self))
	}
	return p, nil
}

// printError prints an evaluation or lowering error as fruix-eval does.
func printError(w io.Writer, err error) {
	msg := eval.FormatError(err)
	if len(msg) == 0 || msg[len(msg)-1] != '\n' {
		msg += "\n"
	}
	io.WriteString(w, msg)
}
