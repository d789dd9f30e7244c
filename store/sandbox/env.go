package sandbox

import (
	"fruix.dev/fruix/store/sandbox/nsinit"
	"sort"
)

// Standard values of the environment every builder sees.
const (
	HomelessShelter = "/homeless-shelter"
	PathNotSet      = "/path-not-set"
	// SandboxBuildDir is where the build directory appears inside
	// isolating sandboxes.
	SandboxBuildDir = nsinit.BuildDir
)

// Environment returns the builder's whole environment, sorted: the
// derivation's variables, then the standard ones, which win over them
// except PATH. buildTop is the build directory as the builder sees it.
func Environment(spec *Spec, buildTop string) []string {
	env := map[string]string{"PATH": PathNotSet}
	for k, v := range spec.Env {
		env[k] = v
	}
	for name, path := range spec.Outputs {
		env[name] = path
	}
	env["HOME"] = HomelessShelter
	env["FRUIX_BUILD_TOP"] = buildTop
	env["FRUIX_STORE"] = spec.StoreDir
	for _, k := range []string{"TMPDIR", "TEMPDIR", "TMP", "TEMP"} {
		env[k] = buildTop
	}
	env["PWD"] = buildTop
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + "=" + env[k]
	}
	return out
}
