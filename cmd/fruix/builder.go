package main

import (
	"os"

	"fruix.dev/fruix/store/builtins"
)

// The realizer runs builtin builders (builtin:fetchurl, builtin:unpack,
// builtin:scheme...) by re-executing this binary inside the build's
// sandbox as `fruix __build-builtin ...`. That invocation is internal: it
// is caught here, before the command table, and never listed by
// `fruix --help`. The builtins that live in this package (they need the
// evaluator, which the store must not import) are registered first: init
// functions of other files may run after this one.
func init() {
	builtins.Register("scheme", schemeBuiltinVersion, runSchemeBuild)
	if builtins.IsInvocation(os.Args) {
		os.Exit(builtins.Main(os.Args[2:]))
	}
}
