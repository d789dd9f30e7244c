package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"sort"

	"fruix.dev/fruix/cmd/internal/storeside"
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
// paths that are valid, or exits 3 with the reason when the store cannot
// be looked at (see storeside.Inspect).
const (
	buildGraphCommand = "__build-graph"
	validPathsCommand = "__valid-paths"
)

func init() {
	if len(os.Args) < 2 {
		return
	}
	switch os.Args[1] {
	case buildGraphCommand:
		register(buildGraphCommand, "", func(args []string) int {
			return build(buildMode{name: "fruix-eval", graphFromStdin: true}, args)
		})
	case validPathsCommand:
		register(validPathsCommand, "", runValidPaths)
	}
}

// exitStoreInUse is __valid-paths' status when the store cannot be
// looked at: another process owns it, or its last owner died and left it
// to be recovered.
const exitStoreInUse = 3

func runValidPaths(args []string) int {
	fs := flag.NewFlagSet(validPathsCommand, flag.ContinueOnError)
	loc := addStoreLocationFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var paths []string
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		paths = append(paths, sc.Text())
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(os.Stderr, "fruix %s: %v\n", validPathsCommand, err)
		return 1
	}
	// fruix-eval starts this command while it is still lowering and
	// sends the paths when it has them; the store is opened only then, so
	// that an owner (fruix build) is kept waiting only while the paths are
	// looked up. It is opened only to read it: nothing is written, and a
	// store that does not exist yet answers that nothing is valid.
	r, note, err := storeside.Inspect(*loc)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fruix %s: %v\n", validPathsCommand, err)
		return 1
	}
	if r == nil {
		fmt.Fprintln(os.Stderr, note)
		return exitStoreInUse
	}
	defer r.Close()
	valid, err := storeside.ValidAmong(r, paths)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fruix %s: %v\n", validPathsCommand, err)
		return 1
	}
	sort.Strings(valid)
	w := bufio.NewWriter(os.Stdout)
	for _, p := range valid {
		fmt.Fprintln(w, p)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(os.Stderr, "fruix %s: %v\n", validPathsCommand, err)
		return 1
	}
	return 0
}
