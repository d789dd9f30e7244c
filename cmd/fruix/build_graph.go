package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"time"

	"fruix.dev/fruix/cmd/internal/frontend"
	"fruix.dev/fruix/cmd/internal/storeside"
	"fruix.dev/fruix/store"
)

// fruix-eval shows graphs without linking the store (it starts twice as
// fast for it); when it needs the store it asks this binary, through two
// internal commands that are registered only when invoked, so that they
// never appear in fruix --help:
//
//	fruix __build-graph [fruix build options]   < graph (frontend.EncodeGraph)
//	fruix __valid-paths --store-dir D --state-dir S   < paths, one per line
//
// __build-graph is fruix build with the lowered graph read from standard
// input instead of evaluated here; __valid-paths prints those of the
// paths that are valid, then a line ".", or exits 3 with the reason when
// the store cannot be looked at (see storeside.Inspect). The names and
// the answer's end are frontend's constants, shared with fruix-eval.

func init() {
	if len(os.Args) < 2 {
		return
	}
	switch os.Args[1] {
	case frontend.BuildGraphCommand:
		register(frontend.BuildGraphCommand, "", func(args []string) int {
			return build("fruix-eval", true, args)
		})
	case frontend.ValidPathsCommand:
		register(frontend.ValidPathsCommand, "", runValidPaths)
	}
}

func runValidPaths(args []string) int {
	fs := flag.NewFlagSet(frontend.ValidPathsCommand, flag.ContinueOnError)
	loc := addStoreLocationFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	paths, r, status := pathsAndReader(*loc)
	if r == nil {
		return status
	}
	defer r.Close()
	valid, err := storeside.ValidAmong(r, paths)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fruix %s: %v\n", frontend.ValidPathsCommand, err)
		return 1
	}
	// In the order asked: fruix-eval makes a set of them, so sorting
	// (some 5 ms for the 30,000 paths of a large system, all built)
	// would only delay the graph.
	w := bufio.NewWriterSize(os.Stdout, 64<<10)
	for _, p := range valid {
		w.WriteString(p)
		w.WriteByte('\n')
	}
	// The end of the answer: fruix-eval goes on with it while the store
	// is closed here.
	fmt.Fprintln(w, frontend.ValidPathsEnd)
	if err := w.Flush(); err != nil {
		fmt.Fprintf(os.Stderr, "fruix %s: %v\n", frontend.ValidPathsCommand, err)
		return 1
	}
	return 0
}

// pathsAndReader reads the paths to look up from standard input and
// opens the store to look them up in; when it cannot, the reader is nil
// and status is the command's exit status, the reason said on standard
// error.
//
// fruix-eval starts __valid-paths before it lowers the graph and sends
// the paths when it has them. The store is opened meanwhile, so that the
// answer does not wait for it; but if the paths take longer than
// holdWhileLowering to come, it is let go and opened again when they
// come, so that an owner (fruix build) is not kept waiting while a large
// configuration lowers. Opening early is only a head start: when it
// fails (an owner has the store), the store is opened as before, once
// the paths are there. It is opened only to read it: nothing is written,
// and a store that does not exist yet answers that nothing is valid.
func pathsAndReader(loc frontend.Location) (paths []string, r *store.Reader, status int) {
	type read struct {
		paths []string
		err   error
	}
	readc := make(chan read, 1)
	go func() {
		paths, err := readPaths(os.Stdin)
		readc <- read{paths, err}
	}()
	var in read
	if r, _, _ = storeside.Inspect(loc); r == nil {
		in = <-readc
	} else {
		timer := time.NewTimer(holdWhileLowering)
		select {
		case in = <-readc:
			timer.Stop()
		case <-timer.C:
			r.Close()
			r = nil
			in = <-readc
		}
	}
	if in.err != nil {
		if r != nil {
			r.Close()
		}
		fmt.Fprintf(os.Stderr, "fruix %s: %v\n", frontend.ValidPathsCommand, in.err)
		return nil, nil, 1
	}
	if r != nil {
		return in.paths, r, 0
	}
	r, note, err := storeside.Inspect(loc)
	switch {
	case err != nil:
		fmt.Fprintf(os.Stderr, "fruix %s: %v\n", frontend.ValidPathsCommand, err)
		return nil, nil, 1
	case r == nil:
		fmt.Fprintln(os.Stderr, note)
		return nil, nil, frontend.ExitStoreInUse
	}
	return in.paths, r, 0
}

// holdWhileLowering is how long __valid-paths keeps the store open while
// it waits for the paths: about the lowering of a very large
// configuration, and a small part of the 10 s an owner waits for readers.
const holdWhileLowering = time.Second

// readPaths reads store paths, one per line.
func readPaths(f *os.File) ([]string, error) {
	var paths []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		paths = append(paths, sc.Text())
	}
	return paths, sc.Err()
}
