package main

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/peterh/liner"
)

// lineSource is where the REPL reads its input from: a terminal with line
// editing and history, or plain lines from a pipe or file.
type lineSource interface {
	// ReadLine returns the next line without its newline, io.EOF at the
	// end of input, or errInputCancelled when the user pressed Ctrl-C.
	ReadLine(prompt string) (string, error)
	AddHistory(entry string)
	// Interactive reports whether a person is typing (prompts are shown).
	Interactive() bool
	Close() error
}

// errInputCancelled is returned by ReadLine when Ctrl-C discards the line.
var errInputCancelled = errors.New("input cancelled")

// terminalInput reads lines with liner: editing, history, Ctrl-C to
// discard the current input.
type terminalInput struct {
	st          *liner.State
	historyPath string
}

func newTerminalInput(historyPath string, complete liner.WordCompleter) *terminalInput {
	st := liner.NewLiner()
	st.SetCtrlCAborts(true)
	st.SetMultiLineMode(true)
	st.SetWordCompleter(complete)
	st.SetTabCompletionStyle(liner.TabPrints)
	if historyPath != "" {
		if f, err := os.Open(historyPath); err == nil {
			st.ReadHistory(f)
			f.Close()
		}
	}
	return &terminalInput{st: st, historyPath: historyPath}
}

func (t *terminalInput) ReadLine(prompt string) (string, error) {
	line, err := t.st.Prompt(prompt)
	if errors.Is(err, liner.ErrPromptAborted) {
		return "", errInputCancelled
	}
	return line, err
}

func (t *terminalInput) AddHistory(entry string) {
	// One history line per input, even when it spanned several lines.
	t.st.AppendHistory(strings.Join(strings.Fields(entry), " "))
}

func (t *terminalInput) Interactive() bool { return true }

// Close saves the history and gives the terminal back.
func (t *terminalInput) Close() error {
	if t.historyPath != "" {
		if err := os.MkdirAll(filepath.Dir(t.historyPath), 0o700); err == nil {
			if f, err := os.OpenFile(t.historyPath, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600); err == nil {
				t.st.WriteHistory(f)
				f.Close()
			}
		}
	}
	return t.st.Close()
}

// plainInput reads lines from a pipe or file, with no prompt and no
// history.
type plainInput struct{ r *bufio.Reader }

func newPlainInput(r io.Reader) *plainInput { return &plainInput{r: bufio.NewReader(r)} }

func (p *plainInput) ReadLine(string) (string, error) {
	line, err := p.r.ReadString('\n')
	if err == io.EOF && line != "" {
		err = nil
	}
	return strings.TrimRight(line, "\r\n"), err
}

func (p *plainInput) AddHistory(string) {}
func (p *plainInput) Interactive() bool { return false }
func (p *plainInput) Close() error      { return nil }
