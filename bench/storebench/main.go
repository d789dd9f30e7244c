// Command storebench measures Fruix's store index: registering many small
// paths, and closure and referrer queries over a large store. It builds
// its stores under a temporary directory and prints one line per figure.
//
//	go run ./bench/storebench [-register 10000] [-store-size 100000]
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime/pprof"
	"syscall"
	"time"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/store"
)

func main() {
	nRegister := flag.Int("register", 10000, "number of small paths to register")
	storeSize := flag.Int("store-size", 100000, "number of paths in the store for the query figures")
	tmp := flag.String("tmp", os.TempDir(), "directory for the benchmark stores")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the queries to this file")
	flag.Parse()
	profile = *cpuProfile
	root, err := os.MkdirTemp(*tmp, "storebench-")
	check(err)
	defer os.RemoveAll(root)

	benchRegister(filepath.Join(root, "register"), *nRegister)
	benchQueries(filepath.Join(root, "queries"), *storeSize)
}

var profile string

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "storebench:", err)
		os.Exit(1)
	}
}

func open(dir string, noSync bool) *store.Store {
	s, err := store.Open(store.Options{StoreDir: derivation.StoreDir(dir + "/store"), StateDir: dir + "/state", NoSync: noSync})
	check(err)
	return s
}

// benchRegister adds n small text files (each referring to the previous
// one), once with one AddText call each (copy, hash, rename, one synced
// transaction per path) and once registered together in one transaction.
func benchRegister(dir string, n int) {
	s := open(dir+"/each", false)
	start := time.Now()
	prev := ""
	for i := 0; i < n; i++ {
		var refs []string
		text := fmt.Sprintf("small file %d", i)
		if prev != "" {
			refs = []string{prev}
			text += " after " + prev
		}
		p, err := s.AddText(fmt.Sprintf("small-%d", i), []byte(text), refs)
		check(err)
		prev = p
	}
	each := time.Since(start)
	check(s.Close())

	s = open(dir+"/batch", false)
	infos := make([]store.PathInfo, n)
	for i := range infos {
		p := writeFile(s, i, fmt.Sprintf("small file %d", i))
		h, size, err := store.NarHash(p)
		check(err)
		infos[i] = store.PathInfo{Path: p, NarHash: h, NarSize: size}
	}
	start = time.Now()
	check(s.Register(infos...))
	batch := time.Since(start)
	check(s.Close())
	fmt.Printf("register %d small paths, one AddText each (synced): %v (%.0f paths/s)\n", n, each.Round(time.Millisecond), float64(n)/each.Seconds())
	fmt.Printf("register %d small paths, one Register call (synced): %v\n", n, batch.Round(time.Millisecond))
}

// writeFile creates a store path by hand (for bulk set-up).
func writeFile(s *store.Store, i int, text string) string {
	p, err := s.Dir().MakeTextPath(fmt.Sprintf("path-%d", i), derivation.HashBytes(derivation.SHA256, []byte(text)).Digest32(), nil)
	check(err)
	check(os.WriteFile(p, []byte(text), 0o444))
	return p
}

// benchQueries builds a store of n paths shaped like a package set: a core
// of 500 libraries that refer to a few earlier libraries, and packages
// that refer to 2 to 6 libraries and sometimes to an earlier package.
func benchQueries(dir string, n int) {
	s := open(dir, true)
	rng := rand.New(rand.NewSource(1))
	const core = 500
	paths := make([]string, n)
	infos := make([]store.PathInfo, 0, 5000)
	flush := func() {
		check(s.Register(infos...))
		infos = infos[:0]
	}
	start := time.Now()
	for i := 0; i < n; i++ {
		paths[i] = writeFile(s, i, fmt.Sprintf("path %d", i))
		var refs []string
		switch {
		case i == 0:
		case i < core:
			for k := 0; k < 1+rng.Intn(3); k++ {
				refs = append(refs, paths[rng.Intn(i)])
			}
		default:
			for k := 0; k < 2+rng.Intn(5); k++ {
				refs = append(refs, paths[rng.Intn(core)])
			}
			if rng.Intn(4) == 0 {
				refs = append(refs, paths[core+rng.Intn(i-core+1)%max(1, i-core)])
			}
		}
		h, size, err := store.NarHash(paths[i])
		check(err)
		infos = append(infos, store.PathInfo{Path: paths[i], NarHash: h, NarSize: size, References: refs})
		if len(infos) == cap(infos) {
			flush()
		}
	}
	flush()
	setup := time.Since(start)
	check(s.Close())
	s = open(dir, true) // cold caches: a fresh process
	defer s.Close()

	fmt.Printf("query store: %d paths, built in %v\n", n, setup.Round(time.Millisecond))
	if profile != "" {
		f, err := os.Create(profile)
		check(err)
		check(pprof.StartCPUProfile(f))
		defer pprof.StopCPUProfile()
	}
	last := paths[n-1]
	start = time.Now()
	closure, err := s.Requisites(last)
	check(err)
	first := time.Since(start)
	start = time.Now()
	const reps = 20
	for i := 0; i < reps; i++ {
		_, err = s.Requisites(paths[n-1-i])
		check(err)
	}
	warm := time.Since(start) / reps
	fmt.Printf("closure of a package (%d paths): first query %v, then %v per query\n", len(closure), first.Round(time.Microsecond), warm.Round(time.Microsecond))

	start = time.Now()
	refs, err := s.QueryReferrers(paths[0])
	check(err)
	fmt.Printf("referrers of a core library (%d paths): %v\n", len(refs), time.Since(start).Round(time.Microsecond))
	start = time.Now()
	refs, err = s.QueryReferrers(paths[n/2])
	check(err)
	fmt.Printf("referrers of a package (%d paths): %v\n", len(refs), time.Since(start).Round(time.Microsecond))

	// The worst case: a path whose closure is the whole store (through
	// aggregates of 5,000 paths each, since one transaction holds about
	// 50,000 index entries).
	var aggregates []string
	for i := 0; i < n; i += 5000 {
		p := writeFile(s, n+1+i, fmt.Sprintf("aggregate %d", i))
		h, size, err := store.NarHash(p)
		check(err)
		check(s.Register(store.PathInfo{Path: p, NarHash: h, NarSize: size, References: paths[i:min(n, i+5000)]}))
		aggregates = append(aggregates, p)
	}
	all := writeFile(s, n, "refers to everything")
	h, size, err := store.NarHash(all)
	check(err)
	check(s.Register(store.PathInfo{Path: all, NarHash: h, NarSize: size, References: aggregates}))
	start, cpu := time.Now(), cpuTime()
	closure, err = s.Requisites(all)
	check(err)
	fmt.Printf("closure of the whole store (%d paths): %v (CPU %v)\n", len(closure), time.Since(start).Round(time.Millisecond), (cpuTime() - cpu).Round(time.Millisecond))
}

// cpuTime is the user and system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	check(syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
