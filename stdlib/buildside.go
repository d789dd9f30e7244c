package stdlib

import (
	"io/fs"
	"slices"
	"strings"

	"fruix.dev/fruix/eval"
)

// The build side. A builtin:scheme build runs its program in a thread
// made by NewBuildSide: the same language and library as on the host, but
// only the modules the build may rely on. Host-side modules such as
// (fruix gexp), (fruix derivations) and (fruix records) describe builds;
// they have no business inside one, and a build that used them would
// depend on the fruix binary rather than on its declared inputs. The
// build-side modules, (fruix build utils) and its kin, are not built in
// either: a build sees them only if its G-expression shipped their text
// (with-imported-modules), so that their text is an input of the
// derivation and a change to them changes its hash.

// NewBuildSide returns a thread for a build program. opts.Sources and
// opts.LoadPath are replaced: modules are searched in the embedded
// library minus its (fruix ...) modules, then in modulesDir (the shipped
// module tree, FRUIX_MODULES; "" for none). Native modules named
// (fruix ...) are left out, except (fruix build primitives), the Go half
// of the shipped build modules.
func NewBuildSide(opts eval.Options, modulesDir string) *eval.Thread {
	opts.Sources = []fs.FS{buildSideSources{Sources()}}
	opts.LoadPath = nil
	if modulesDir != "" {
		opts.LoadPath = []string{modulesDir}
	}
	th := eval.New(opts)
	for _, m := range modules {
		if isHostSideModule(m.name) {
			continue
		}
		registerModuleSpec(th, m)
	}
	InstallMatch(th)
	return th
}

// isHostSideModule reports whether the native module name stays out of
// builds.
func isHostSideModule(name []string) bool {
	return len(name) > 0 && name[0] == "fruix" && !slices.Equal(name, BuildPrimitivesModule)
}

// buildSideSources is the embedded library without its fruix/ tree.
type buildSideSources struct{ fsys fs.FS }

func (b buildSideSources) Open(name string) (fs.File, error) {
	if name == "fruix" || strings.HasPrefix(name, "fruix/") {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return b.fsys.Open(name)
}
