package mtree

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// IDs maps user and group names to numeric ids, as read from a passwd and
// a group file (FreeBSD makefs's -N dbdir).
type IDs struct {
	Users  map[string]uint32
	Groups map[string]uint32
	// Where names the files the ids came from, for messages.
	Where string
}

// ReadIDs reads etc/master.passwd (or etc/passwd) and etc/group under dir,
// normally the root of the tree being imaged.
func ReadIDs(dir string) (*IDs, error) {
	ids := &IDs{Users: map[string]uint32{}, Groups: map[string]uint32{}}
	pw := filepath.Join(dir, "etc", "master.passwd")
	f, err := os.Open(pw)
	if os.IsNotExist(err) {
		pw = filepath.Join(dir, "etc", "passwd")
		f, err = os.Open(pw)
	}
	if err != nil {
		return nil, fmt.Errorf("mtree: user database: %w", err)
	}
	err = readColonFile(f, pw, ids.Users)
	f.Close()
	if err != nil {
		return nil, err
	}
	gr := filepath.Join(dir, "etc", "group")
	g, err := os.Open(gr)
	if err != nil {
		return nil, fmt.Errorf("mtree: group database: %w", err)
	}
	err = readColonFile(g, gr, ids.Groups)
	g.Close()
	if err != nil {
		return nil, err
	}
	ids.Where = pw + " and " + gr
	return ids, nil
}

// readColonFile reads name:x:id:... lines (passwd, master.passwd, group).
func readColonFile(r io.Reader, name string, into map[string]uint32) error {
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if t == "" || t[0] == '#' {
			continue
		}
		f := strings.Split(t, ":")
		if len(f) < 3 {
			return fmt.Errorf("%s:%d: want name:password:id:...", name, line)
		}
		id, err := strconv.ParseUint(f[2], 10, 32)
		if err != nil {
			return fmt.Errorf("%s:%d: id %q is not a number", name, line, f[2])
		}
		if _, dup := into[f[0]]; !dup {
			into[f[0]] = uint32(id)
		}
	}
	return sc.Err()
}

// NeedsIDs reports whether some entry names an owner or group without a
// numeric id, so that Resolve needs a database.
func (s *Spec) NeedsIDs() bool {
	for _, e := range s.Entries() {
		if (e.Uname != "" && !e.HasUid) || (e.Gname != "" && !e.HasGid) {
			return true
		}
	}
	return false
}

// Resolve fills Uid and Gid from Uname and Gname where no numeric id was
// given. An unknown name is an error at the entry's line.
func (s *Spec) Resolve(ids *IDs) error {
	for _, e := range s.Entries() {
		if e.Uname != "" && !e.HasUid {
			id, ok := ids.Users[e.Uname]
			if !ok {
				return &Error{e.File, e.Line, fmt.Sprintf("%s: unknown user %q (not in %s)", e.display(), e.Uname, ids.Where)}
			}
			e.Uid, e.HasUid = id, true
		}
		if e.Gname != "" && !e.HasGid {
			id, ok := ids.Groups[e.Gname]
			if !ok {
				return &Error{e.File, e.Line, fmt.Sprintf("%s: unknown group %q (not in %s)", e.display(), e.Gname, ids.Where)}
			}
			e.Gid, e.HasGid = id, true
		}
	}
	return nil
}
