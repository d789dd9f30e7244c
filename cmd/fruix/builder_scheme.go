package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/stdlib"
	"fruix.dev/fruix/store/builtins"
)

// schemeBuiltinVersion is the version of builtin:scheme. Derivations
// record the version they were written for (FRUIX_BUILTIN_VERSION), so
// bump it when what a build program means changes: the build-side
// library's behaviour, what the thread can see, how the script is run.
const schemeBuiltinVersion = "1"

// modulesVar names the environment variable holding the store path of the
// module tree a builtin:scheme derivation ships (absent when none).
const modulesVar = "FRUIX_MODULES"

// runSchemeBuild runs a builtin:scheme derivation's program (its one
// argument, a file of the store) in a build-side thread, in the build
// directory, with the shipped modules on the load path. An error prints
// its position in the program and the backtrace to the build log.
func runSchemeBuild(c *builtins.Context) error {
	if len(c.Args) != 1 {
		return fmt.Errorf("want one argument, the store path of the build program; the derivation has %d", len(c.Args))
	}
	script := c.Args[0]
	th := stdlib.NewBuildSide(eval.Options{Stdout: os.Stdout, Stderr: c.Stderr, Args: []string{script}}, c.Env[modulesVar])
	_, err := th.LoadFile(script)
	if err == nil {
		return nil
	}
	var exit *eval.Exit
	if errors.As(err, &exit) {
		if exit.Code == 0 {
			return nil
		}
		return fmt.Errorf("the build program called (exit %d)", exit.Code)
	}
	first, rest, _ := strings.Cut(eval.FormatError(err), "\n")
	if stdlib.IsMissingModule(err) {
		first += "; a build sees only the modules its G-expression ships (with-imported-modules), and no host-side (fruix ...) module"
	}
	fmt.Fprintf(c.Stderr, "builtin:scheme: %s\n%s", first, rest)
	return builtins.ErrReported
}
