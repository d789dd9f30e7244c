//go:build unix

package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// The build user pool: builders run as fruixbld1..fruixbld32, uids
// BuildUIDBase+1.., all in group fruixbld (BuildGID). The users need not
// exist in the host's passwd file: the sandbox writes its own.
const (
	BuildUIDBase  = 30000
	BuildGID      = 30000
	BuildPoolSize = 32
	BuildGroup    = "fruixbld"
)

// BuildUser is one user of the pool, held until Release.
type BuildUser struct {
	UID, GID int
	Name     string
	lock     *os.File
}

// AcquireBuildUser takes a free build user: one lock file per uid under
// stateDir/userpool, held with flock so that users are released when the
// holder dies, even by kill -9.
func AcquireBuildUser(stateDir string) (*BuildUser, error) {
	dir := filepath.Join(stateDir, "userpool")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("sandbox: build user pool: %w", err)
	}
	for i := 1; i <= BuildPoolSize; i++ {
		uid := BuildUIDBase + i
		f, err := os.OpenFile(filepath.Join(dir, strconv.Itoa(uid)), os.O_CREATE|os.O_RDWR|unix.O_CLOEXEC, 0o600)
		if err != nil {
			return nil, fmt.Errorf("sandbox: build user pool: %w", err)
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
			f.Close()
			continue
		}
		return &BuildUser{UID: uid, GID: BuildGID, Name: BuildGroup + strconv.Itoa(i), lock: f}, nil
	}
	return nil, fmt.Errorf("sandbox: all %d build users are busy (lower -j)", BuildPoolSize)
}

// Release returns the user to the pool.
func (u *BuildUser) Release() {
	if u != nil && u.lock != nil {
		u.lock.Close()
		u.lock = nil
	}
}

// passwdFile and groupFile are the sandbox's /etc/passwd and /etc/group:
// root, the build user and nobody, nothing of the host.
func passwdFile(uid, gid int, name string) string {
	return fmt.Sprintf("root:x:0:0:root:/root:/bin/sh\n%s:x:%d:%d:Fruix build user:%s:/noshell\nnobody:x:65534:65534:nobody:/nonexistent:/noshell\n",
		name, uid, gid, HomelessShelter)
}

func groupFile(gid int, name string) string {
	return fmt.Sprintf("root:x:0:\n%s:x:%d:%s\nnogroup:x:65534:\n", BuildGroup, gid, name)
}
