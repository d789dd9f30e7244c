package stdlib

import (
	"fmt"
	"io/fs"
	"os"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// Stat is what stat and lstat return: a file's status, read with the
// accessors stat:type, stat:perms, stat:size, stat:mtime and their kin,
// as in Guile.
type Stat struct {
	Dev, Ino, Nlink, Rdev uint64
	Mode                  uint32 // type and permission bits, as st_mode
	UID, GID              uint32
	Size, Blocks          int64
	Atime, Mtime, Ctime   int64 // seconds since the epoch
	AtimeNsec, MtimeNsec  int64
	CtimeNsec             int64
}

// TypeName implements lang.Named.
func (*Stat) TypeName() string { return "stat" }

// PrintScheme implements lang.Printable.
func (s *Stat) PrintScheme(p *lang.Printer, write bool) {
	p.WriteRaw(fmt.Sprintf("#<stat %s #o%o size: %d>", s.fileType(), s.Mode&0o7777, s.Size))
}

// The type bits of st_mode, which are the same on Linux and FreeBSD.
const (
	modeTypeMask = 0o170000
	modeFIFO     = 0o010000
	modeChar     = 0o020000
	modeDir      = 0o040000
	modeBlock    = 0o060000
	modeRegular  = 0o100000
	modeSymlink  = 0o120000
	modeSocket   = 0o140000
)

func (s *Stat) fileType() string {
	switch s.Mode & modeTypeMask {
	case modeRegular:
		return "regular"
	case modeDir:
		return "directory"
	case modeSymlink:
		return "symlink"
	case modeBlock:
		return "block-special"
	case modeChar:
		return "char-special"
	case modeFIFO:
		return "fifo"
	case modeSocket:
		return "socket"
	}
	return "unknown"
}

// statOf converts what os.Stat or os.Lstat returned.
func statOf(fi fs.FileInfo) *Stat {
	s := &Stat{Size: fi.Size(), Mtime: fi.ModTime().Unix(), MtimeNsec: int64(fi.ModTime().Nanosecond())}
	s.Atime, s.AtimeNsec, s.Ctime, s.CtimeNsec = s.Mtime, s.MtimeNsec, s.Mtime, s.MtimeNsec
	m := fi.Mode()
	s.Mode = uint32(m.Perm())
	if m&os.ModeSetuid != 0 {
		s.Mode |= 0o4000
	}
	if m&os.ModeSetgid != 0 {
		s.Mode |= 0o2000
	}
	if m&os.ModeSticky != 0 {
		s.Mode |= 0o1000
	}
	switch {
	case m.IsRegular():
		s.Mode |= modeRegular
	case m.IsDir():
		s.Mode |= modeDir
	case m&os.ModeSymlink != 0:
		s.Mode |= modeSymlink
	case m&os.ModeNamedPipe != 0:
		s.Mode |= modeFIFO
	case m&os.ModeSocket != 0:
		s.Mode |= modeSocket
	case m&os.ModeCharDevice != 0:
		s.Mode |= modeChar
	case m&os.ModeDevice != 0:
		s.Mode |= modeBlock
	}
	fillSysStat(s, fi.Sys())
	return s
}

func statter(proc string, stat func(string) (fs.FileInfo, error)) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		p, err := argString(proc, args, 0)
		if err != nil {
			return nil, err
		}
		fi, err := stat(p.String())
		if err != nil {
			if len(args) > 1 && args[1] == lang.Value(lang.False) {
				return lang.False, nil
			}
			return nil, fileErr(proc, err)
		}
		return statOf(fi), nil
	}
}

func statField(name, doc string, get func(s *Stat) lang.Value) *eval.Builtin {
	return &eval.Builtin{Name: name, MinArgs: 1, MaxArgs: 1, Doc: doc, Fn: func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		s, ok := args[0].(*Stat)
		if !ok {
			return nil, wrongType(name, 0, "stat object", args[0])
		}
		return get(s), nil
	}}
}

func u64(n uint64) lang.Value { return lang.MakeInt(int64(n)) }

var statBuiltins = []*eval.Builtin{
	statField("stat:type", "(stat:type st): the file's type: regular, directory, symlink, block-special, char-special, fifo, socket or unknown.", func(s *Stat) lang.Value { return lang.Intern(s.fileType()) }),
	statField("stat:perms", "(stat:perms st): the permission bits, setuid, setgid and sticky included (#o7777 at most).", func(s *Stat) lang.Value { return lang.MakeInt(int64(s.Mode & 0o7777)) }),
	statField("stat:mode", "(stat:mode st): the whole st_mode: type and permission bits.", func(s *Stat) lang.Value { return lang.MakeInt(int64(s.Mode)) }),
	statField("stat:size", "(stat:size st): the size in bytes.", func(s *Stat) lang.Value { return lang.MakeInt(s.Size) }),
	statField("stat:mtime", "(stat:mtime st): the modification time, in seconds since the epoch.", func(s *Stat) lang.Value { return lang.MakeInt(s.Mtime) }),
	statField("stat:atime", "(stat:atime st): the access time, in seconds since the epoch.", func(s *Stat) lang.Value { return lang.MakeInt(s.Atime) }),
	statField("stat:ctime", "(stat:ctime st): the status change time, in seconds since the epoch.", func(s *Stat) lang.Value { return lang.MakeInt(s.Ctime) }),
	statField("stat:mtimensec", "(stat:mtimensec st): the nanoseconds of the modification time.", func(s *Stat) lang.Value { return lang.MakeInt(s.MtimeNsec) }),
	statField("stat:atimensec", "(stat:atimensec st): the nanoseconds of the access time.", func(s *Stat) lang.Value { return lang.MakeInt(s.AtimeNsec) }),
	statField("stat:ctimensec", "(stat:ctimensec st): the nanoseconds of the status change time.", func(s *Stat) lang.Value { return lang.MakeInt(s.CtimeNsec) }),
	statField("stat:dev", "(stat:dev st): the device the file is on.", func(s *Stat) lang.Value { return u64(s.Dev) }),
	statField("stat:ino", "(stat:ino st): the inode number.", func(s *Stat) lang.Value { return u64(s.Ino) }),
	statField("stat:nlink", "(stat:nlink st): the number of hard links.", func(s *Stat) lang.Value { return u64(s.Nlink) }),
	statField("stat:uid", "(stat:uid st): the owner's user id.", func(s *Stat) lang.Value { return lang.MakeInt(int64(s.UID)) }),
	statField("stat:gid", "(stat:gid st): the group id.", func(s *Stat) lang.Value { return lang.MakeInt(int64(s.GID)) }),
	statField("stat:rdev", "(stat:rdev st): the device a device file stands for.", func(s *Stat) lang.Value { return u64(s.Rdev) }),
	statField("stat:blocks", "(stat:blocks st): the 512-byte blocks allocated.", func(s *Stat) lang.Value { return lang.MakeInt(s.Blocks) }),
	{Name: "stat?", MinArgs: 1, MaxArgs: 1, Doc: "(stat? obj): whether obj is a stat object.", Fn: func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		_, ok := args[0].(*Stat)
		return lang.MakeBool(ok), nil
	}},
}
