//go:build unix

package sandbox

import (
	"context"
	"io"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// supervise starts cmd with its standard output and error going to
// spec.Log, and waits for it while enforcing the spec's timeout, its
// maximum silent time and ctx's cancellation. kill must end the whole
// process tree of the build. started, if not nil, runs on the calling
// goroutine just after the start; if it fails, the build is killed.
func supervise(ctx context.Context, cmd *exec.Cmd, spec *Spec, kill func(), started func() error) (*Result, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = w, w
	start := time.Now()
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return nil, err
	}
	w.Close()
	if started != nil {
		if err := started(); err != nil {
			kill()
			cmd.Wait()
			r.Close()
			return nil, err
		}
	}

	var lastOutput atomic.Int64
	lastOutput.Store(start.UnixNano())
	logw := spec.Log
	if logw == nil {
		logw = io.Discard
	}
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		buf := make([]byte, 32*1024)
		for {
			n, err := r.Read(buf)
			if n > 0 {
				lastOutput.Store(time.Now().UnixNano())
				logw.Write(buf[:n])
			}
			if err != nil {
				return
			}
		}
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	var reason Reason
	var once sync.Once
	stop := func(why Reason) {
		once.Do(func() {
			reason = why
			kill()
		})
	}
	var timeout <-chan time.Time
	if spec.Timeout > 0 {
		t := time.NewTimer(spec.Timeout)
		defer t.Stop()
		timeout = t.C
	}
	var tick <-chan time.Time
	if spec.MaxSilent > 0 {
		period := spec.MaxSilent / 10
		if period < 10*time.Millisecond {
			period = 10 * time.Millisecond
		}
		if period > time.Second {
			period = time.Second
		}
		tk := time.NewTicker(period)
		defer tk.Stop()
		tick = tk.C
	}
	var waitErr error
loop:
	for {
		select {
		case waitErr = <-exited:
			break loop
		case <-ctx.Done():
			stop(Canceled)
		case <-timeout:
			stop(TimedOut)
		case <-tick:
			if time.Since(time.Unix(0, lastOutput.Load())) > spec.MaxSilent {
				stop(Silent)
			}
		}
	}
	// A process that escaped the tree (possible only without isolation)
	// may hold the pipe open: do not wait for it forever.
	select {
	case <-copied:
	case <-time.After(2 * time.Second):
	}
	r.Close()
	<-copied

	res := &Result{Killed: reason, Duration: time.Since(start)}
	if _, ok := waitErr.(*exec.ExitError); waitErr != nil && !ok {
		return nil, waitErr
	}
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	switch {
	case ws.Signaled():
		res.ExitCode = -1
		res.Signal = unix.SignalName(ws.Signal())
		if res.Signal == "" {
			res.Signal = ws.Signal().String()
		}
	default:
		res.ExitCode = ws.ExitStatus()
	}
	return res, nil
}
