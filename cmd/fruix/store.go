package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"fruix.dev/fruix/cmd/internal/storeside"
	"fruix.dev/fruix/store"
)

func init() {
	register("store", "add to, query, verify, export and import the store", runStore)
}

const storeUsage = `usage: fruix store add [--flat] [--name NAME] PATH...
       fruix store path-info [--json] [--closure-size] PATH...
       fruix store verify [--check-contents]
       fruix store export PATH... > FILE
       fruix store import < FILE

add        copies files or trees into the store and prints their store paths
path-info  shows what the store records about paths (PATH may be a link to one)
verify     checks that every valid path is on disk (and, with
           --check-contents, that its contents still match its hash)
export     writes the closure of paths as a cpio archive on standard output
import     reads such an archive, checks every hash, and registers its paths

Every subcommand takes --store-dir and --state-dir; run
"fruix store SUBCOMMAND --help" for its options.
`

func runStore(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, storeUsage)
		return 2
	}
	switch args[0] {
	case "add":
		return runStoreAdd(args[1:])
	case "path-info":
		return runStorePathInfo(args[1:])
	case "verify":
		return runStoreVerify(args[1:])
	case "export":
		return runStoreExport(args[1:])
	case "import":
		return runStoreImport(args[1:])
	case "--help", "-h", "help":
		fmt.Print(storeUsage)
		return 0
	}
	fmt.Fprintf(os.Stderr, "fruix store: unknown subcommand %q\n%s", args[0], storeUsage)
	return 2
}

func runStoreAdd(args []string) int {
	fs := newStoreFlagSet("store add", "usage: fruix store add [--flat] [--name NAME] PATH...\n\nCopies each file or tree into the store and prints its store path.\nWith --flat a single regular file is addressed by the hash of its bytes.\n")
	flat := fs.Bool("flat", false, "add a regular file addressed by the SHA-256 of its bytes (default: the tree's NAR)")
	name := fs.String("name", "", "name of the store path (default: the base name of PATH)")
	loc := addStoreLocationFlags(fs)
	if code, ok := parseStoreFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "fruix store add: no PATH given")
		fs.Usage()
		return 2
	}
	if *name != "" && fs.NArg() > 1 {
		fmt.Fprintln(os.Stderr, "fruix store add: --name applies to a single PATH")
		return 2
	}
	st, err := storeside.Open(*loc)
	if err != nil {
		return storeCmdFail("store add", err)
	}
	defer st.Close()
	for _, src := range fs.Args() {
		p, err := st.AddPath(src, store.AddOptions{Name: *name, Flat: *flat})
		if err != nil {
			return storeCmdFail("store add", err)
		}
		fmt.Println(p)
	}
	return 0
}

// pathInfoJSON is the --json form of path-info.
type pathInfoJSON struct {
	Path             string   `json:"path"`
	NarHash          string   `json:"narHash"`
	NarSize          uint64   `json:"narSize"`
	References       []string `json:"references"`
	Deriver          string   `json:"deriver,omitempty"`
	RegistrationTime string   `json:"registrationTime"`
	CA               string   `json:"ca,omitempty"`
	ClosureSize      *uint64  `json:"closureSize,omitempty"`
}

