package stdlib

import "syscall"

// fillSysStat copies what only the system's stat structure has.
func fillSysStat(s *Stat, sys any) {
	st, ok := sys.(*syscall.Stat_t)
	if !ok {
		return
	}
	s.Dev, s.Ino, s.Nlink, s.Rdev = uint64(st.Dev), uint64(st.Ino), uint64(st.Nlink), uint64(st.Rdev)
	s.Mode, s.UID, s.GID, s.Blocks = st.Mode, st.Uid, st.Gid, st.Blocks
	s.Atime, s.AtimeNsec = st.Atim.Sec, st.Atim.Nsec
	s.Mtime, s.MtimeNsec = st.Mtim.Sec, st.Mtim.Nsec
	s.Ctime, s.CtimeNsec = st.Ctim.Sec, st.Ctim.Nsec
}
