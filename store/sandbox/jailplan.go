package sandbox

import (
	"encoding/binary"
	"path/filepath"
	"sort"
	"strconv"
)

// This file holds the pure parts of the FreeBSD jail backend (jail.go,
// FreeBSD only): the jail's parameters and its file-system plan. They are
// plain data so that they are tested on any host.

// JailParam is one jail_set(2) parameter. Value is a string, an int32, or
// nil for a boolean that is set (jail_set takes booleans as a bare name).
type JailParam struct {
	Name  string
	Value any
}

// jailsys values of the ip4 and ip6 parameters.
const (
	jailSysDisable = 0
	jailSysInherit = 2
)

// DevfsRuleset is the devfs ruleset of the build jails: FreeBSD's
// "devfsrules_jail" (4), which hides every device a build has no business
// with.
const DevfsRuleset = 4

// JailParams returns the parameters of a build's jail: rooted at root,
// host name "localhost", no IP addresses unless the build is fixed-output
// (which inherits the host's network), no view of other mounts
// (enforce_statfs=2), no child jails, persistent while the build runs so
// that it survives between set-up and the builder's start.
func JailParams(spec *Spec, root, name string) []JailParam {
	ip := int32(jailSysDisable)
	if spec.Network {
		ip = jailSysInherit
	}
	return []JailParam{
		{"name", name},
		{"path", root},
		{"host.hostname", "localhost"},
		{"persist", nil},
		{"enforce_statfs", int32(2)},
		{"children.max", int32(0)},
		{"devfs_ruleset", int32(DevfsRuleset)},
		{"ip4", ip},
		{"ip6", ip},
	}
}

// EncodeJailParam returns a parameter's name and value in the byte forms
// jail_set(2) reads: NUL-terminated strings, native 32-bit integers, and
// no value for a set boolean.
func EncodeJailParam(p JailParam) (name, value []byte) {
	name = append([]byte(p.Name), 0)
	switch v := p.Value.(type) {
	case string:
		value = append([]byte(v), 0)
	case int32:
		value = binary.NativeEndian.AppendUint32(nil, uint32(v))
	case nil:
	default:
		panic("sandbox: jail parameter of unsupported type")
	}
	return name, value
}

// JailMount is one mount of a build jail, in nmount(2)'s terms.
type JailMount struct {
	FSType   string            // nullfs, tmpfs or devfs
	Path     string            // the mount point, on the host
	Options  map[string]string // nmount options besides fstype and fspath
	ReadOnly bool
	// Copy is set instead of a mount for single files: the file at Copy
	// is copied (read-only) to Path, which is simpler and as safe for
	// immutable store files and host configuration files as a file mount.
	Copy string
}

// JailMountPlan returns the mounts of a build jail rooted at root, in the
// order they must be made (unmount in reverse): a tmpfs root, a private
// /tmp, each entry of the mount plan as a nullfs mount (directories) or a
// read-only copy (files), and devfs with the jail ruleset. isDir tells
// whether a host path is a directory.
func JailMountPlan(plan []Mount, root string, isDir func(string) bool) []JailMount {
	out := []JailMount{
		{FSType: "tmpfs", Path: root, Options: map[string]string{"mode": "0755"}},
		{FSType: "tmpfs", Path: filepath.Join(root, "tmp"), Options: map[string]string{"mode": "1777"}},
	}
	for _, m := range plan {
		target := filepath.Join(root, m.Target)
		if !isDir(m.Source) {
			out = append(out, JailMount{Path: target, Copy: m.Source, ReadOnly: true})
			continue
		}
		out = append(out, JailMount{FSType: "nullfs", Path: target, Options: map[string]string{"target": m.Source}, ReadOnly: m.ReadOnly})
	}
	out = append(out, JailMount{FSType: "devfs", Path: filepath.Join(root, "dev"), Options: map[string]string{"ruleset": strconv.Itoa(DevfsRuleset)}})
	return out
}

// NmountIovecs returns the name/value pairs of an nmount(2) call for m,
// options sorted by name.
func NmountIovecs(m JailMount) [][2]string {
	pairs := [][2]string{{"fstype", m.FSType}, {"fspath", m.Path}}
	keys := make([]string, 0, len(m.Options))
	for k := range m.Options {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		pairs = append(pairs, [2]string{k, m.Options[k]})
	}
	return pairs
}
