package realize

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// tailLines is how many lines of a failed build's log the terminal shows.
const tailLines = 20

// buildLog writes a build's log compressed to <state>/log/<drv>.gz and
// remembers its last lines.
type buildLog struct {
	path string
	f    *os.File
	gz   *gzip.Writer

	mu      sync.Mutex
	partial []byte
	tail    []string
}

func openBuildLog(stateDir, drvPath string) (*buildLog, error) {
	dir := filepath.Join(stateDir, "log")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	p := filepath.Join(dir, filepath.Base(drvPath)+".gz")
	f, err := os.Create(p)
	if err != nil {
		return nil, err
	}
	return &buildLog{path: p, f: f, gz: gzip.NewWriter(f)}, nil
}

func (l *buildLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.addLine(string(l.partial[:i]))
		l.partial = l.partial[i+1:]
	}
	if len(l.partial) > 4096 { // a very long line without newline
		l.addLine(string(l.partial))
		l.partial = l.partial[:0]
	}
	return l.gz.Write(p)
}

func (l *buildLog) addLine(s string) {
	if len(l.tail) == tailLines {
		copy(l.tail, l.tail[1:])
		l.tail = l.tail[:tailLines-1]
	}
	l.tail = append(l.tail, strings.TrimRight(s, "\r"))
}

// Note adds a line of Fruix's own to the log (why a build failed).
func (l *buildLog) Note(s string) { l.Write([]byte("fruix: " + s + "\n")) }

func (l *buildLog) Tail() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := append([]string(nil), l.tail...)
	if len(l.partial) > 0 {
		t = append(t, string(l.partial))
	}
	return t
}

func (l *buildLog) Close() error {
	err := l.gz.Close()
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// prefixWriter copies whole lines to out, each starting with prefix; mu
// serializes the builds that share out.
type prefixWriter struct {
	out     io.Writer
	mu      *sync.Mutex
	prefix  string
	partial []byte
}

func (w *prefixWriter) Write(p []byte) (int, error) {
	w.partial = append(w.partial, p...)
	var lines []byte
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		lines = append(append(lines, w.prefix...), w.partial[:i+1]...)
		w.partial = w.partial[i+1:]
	}
	if len(lines) > 0 {
		w.mu.Lock()
		w.out.Write(lines)
		w.mu.Unlock()
	}
	return len(p), nil
}
