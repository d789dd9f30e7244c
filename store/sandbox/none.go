//go:build unix

package sandbox

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// None runs builders without any isolation: the cleared environment and a
// private build directory are all it provides. It exists for unprivileged
// experiments and warns on every build.
type None struct{}

func (None) Name() string { return "none" }

func (None) Run(ctx context.Context, spec *Spec) (*Result, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if len(spec.OutputDest) > 0 {
		return nil, fmt.Errorf("sandbox none: cannot rebuild into another location (--check needs --sandbox=linux or jail)")
	}
	fmt.Fprintln(os.Stderr, "fruix: WARNING: --sandbox=none isolates nothing: the builder sees the whole host, its network and its files, and runs as you")
	cmd := &exec.Cmd{
		Path:        spec.Builder,
		Args:        append([]string{spec.Builder}, spec.Args...),
		Env:         Environment(spec, spec.BuildDir),
		Dir:         spec.BuildDir,
		SysProcAttr: &syscall.SysProcAttr{Setsid: true}, // its own session and process group
	}
	kill := func() {
		if cmd.Process != nil {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	}
	res, err := supervise(ctx, cmd, spec, kill, nil)
	if err != nil {
		return nil, fmt.Errorf("sandbox none: running %s: %w", spec.Builder, err)
	}
	// Whatever the builder left running in its process group goes too.
	kill()
	res.BuildUID = os.Getuid()
	return res, nil
}
