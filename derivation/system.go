package derivation

import (
	"fmt"
	"strings"
)

// Systems Fruix knows, as "<cpu>-<kernel>" in Nix's spelling. FreeBSD
// systems are what Fruix builds for; Linux ones are the development and
// CI hosts that run the realizer.
var Systems = []string{
	"x86_64-freebsd",
	"aarch64-freebsd",
	"i686-freebsd",
	"riscv64-freebsd",
	"powerpc64le-freebsd",
	"x86_64-linux",
	"aarch64-linux",
	"i686-linux",
	"riscv64-linux",
	"x86_64-darwin",
	"aarch64-darwin",
}

// ParseSystem splits a system into its CPU and kernel, checking that it
// is one Fruix knows.
func ParseSystem(system string) (cpu, kernel string, err error) {
	for _, s := range Systems {
		if s == system {
			cpu, kernel, _ = strings.Cut(system, "-")
			return cpu, kernel, nil
		}
	}
	return "", "", fmt.Errorf("unknown system %q (known: %s)", system, strings.Join(Systems, ", "))
}

// HostSystem maps Go's GOARCH and GOOS to a Fruix system name.
func HostSystem(goarch, goos string) (string, error) {
	cpu := map[string]string{"amd64": "x86_64", "arm64": "aarch64", "386": "i686", "riscv64": "riscv64", "ppc64le": "powerpc64le"}[goarch]
	if cpu == "" {
		return "", fmt.Errorf("no Fruix system for GOARCH %q", goarch)
	}
	system := cpu + "-" + goos
	if _, _, err := ParseSystem(system); err != nil {
		return "", err
	}
	return system, nil
}
