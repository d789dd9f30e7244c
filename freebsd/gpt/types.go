package gpt

import (
	"fmt"
	"sort"
	"strings"
)

// partitionTypes maps the names FreeBSD's gpart uses to the type GUIDs of
// the UEFI specification and FreeBSD's <sys/disk/gpt.h>.
var partitionTypes = map[string]GUID{
	"efi":           mustGUID("C12A7328-F81F-11D2-BA4B-00A0C93EC93B"),
	"freebsd":       mustGUID("516E7CB4-6ECF-11D6-8FF8-00022D09712B"),
	"freebsd-boot":  mustGUID("83BD6B9D-7F41-11DC-BE0B-001560B84F0F"),
	"freebsd-swap":  mustGUID("516E7CB5-6ECF-11D6-8FF8-00022D09712B"),
	"freebsd-ufs":   mustGUID("516E7CB6-6ECF-11D6-8FF8-00022D09712B"),
	"freebsd-vinum": mustGUID("516E7CB8-6ECF-11D6-8FF8-00022D09712B"),
	"freebsd-zfs":   mustGUID("516E7CBA-6ECF-11D6-8FF8-00022D09712B"),
	"bios-boot":     mustGUID("21686148-6449-6E6F-744E-656564454649"),
	"ms-basic-data": mustGUID("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7"),
	"linux-data":    mustGUID("0FC63DAF-8483-4772-8E79-3D69D8477DE4"),
}

// TypeNames lists the partition type names Fruix knows, sorted.
func TypeNames() []string {
	names := make([]string, 0, len(partitionTypes))
	for n := range partitionTypes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// TypeGUID returns the type GUID of a partition type name; a GUID in its
// text form is accepted as is.
func TypeGUID(name string) (GUID, error) {
	if g, ok := partitionTypes[name]; ok {
		return g, nil
	}
	if g, err := ParseGUID(name); err == nil {
		return g, nil
	}
	return GUID{}, fmt.Errorf("gpt: unknown partition type %q; known types: %s (or a type GUID)", name, strings.Join(TypeNames(), ", "))
}

// TypeName returns the name of a type GUID, or the GUID's text when Fruix
// has no name for it.
func TypeName(g GUID) string {
	for n, t := range partitionTypes {
		if t == g {
			return n
		}
	}
	return g.String()
}
