package store

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// ErrInUse is wrapped by the error Open returns when another process owns
// the store.
var ErrInUse = errors.New("store is in use")

// InUseError names the process that owns a store.
type InUseError struct {
	StateDir string
	PID      int
	Command  string
}

func (e *InUseError) Error() string {
	return fmt.Sprintf("store %s is in use by pid %d (%s)", e.StateDir, e.PID, e.Command)
}

func (e *InUseError) Unwrap() error { return ErrInUse }

// acquireOwnerLock takes the exclusive flock on <state>/db.lock without
// waiting and writes the owner's pid and command line in it. The kernel
// releases the lock when the process dies, so a crash never leaves the
// store locked.
func acquireOwnerLock(stateDir string) (*os.File, error) {
	name := stateDir + "/db.lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cannot open the store lock: %w", err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			pid, cmd := readOwner(f)
			return nil, &InUseError{StateDir: stateDir, PID: pid, Command: cmd}
		}
		return nil, fmt.Errorf("cannot lock %s: %w", name, err)
	}
	cmdline := strings.Join(os.Args, " ")
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"+cmdline+"\n"), 0)
	}
	return f, nil
}

// readOwner reads the pid and command line an owner wrote in the lock.
// The owner writes them just after locking, so they may briefly be empty.
func readOwner(f *os.File) (int, string) {
	buf := make([]byte, 4096)
	n, _ := f.ReadAt(buf, 0)
	lines := strings.SplitN(string(buf[:n]), "\n", 3)
	pid, _ := strconv.Atoi(strings.TrimSpace(lines[0]))
	cmd := "command unknown"
	if len(lines) > 1 && strings.TrimSpace(lines[1]) != "" {
		cmd = strings.TrimSpace(lines[1])
	}
	return pid, cmd
}
