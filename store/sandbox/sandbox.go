// Package sandbox runs a derivation's builder in isolation. It owns one
// contract — Spec in, Result out — and the backends that implement it:
// Linux namespaces with bind mounts (development and CI hosts), FreeBSD
// jails with nullfs mounts, and "none", which isolates nothing and says so.
//
// The contract: a cleared environment (the derivation's variables plus the
// standard ones, see Environment), a private build directory, the closure of
// the inputs visible read-only at their store paths and nothing else of the
// store, only the outputs writable, no network unless the build is
// fixed-output, an unprivileged build user from a pool, and host paths only
// when the derivation lists them.
package sandbox

import (
	"context"
	"fmt"
	"io"
	"time"
)

// Spec describes one build to run in a sandbox.
type Spec struct {
	// Builder is the program to run (an absolute path valid inside the
	// sandbox), Args its arguments (without argv[0]).
	Builder string
	Args    []string
	// Env holds the derivation's environment variables; Environment adds
	// the standard ones.
	Env map[string]string
	// BuildDir is a host directory created by the caller for this build;
	// it becomes the builder's working and temporary directory.
	BuildDir string
	// StoreDir is the store directory, e.g. /frx/store.
	StoreDir string
	// Inputs are store paths made visible read-only: the closure of the
	// derivation's inputs. Nothing else of the store is visible.
	Inputs []string
	// Outputs maps each output name to its store path. Only these paths
	// are writable; the builder creates them.
	Outputs map[string]string
	// OutputDest optionally moves an output (by store path) to another host
	// path once the build is over, e.g. for `--check` rebuilds. Backends
	// that cannot redirect outputs refuse specs that set it.
	OutputDest map[string]string
	// HostPaths are host files and directories the derivation lists
	// explicitly (for example /bin/sh); they are visible read-only at the
	// same path.
	HostPaths []string
	// BuilderFromHost says the builder is a program of the host (the fruix
	// binary running a builtin builder): isolating sandboxes show it
	// read-only at HostBuilderPath, with the shared libraries it needs.
	BuilderFromHost bool
	// Network allows network access; only fixed-output builds get it.
	Network bool
	// StateDir holds the build user pool's locks.
	StateDir string
	// Timeout bounds the whole build; MaxSilent bounds the time without
	// output. Zero means no limit.
	Timeout   time.Duration
	MaxSilent time.Duration
	// Log receives the builder's standard output and error, interleaved.
	Log io.Writer
}

// Sandbox runs builds. Run returns a nil error and a Result describing the
// builder's fate when the builder ran (whether it succeeded or not), and a
// non-nil error when the sandbox itself could not be set up.
type Sandbox interface {
	Name() string
	Run(ctx context.Context, spec *Spec) (*Result, error)
}

// Result is the outcome of one build.
type Result struct {
	ExitCode int    // the builder's exit status, -1 when killed by a signal
	Signal   string // the signal that killed it, if any
	Killed   Reason // why Fruix killed it, if it did
	Duration time.Duration
	BuildUID int // the user the builder ran as
}

// Reason says why a build was stopped by Fruix.
type Reason int

const (
	NotKilled Reason = iota
	TimedOut
	Silent
	Canceled
)

// OK reports whether the builder exited with status 0.
func (r *Result) OK() bool { return r.Killed == NotKilled && r.Signal == "" && r.ExitCode == 0 }

// Describe says in words how the build ended, for error messages.
func (r *Result) Describe(spec *Spec) string {
	switch r.Killed {
	case TimedOut:
		return fmt.Sprintf("timed out after %v (--timeout)", spec.Timeout)
	case Silent:
		return fmt.Sprintf("killed after %v without output (--max-silent-time)", spec.MaxSilent)
	case Canceled:
		return "interrupted"
	}
	if r.Signal != "" {
		return "builder killed by signal " + r.Signal
	}
	if r.ExitCode == 0 {
		return "builder succeeded"
	}
	return fmt.Sprintf("builder exited with status %d", r.ExitCode)
}

// Available lists the backends that may work on this host, best first.
func Available() []string { return available() }

// New returns the backend called name: "auto" (the best available
// isolating backend), "linux", "jail" or "none".
func New(name string) (Sandbox, error) {
	switch name {
	case "", "auto":
		for _, n := range available() {
			if n != "none" {
				return New(n)
			}
		}
		return nil, fmt.Errorf("sandbox: no isolating sandbox on this host; use --sandbox=none to build without isolation")
	case "none":
		return None{}, nil
	}
	return newBackend(name)
}
