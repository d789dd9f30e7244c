package mtree

import (
	"fmt"
	"sort"
	"strings"
)

// File flags of chflags(2), from FreeBSD's sys/sys/stat.h.
const (
	UF_NODUMP    = 0x00000001
	UF_IMMUTABLE = 0x00000002
	UF_APPEND    = 0x00000004
	UF_OPAQUE    = 0x00000008
	UF_NOUNLINK  = 0x00000010
	UF_SYSTEM    = 0x00000080
	UF_SPARSE    = 0x00000100
	UF_OFFLINE   = 0x00000200
	UF_REPARSE   = 0x00000400
	UF_ARCHIVE   = 0x00000800
	UF_READONLY  = 0x00001000
	UF_HIDDEN    = 0x00008000
	SF_ARCHIVED  = 0x00010000
	SF_IMMUTABLE = 0x00020000
	SF_APPEND    = 0x00040000
	SF_NOUNLINK  = 0x00100000
	SF_SNAPSHOT  = 0x00200000
)

// flagNames are the names strtofflags(3) accepts (lib/libc/gen/strtofflags.c).
var flagNames = map[string]uint32{
	"arch": SF_ARCHIVED, "archived": SF_ARCHIVED,
	"nodump": UF_NODUMP,
	"opaque": UF_OPAQUE,
	"sappnd": SF_APPEND, "sappend": SF_APPEND,
	"schg": SF_IMMUTABLE, "schange": SF_IMMUTABLE, "simmutable": SF_IMMUTABLE,
	"sunlnk": SF_NOUNLINK, "sunlink": SF_NOUNLINK,
	"snapshot": SF_SNAPSHOT,
	"uappnd":   UF_APPEND, "uappend": UF_APPEND,
	"uarch": UF_ARCHIVE, "uarchive": UF_ARCHIVE,
	"uchg": UF_IMMUTABLE, "uchange": UF_IMMUTABLE, "uimmutable": UF_IMMUTABLE,
	"uhidden": UF_HIDDEN, "hidden": UF_HIDDEN,
	"uoffline": UF_OFFLINE, "offline": UF_OFFLINE,
	"urdonly": UF_READONLY, "rdonly": UF_READONLY, "readonly": UF_READONLY,
	"usparse": UF_SPARSE, "sparse": UF_SPARSE,
	"usystem": UF_SYSTEM, "system": UF_SYSTEM,
	"ureparse": UF_REPARSE, "reparse": UF_REPARSE,
	"uunlnk": UF_NOUNLINK, "uunlink": UF_NOUNLINK,
}

// ParseFlags turns a comma-separated flags= value ("schg,nodump", "none")
// into chflags(2) bits.
func ParseFlags(v string) (uint32, error) {
	var f uint32
	for _, name := range strings.Split(v, ",") {
		name = strings.TrimSpace(name)
		if name == "" || name == "none" || name == "-" {
			continue
		}
		bit, ok := flagNames[name]
		if !ok {
			return 0, fmt.Errorf("unknown file flag %q", name)
		}
		f |= bit
	}
	return f, nil
}

// FormatFlags is the inverse of ParseFlags, with the canonical names.
func FormatFlags(f uint32) string {
	canonical := map[uint32]string{
		SF_ARCHIVED: "arch", UF_NODUMP: "nodump", UF_OPAQUE: "opaque",
		SF_APPEND: "sappnd", SF_IMMUTABLE: "schg", SF_NOUNLINK: "sunlnk",
		SF_SNAPSHOT: "snapshot", UF_APPEND: "uappnd", UF_ARCHIVE: "uarch",
		UF_IMMUTABLE: "uchg", UF_HIDDEN: "uhidden", UF_OFFLINE: "uoffline",
		UF_READONLY: "urdonly", UF_SPARSE: "usparse", UF_SYSTEM: "usystem",
		UF_REPARSE: "ureparse", UF_NOUNLINK: "uunlnk",
	}
	var names []string
	for bit, name := range canonical {
		if f&bit != 0 {
			names = append(names, name)
			f &^= bit
		}
	}
	sort.Strings(names)
	if f != 0 {
		names = append(names, fmt.Sprintf("%#x", f))
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ",")
}
