package store

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// ErrInUse is wrapped by the error Open returns when another process owns
// the store, and by the error OpenReadOnly returns when a process owns it.
var ErrInUse = errors.New("store is in use")

// InUseError names the process that owns a store, or says that readers
// (OpenReadOnly) held it for too long. PID is 0 when the owner has not
// written its pid in the lock yet (it does so just after locking).
type InUseError struct {
	StateDir string
	PID      int
	Command  string
	Readers  bool
}

func (e *InUseError) Error() string {
	switch {
	case e.Readers:
		return fmt.Sprintf("store %s is in use by processes reading it (fruix-eval, dry runs), still after %v", e.StateDir, readersWait)
	case e.PID == 0:
		return fmt.Sprintf("store %s is in use by another process", e.StateDir)
	}
	return fmt.Sprintf("store %s is in use by pid %d (%s)", e.StateDir, e.PID, e.Command)
}

func (e *InUseError) Unwrap() error { return ErrInUse }

// The owner lock is a flock on <state>/db.lock. The owner (Open) holds it
// exclusively; readers (OpenReadOnly) hold it shared, so that any number
// of them may read the index at once while no owner can change it under
// them. Badger itself has the same rule for its directory, which the
// owner lock takes first.
const ownerLockName = "db.lock"

// readersWait is how long Open waits for readers to let go of the store.
// A reader holds it for one query (fruix-eval's lowering of the graph at
// most); an owner is refused at once.
var readersWait = 10 * time.Second

// acquireOwnerLock takes the exclusive flock on <state>/db.lock and
// writes the owner's pid and command line in it. When another owner holds
// it, it fails at once; when only readers do, it waits for them (up to
// readersWait). The kernel releases the lock when the process dies, so a
// crash never leaves the store locked.
func acquireOwnerLock(stateDir string) (*os.File, error) {
	name := stateDir + "/" + ownerLockName
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cannot open the store lock: %w", err)
	}
	deadline := time.Now().Add(readersWait)
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, unix.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("cannot lock %s: %w", name, err)
		}
		// Someone holds it: an owner holds it exclusively, readers shared.
		if err := lockShared(f, stateDir, name); err != nil {
			f.Close()
			return nil, err
		}
		unix.Flock(int(f.Fd()), unix.LOCK_UN)
		if time.Now().After(deadline) {
			f.Close()
			return nil, &InUseError{StateDir: stateDir, Readers: true}
		}
		time.Sleep(2 * time.Millisecond)
	}
	cmdline := strings.Join(os.Args, " ")
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"+cmdline+"\n"), 0)
	}
	return f, nil
}

// acquireReaderLock takes the shared flock on <state>/db.lock without
// waiting: it fails, naming the owner, when a process owns the store.
// A missing lock file means that no owner ever opened the store; f is
// then nil.
func acquireReaderLock(stateDir string) (f *os.File, err error) {
	name := stateDir + "/" + ownerLockName
	f, err = os.Open(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot open the store lock: %w", err)
	}
	if err := lockShared(f, stateDir, name); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// lockShared takes the shared flock on f, the lock file name, without
// waiting; when an owner holds it, the error names the owner.
func lockShared(f *os.File, stateDir, name string) error {
	err := unix.Flock(int(f.Fd()), unix.LOCK_SH|unix.LOCK_NB)
	if errors.Is(err, unix.EWOULDBLOCK) {
		pid, cmd := readOwner(f)
		return &InUseError{StateDir: stateDir, PID: pid, Command: cmd}
	}
	if err != nil {
		return fmt.Errorf("cannot lock %s: %w", name, err)
	}
	return nil
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
