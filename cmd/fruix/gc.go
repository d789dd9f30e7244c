package main

import (
	"fmt"
	"os"

	"fruix.dev/fruix/cmd/internal/storeside"
	"fruix.dev/fruix/freebsd/image"
	"fruix.dev/fruix/store"
)

func init() {
	register("gc", "collect garbage in the store, list roots, query referrers and closures", runGC)
}

const gcUsage = `usage: fruix gc [--dry-run] [--max-freed SIZE]
       fruix gc --delete PATH...
       fruix gc --list-roots
       fruix gc --referrers PATH
       fruix gc --requisites PATH

Without a query option, deletes every store path that no GC root keeps
alive (roots are symlinks under STATE/gcroots, links registered by
"fruix build", and paths in use by a running Fruix).
`

func runGC(args []string) int {
	fs := newStoreFlagSet("gc", gcUsage)
	dryRun := fs.Bool("dry-run", false, "print what would be deleted, delete nothing")
	maxFreed := fs.String("max-freed", "", "stop after freeing SIZE bytes (K, M, G, T suffixes allowed)")
	del := fs.Bool("delete", false, "delete the given PATHs only; refused if one is alive or still referenced")
	listRoots := fs.Bool("list-roots", false, "list the GC roots and the paths they keep")
	referrers := fs.String("referrers", "", "list the valid paths that refer to PATH")
	requisites := fs.String("requisites", "", "list the closure of PATH (PATH and everything it refers to)")
	loc := addStoreLocationFlags(fs)
	if code, ok := parseStoreFlags(fs, args); !ok {
		return code
	}
	queries := 0
	for _, set := range []bool{*del, *listRoots, *referrers != "", *requisites != ""} {
		if set {
			queries++
		}
	}
	if queries > 1 {
		fmt.Fprintln(os.Stderr, "fruix gc: --delete, --list-roots, --referrers and --requisites exclude each other")
		return 2
	}
	if fs.NArg() > 0 && !*del {
		fmt.Fprintf(os.Stderr, "fruix gc: unexpected argument %q (did you mean --delete?)\n", fs.Arg(0))
		return 2
	}
	if *del && fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "fruix gc: --delete needs at least one PATH")
		return 2
	}
	var limit uint64
	if *maxFreed != "" {
		n, err := image.ParseSize(*maxFreed)
		if err != nil {
			fmt.Fprintf(os.Stderr, "fruix gc: --max-freed: %v\n", err)
			return 2
		}
		limit = uint64(n)
	}

	st, err := storeside.Open(*loc)
	if err != nil {
		return storeCmdFail("gc", err)
	}
	defer st.Close()
	resolve := func(arg string) (string, bool) {
		p, err := resolveStorePath(st.Dir(), arg)
		if err != nil {
			fmt.Fprintf(os.Stderr, "fruix gc: %v\n", err)
			return "", false
		}
		return p, true
	}

	switch {
	case *listRoots:
		roots, err := st.Roots()
		if err != nil {
			return storeCmdFail("gc", err)
		}
		for _, r := range roots {
			fmt.Printf("%s -> %s\n", r.Link, r.Path)
		}
		return 0
	case *referrers != "":
		p, ok := resolve(*referrers)
		if !ok {
			return 1
		}
		refs, err := st.QueryReferrers(p)
		if err != nil {
			return storeCmdFail("gc", err)
		}
		for _, r := range refs {
			fmt.Println(r)
		}
		return 0
	case *requisites != "":
		p, ok := resolve(*requisites)
		if !ok {
			return 1
		}
		closure, err := st.Requisites(p)
		if err != nil {
			return storeCmdFail("gc", err)
		}
		for _, r := range closure {
			fmt.Println(r)
		}
		return 0
	}

	opts := store.GCOptions{DryRun: *dryRun, MaxFreed: limit}
	if *del {
		for _, arg := range fs.Args() {
			p, ok := resolve(arg)
			if !ok {
				return 1
			}
			opts.Delete = append(opts.Delete, p)
		}
	}
	res, err := st.Collect(opts)
	if res != nil {
		for _, p := range res.Deleted {
			if *dryRun {
				fmt.Println("would delete", p)
			} else {
				fmt.Println("deleted", p)
			}
		}
	}
	if err != nil {
		return storeCmdFail("gc", err)
	}
	verb := "freed"
	if *dryRun {
		verb = "would free"
	}
	noun := "store paths"
	if len(res.Deleted) == 1 {
		noun = "store path"
	}
	fmt.Fprintf(os.Stderr, "%d %s, %s %s\n", len(res.Deleted), noun, verb, formatByteSize(res.BytesFreed))
	return 0
}
