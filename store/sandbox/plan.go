package sandbox

import (
	"fmt"
	"fruix.dev/fruix/store/sandbox/nsinit"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Mount is one entry of a sandbox's mount plan: Source (a host path) made
// visible at Target (a path inside the sandbox).
type Mount = nsinit.Mount

// networkFiles are the host files a fixed-output build sees so that it can
// resolve names and check certificates; its result is verified by hash,
// so these impurities cannot leak into it.
var networkFiles = []string{"/etc/resolv.conf", "/etc/services", "/etc/nsswitch.conf", "/etc/ssl/certs", "/etc/pki/tls/certs", "/usr/share/ca-certificates"}

// Validate checks a spec for mistakes a derivation can contain.
func (spec *Spec) Validate() error {
	if spec.Builder == "" {
		return fmt.Errorf("sandbox: no builder")
	}
	if !filepath.IsAbs(spec.StoreDir) || filepath.Clean(spec.StoreDir) != spec.StoreDir || spec.StoreDir == "/" {
		return fmt.Errorf("sandbox: store directory %q must be a clean absolute path other than /", spec.StoreDir)
	}
	if spec.BuildDir == "" {
		return fmt.Errorf("sandbox: no build directory")
	}
	for _, p := range spec.Inputs {
		if !isUnder(p, spec.StoreDir) {
			return fmt.Errorf("sandbox: input %q is not in the store %s", p, spec.StoreDir)
		}
	}
	for name, p := range spec.Outputs {
		if !isUnder(p, spec.StoreDir) {
			return fmt.Errorf("sandbox: output %s (%q) is not in the store %s", name, p, spec.StoreDir)
		}
	}
	for _, p := range spec.HostPaths {
		switch {
		case !filepath.IsAbs(p) || filepath.Clean(p) != p:
			return fmt.Errorf("sandbox: host path %q must be a clean absolute path", p)
		case p == "/":
			return fmt.Errorf("sandbox: host path / would expose the whole host; list the directories the build needs")
		case isUnder(p, spec.StoreDir) || p == spec.StoreDir || isUnder(spec.StoreDir, p):
			return fmt.Errorf("sandbox: host path %q overlaps the store %s; store paths are inputs, not host paths", p, spec.StoreDir)
		}
	}
	return nil
}

// isUnder reports whether p is strictly inside dir.
func isUnder(p, dir string) bool {
	return strings.HasPrefix(p, dir+"/") && len(p) > len(dir)+1
}

// MountPlan returns the bind mounts of an isolating sandbox, parents before
// children: the store directory backed by staging (a writable host
// directory where the builder creates its outputs), each input read-only,
// the build directory at /build, the host paths the derivation lists, the
// host builder with its shared libraries, and for network builds the files
// name resolution needs. Host paths that do not exist are an error; network
// files that do not exist are skipped.
func MountPlan(spec *Spec, staging string) ([]Mount, error) {
	plan := []Mount{
		{Source: staging, Target: spec.StoreDir},
		{Source: spec.BuildDir, Target: SandboxBuildDir},
	}
	for _, p := range spec.Inputs {
		plan = append(plan, Mount{Source: p, Target: p, ReadOnly: true})
	}
	for _, p := range spec.HostPaths {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("sandbox: host path listed by the derivation: %w", err)
		}
		plan = append(plan, Mount{Source: p, Target: p, ReadOnly: true})
	}
	if spec.BuilderFromHost {
		plan = append(plan, Mount{Source: spec.Builder, Target: HostBuilderPath, ReadOnly: true})
		libs, err := sharedLibraries(spec.Builder)
		if err != nil {
			return nil, err
		}
		for _, l := range libs {
			plan = append(plan, Mount{Source: l, Target: l, ReadOnly: true, SkipIfPresent: true})
		}
	}
	if spec.Network {
		for _, f := range networkFiles {
			if _, err := os.Stat(f); err == nil {
				plan = append(plan, Mount{Source: f, Target: f, ReadOnly: true})
			}
		}
	}
	sort.SliceStable(plan, func(i, j int) bool { return plan[i].Target < plan[j].Target })
	// A path listed twice (a host path that is also a library) is mounted once.
	out := plan[:0]
	for i, m := range plan {
		if i > 0 && m.Target == plan[i-1].Target {
			continue
		}
		out = append(out, m)
	}
	return out, nil
}

// StagingPrefix starts the names of the directories, inside the store
// directory, where builds create their outputs before they are moved to
// their store paths. The prefix is the store's prefix for temporary names,
// so that opening the store removes those a crash left behind.
const StagingPrefix = ".tmp-build-"

// HostBuilderPath is where isolating sandboxes show a host builder (the
// fruix binary running a builtin builder).
const HostBuilderPath = "/.fruix/bin/fruix"

// builderInside is the builder's path as seen inside an isolating sandbox.
func builderInside(spec *Spec) string {
	if spec.BuilderFromHost {
		return HostBuilderPath
	}
	return spec.Builder
}

// rootsDir is where, under the state directory, sandboxes make the mount
// points of their roots; RemoveStaleRoots empties it after a crash.
const rootsDir = "sandbox-roots"

// makeRootMountPoint makes the empty directory a sandbox's root is
// mounted on (only inside the sandbox's own mount namespace).
func makeRootMountPoint(stateDir string) (string, error) {
	if stateDir == "" {
		return os.MkdirTemp("", "fruix-sandbox-root-")
	}
	dir := filepath.Join(stateDir, rootsDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return os.MkdirTemp(dir, "root-")
}

// RemoveStaleRoots removes the root mount points that builds killed with
// their realizer left in stateDir. Call it only when no build of this
// state directory runs (the owner of the store, when it starts). Mount
// points are empty on the host, so only empty directories are removed.
func RemoveStaleRoots(stateDir string) {
	dir := filepath.Join(stateDir, rootsDir)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		removeStaleRoot(filepath.Join(dir, e.Name()))
	}
}
