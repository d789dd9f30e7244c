package main

import (
	"os"

	"fruix.dev/fruix/store/builtins"
)

// The realizer runs builtin builders (builtin:fetchurl, builtin:unpack...)
// by re-executing this binary inside the build's sandbox as
// `fruix __build-builtin ...`. That invocation is internal: it is caught
// here, before the command table, and never listed by `fruix --help`.
func init() {
	if builtins.IsInvocation(os.Args) {
		os.Exit(builtins.Main(os.Args[2:]))
	}
}
