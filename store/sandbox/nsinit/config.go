// Package nsinit is the first process of a Linux build sandbox: the
// realizer re-executes its own binary with argv[0] set to Arg0 in new
// namespaces, and this package's init function — which runs before the
// rest of the program is initialized, because it needs nothing but Go's
// standard library — builds the sandbox's root from a tmpfs and bind
// mounts, pivots into it and executes the builder as the build user.
package nsinit

import (
	"errors"
	"strconv"
	"strings"
)

// Arg0 is the argv[0] that makes a process the sandbox's first process.
const Arg0 = "fruix-sandbox-init"

// BuildDir is where the build directory appears inside the sandbox.
const BuildDir = "/build"

// Mount is one bind mount: Source (a host path) made visible at Target.
type Mount struct {
	Source   string
	Target   string
	ReadOnly bool
	// SkipIfPresent marks mounts only needed when the sandbox does not
	// already show the path (libraries of a host builder that a listed
	// host directory may already provide).
	SkipIfPresent bool
}

// Config is what the first process reads on its file descriptor 3; it
// reports set-up errors on descriptor 4, which the builder's exec closes.
type Config struct {
	Root     string // an empty host directory to mount the new root on
	Plan     []Mount
	Builder  string // inside the sandbox
	Args     []string
	Env      []string
	UID, GID int // the build user; 0 to stay as is (inside a user namespace)
	Network  bool
	Passwd   string // the sandbox's /etc/passwd and /etc/group
	Group    string
}

// Encode serializes c as NUL-terminated fields. The format is private to
// the two ends of one pipe; it avoids encoding/json so that this package
// initializes early and the sandbox's first process starts fast.
func (c *Config) Encode() []byte {
	var b []byte
	str := func(s string) { b = append(append(b, s...), 0) }
	num := func(n int) { str(strconv.Itoa(n)) }
	flag := func(v bool) {
		if v {
			str("1")
		} else {
			str("0")
		}
	}
	list := func(l []string) {
		num(len(l))
		for _, s := range l {
			str(s)
		}
	}
	str(c.Root)
	num(len(c.Plan))
	for _, m := range c.Plan {
		str(m.Source)
		str(m.Target)
		flag(m.ReadOnly)
		flag(m.SkipIfPresent)
	}
	str(c.Builder)
	list(c.Args)
	list(c.Env)
	num(c.UID)
	num(c.GID)
	flag(c.Network)
	str(c.Passwd)
	str(c.Group)
	return b
}

// Decode reads what Encode wrote.
func Decode(data []byte) (*Config, error) {
	fields := strings.Split(string(data), "\x00")
	i := 0
	bad := false
	str := func() string {
		if i >= len(fields) {
			bad = true
			return ""
		}
		i++
		return fields[i-1]
	}
	num := func() int {
		n, err := strconv.Atoi(str())
		if err != nil || n < 0 {
			bad = true
		}
		return n
	}
	flag := func() bool { return str() == "1" }
	list := func() []string {
		n := num()
		if bad || n > len(fields) {
			bad = true
			return nil
		}
		l := make([]string, n)
		for k := range l {
			l[k] = str()
		}
		return l
	}
	c := &Config{Root: str()}
	n := num()
	if n > len(fields) {
		return nil, errors.New("malformed sandbox configuration")
	}
	for k := 0; k < n && !bad; k++ {
		c.Plan = append(c.Plan, Mount{Source: str(), Target: str(), ReadOnly: flag(), SkipIfPresent: flag()})
	}
	c.Builder = str()
	c.Args = list()
	c.Env = list()
	c.UID, c.GID = num(), num()
	c.Network = flag()
	c.Passwd, c.Group = str(), str()
	if bad || i != len(fields)-1 {
		return nil, errors.New("malformed sandbox configuration")
	}
	return c, nil
}