func runStorePathInfo(args []string) int {
	fs := newStoreFlagSet("store path-info", "usage: fruix store path-info [--json] [--closure-size] PATH...\n\nShows the NAR hash, size and references the store records for each path.\n")
	asJSON := fs.Bool("json", false, "print a JSON array")
	closure := fs.Bool("closure-size", false, "also show the total NAR size of each path's closure")
	loc := addStoreLocationFlags(fs)
	if code, ok := parseStoreFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "fruix store path-info: no PATH given")
		return 2
	}
	st, err := storeside.Open(*loc)
	if err != nil {
		return storeCmdFail("store path-info", err)
	}
	defer st.Close()
	var out []pathInfoJSON
	for _, arg := range fs.Args() {
		p, err := resolveStorePath(st.Dir(), arg)
		if err != nil {
			return storeCmdFail("store path-info", err)
		}
		info, err := st.QueryPathInfo(p)
		if err != nil {
			return storeCmdFail("store path-info", err)
		}
		j := pathInfoJSON{
			Path: info.Path, NarHash: info.NarHash.String(), NarSize: info.NarSize,
			References: info.References, Deriver: info.Deriver, CA: info.CA,
			RegistrationTime: info.RegistrationTime.UTC().Format(time.RFC3339),
		}
		if j.References == nil {
			j.References = []string{}
		}
		if *closure {
			size, err := st.ClosureSize(p)
			if err != nil {
				return storeCmdFail("store path-info", err)
			}
			j.ClosureSize = &size
		}
		out = append(out, j)
	}
	if *asJSON {
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Println(string(b))
		return 0
	}
	for _, j := range out {
		fmt.Printf("%s\n  nar hash:   %s\n  nar size:   %d (%s)\n", j.Path, j.NarHash, j.NarSize, formatByteSize(j.NarSize))
		if j.ClosureSize != nil {
			fmt.Printf("  closure:    %d (%s)\n", *j.ClosureSize, formatByteSize(*j.ClosureSize))
		}
		if j.Deriver != "" {
			fmt.Printf("  deriver:    %s\n", j.Deriver)
		}
		if j.CA != "" {
			fmt.Printf("  ca:         %s\n", j.CA)
		}
		fmt.Printf("  registered: %s\n  references:%s\n", j.RegistrationTime, listOrNone(j.References))
	}
	return 0
}

func listOrNone(paths []string) string {
	if len(paths) == 0 {
		return " none"
	}
	return "\n    " + strings.Join(paths, "\n    ")
}

func runStoreVerify(args []string) int {
	fs := newStoreFlagSet("store verify", "usage: fruix store verify [--check-contents]\n\nChecks that every valid path is on disk and that its references are valid;\nexits with status 1 if a problem is found. Repairs nothing.\n")
	contents := fs.Bool("check-contents", false, "hash every path and compare with the recorded NAR hash")
	loc := addStoreLocationFlags(fs)
	if code, ok := parseStoreFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "fruix store verify: takes no arguments")
		return 2
	}
	st, err := storeside.Open(*loc)
	if err != nil {
		return storeCmdFail("store verify", err)
	}
	defer st.Close()
	problems, err := st.Verify(*contents)
	if err != nil {
		return storeCmdFail("store verify", err)
	}
	for _, p := range problems {
		fmt.Println(p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(os.Stderr, "fruix store verify: %d problem(s) found\n", len(problems))
		return 1
	}
	return 0
}

func runStoreExport(args []string) int {
	fs := newStoreFlagSet("store export", "usage: fruix store export PATH... > FILE\n\nWrites the closure of the paths as a cpio archive (the same closure always\ngives the same bytes) on standard output.\n")
	loc := addStoreLocationFlags(fs)
	if code, ok := parseStoreFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "fruix store export: no PATH given")
		return 2
	}
	if isCharDevice(os.Stdout) {
		fmt.Fprintln(os.Stderr, "fruix store export: standard output is a terminal; redirect it to a file")
		return 2
	}
	st, err := storeside.Open(*loc)
	if err != nil {
		return storeCmdFail("store export", err)
	}
	defer st.Close()
	var paths []string
	for _, arg := range fs.Args() {
		p, err := resolveStorePath(st.Dir(), arg)
		if err != nil {
			return storeCmdFail("store export", err)
		}
		paths = append(paths, p)
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	if err := st.Export(w, paths...); err != nil {
		return storeCmdFail("store export", err)
	}
	if err := w.Flush(); err != nil {
		return storeCmdFail("store export", err)
	}
	return 0
}

func runStoreImport(args []string) int {
	fs := newStoreFlagSet("store import", "usage: fruix store import < FILE\n\nReads a closure archive, checks every path's hash, then registers them all\n(or nothing, if anything is wrong) and prints their paths.\n")
	loc := addStoreLocationFlags(fs)
	if code, ok := parseStoreFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "fruix store import: takes no arguments; the archive is read from standard input")
		return 2
	}
	st, err := storeside.Open(*loc)
	if err != nil {
		return storeCmdFail("store import", err)
	}
	defer st.Close()
	paths, err := st.Import(bufio.NewReaderSize(os.Stdin, 1<<20))
	if err != nil {
		return storeCmdFail("store import", err)
	}
	for _, p := range paths {
		fmt.Println(p)
	}
	return 0
}
