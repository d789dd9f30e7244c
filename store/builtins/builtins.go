// Package builtins holds the builders implemented inside the fruix binary
// ("builtin:NAME" in a derivation). The realizer runs them like any other
// builder, inside the sandbox, by re-executing its own binary with the
// arguments Args returns; Main is what that process runs. Each builtin
// registers itself in one table, so that more can come later.
package builtins

import (
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

// Context is what a builtin builder gets: the derivation's environment
// (the builder's own, cleared by the sandbox), where to write its output,
// and for fixed-output derivations the hash the output must have.
type Context struct {
	Name   string // the builtin's name, e.g. "fetchurl"
	Drv    string // the .drv path, for messages
	Env    map[string]string
	Out    string
	Fixed  *derivation.Output // nil unless the derivation is fixed-output
	Stderr io.Writer          // goes to the build log
}

// Builder runs one builtin.
type Builder func(c *Context) error

var table = map[string]Builder{}

// Register adds a builtin; it is called from init functions.
func Register(name string, b Builder) {
	if _, dup := table[name]; dup {
		panic("builtins: registered twice: " + name)
	}
	table[name] = b
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
// builder of drv (stored at drvPath), whose builder is "builtin:NAME".
func Args(drvPath string, drv *derivation.Derivation) ([]string, error) {
	name := strings.TrimPrefix(drv.Builder, "builtin:")
	if !Lookup(name) {
		return nil, fmt.Errorf("%s: unknown builder %s (known: builtin:%s)", drvPath, drv.Builder, strings.Join(Names(), ", builtin:"))
	}
	args := []string{Subcommand, "-drv", drvPath}
	if drv.IsFixedOutput() {
		o := drv.Outputs["out"]
		args = append(args, "-hash-algo", o.HashAlgo, "-hash", o.Hash)
	}
	return append(args, name), nil
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
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: fruix "+Subcommand+" [-drv PATH] [-hash-algo A -hash H] NAME")
		return 2
	}
	name := fs.Arg(0)
	b, ok := table[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "builtin:%s: no such builtin builder\n", name)
		return 2
	}
	c := &Context{Name: name, Drv: *drv, Env: map[string]string{}, Stderr: os.Stderr}
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
	if *algo != "" {
		c.Fixed = &derivation.Output{Path: c.Out, HashAlgo: *algo, Hash: *hash}
	}
	if err := b(c); err != nil {
		fmt.Fprintf(os.Stderr, "builtin:%s: %v\n", name, err)
		return 1
	}
	return 0
}
