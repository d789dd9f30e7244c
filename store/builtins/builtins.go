// Package builtins holds the builders implemented inside the fruix binary
// ("builtin:NAME" in a derivation). The realizer runs them like any other
// builder, inside the sandbox, by re-executing its own binary with the
// arguments Args returns; Main is what that process runs. Each builtin
// registers itself in one table, with a version, so that more can come
// later and a change of a builtin's meaning is visible in the derivations
// that use it.
package builtins

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"fruix.dev/fruix/derivation"
)

// Subcommand is the first argument of a re-executed fruix binary (or test
// binary) that must run a builtin builder.
const Subcommand = "__build-builtin"

// VersionVar is the derivation environment variable naming the version
// of the builtin a derivation was written for. Being in the environment,
// it is part of the derivation's hash: a new fruix binary leaves hashes
// alone, but a builtin whose meaning changed gets a new version, and the
// derivations written for it new paths. A derivation that does not set
// it asks for version "1".
const VersionVar = "FRUIX_BUILTIN_VERSION"

// Context is what a builtin builder gets: the derivation's environment
// (the builder's own, cleared by the sandbox), its arguments, where to
// write its output, and for fixed-output derivations the hash the output
// must have.
type Context struct {
	Name   string   // the builtin's name, e.g. "fetchurl"
	Drv    string   // the .drv path, for messages
	Args   []string // the derivation's own arguments
	Env    map[string]string
	Out    string
	Fixed  *derivation.Output // nil unless the derivation is fixed-output
	Stderr io.Writer          // goes to the build log
}

// Builder runs one builtin.
type Builder func(c *Context) error

// ErrReported is returned by a builder that has already written why it
// failed to the build log (such as a Scheme error with its backtrace):
// Main then exits with status 1 without printing more.
var ErrReported = errors.New("the builder reported its failure")

type builtin struct {
	version string
	run     Builder
}

var table = map[string]builtin{}

// Register adds a builtin at a version ("1", "2"...); it is called from
// init functions. Bump the version when what the builtin does with a
// given derivation changes.
func Register(name, version string, b Builder) {
	if _, dup := table[name]; dup {
		panic("builtins: registered twice: " + name)
	}
	if version == "" {
		panic("builtins: no version for " + name)
	}
	table[name] = builtin{version: version, run: b}
}

// CheckVersion reports an error when the derivation environment env asks
// for another version of builtin name than this fruix has.
func CheckVersion(name string, env map[string]string) error {
	want := env[VersionVar]
	if want == "" {
		want = "1"
	}
	if have := table[name].version; want != have {
		return fmt.Errorf("this derivation wants builtin:%s version %s; this fruix has %s", name, want, have)
	}
	return nil
}

// Names lists the registered builtins.
func Names() []string {
	names := make([]string, 0, len(table))
	for n := range table {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lookup reports whether "builtin:NAME" is known.
func Lookup(name string) bool { _, ok := table[name]; return ok }

// Args returns the arguments for re-executing the fruix binary as the
// builder of drv (stored at drvPath), whose builder is "builtin:NAME":
// the options, the name, then the derivation's own arguments. A
// derivation that asks for a version of the builtin this fruix does not
// have is refused here, before any sandbox is set up.
func Args(drvPath string, drv *derivation.Derivation) ([]string, error) {
	name := strings.TrimPrefix(drv.Builder, "builtin:")
	if !Lookup(name) {
		return nil, fmt.Errorf("%s: unknown builder %s (known: builtin:%s)", drvPath, drv.Builder, strings.Join(Names(), ", builtin:"))
	}
	if err := CheckVersion(name, drv.Env); err != nil {
		return nil, err
	}
	args := []string{Subcommand, "-drv", drvPath}
	if drv.IsFixedOutput() {
		o := drv.Outputs["out"]
		args = append(args, "-hash-algo", o.HashAlgo, "-hash", o.Hash)
	}
	args = append(args, name)
	return append(args, drv.Args...), nil
}

// IsInvocation reports whether a program's arguments ask it to run a
// builtin builder (Main(args[2:]) then does).
func IsInvocation(args []string) bool { return len(args) > 1 && args[1] == Subcommand }

// Main runs the builtin named by args (what follows Subcommand) and
// returns the exit status.
func Main(args []string) int {
	fs := flag.NewFlagSet(Subcommand, flag.ContinueOnError)
	drv := fs.String("drv", "", "the derivation being built")
	algo := fs.String("hash-algo", "", "the fixed output's hash algorithm")
	hash := fs.String("hash", "", "the fixed output's hash")
	if err := fs.Parse(args); err != nil || fs.NArg() < 1 {
		fmt.Fprintln(os.Stderr, "usage: fruix "+Subcommand+" [-drv PATH] [-hash-algo A -hash H] NAME [ARG...]")
		return 2
	}
	name := fs.Arg(0)
	b, ok := table[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "builtin:%s: no such builtin builder\n", name)
		return 2
	}
	c := &Context{Name: name, Drv: *drv, Args: fs.Args()[1:], Env: map[string]string{}, Stderr: os.Stderr}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			c.Env[k] = v
		}
	}
	c.Out = c.Env["out"]
	if c.Out == "" {
		fmt.Fprintf(os.Stderr, "builtin:%s: the environment has no \"out\"\n", name)
		return 1
	}
	if err := CheckVersion(name, c.Env); err != nil {
		fmt.Fprintf(os.Stderr, "builtin:%s: %v\n", name, err)
		return 1
	}
	if *algo != "" {
		c.Fixed = &derivation.Output{Path: c.Out, HashAlgo: *algo, Hash: *hash}
	}
	if err := b.run(c); err != nil {
		if !errors.Is(err, ErrReported) {
			fmt.Fprintf(os.Stderr, "builtin:%s: %v\n", name, err)
		}
		return 1
	}
	return 0
}
