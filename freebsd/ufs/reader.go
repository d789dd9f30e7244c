package ufs

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"time"
)

// FS is a UFS2 file system opened for reading.
type FS struct {
	r    io.ReaderAt
	size int64
	sb   superblock
}

// Open reads the superblock of the UFS2 file system in r (size bytes) and
// checks it as FreeBSD does before mounting.
func Open(r io.ReaderAt, size int64) (*FS, error) {
	raw := make([]byte, sblockSize)
	if _, err := r.ReadAt(raw, sblockUFS2); err != nil {
		return nil, fmt.Errorf("ufs: reading the superblock: %w", err)
	}
	f := &FS{r: r, size: size}
	unmarshal(raw[:fsSize], &f.sb)
	if f.sb.Magic != fsUFS2Magic {
		return nil, magicError(f.sb.Magic)
	}
	if err := ValidateSuperblock(raw); err != nil {
		return nil, err
	}
	if end := f.sb.Size * int64(f.sb.Fsize); size > 0 && end > size {
		return nil, fmt.Errorf("ufs: the file system is %d bytes but only %d are given", end, size)
	}
	return f, nil
}

// BlockSize, FragSize and Label describe the file system.
func (f *FS) BlockSize() int { return int(f.sb.Bsize) }
func (f *FS) FragSize() int  { return int(f.sb.Fsize) }
func (f *FS) Label() string  { return cString(f.sb.Volname[:]) }

func cString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// inode reads inode ino.
func (f *FS) inode(ino uint32) (*dinode, error) {
	if ino < rootIno || uint64(ino) >= uint64(f.sb.Ipg)*uint64(f.sb.Ncg) {
		return nil, fmt.Errorf("ufs: inode %d out of range", ino)
	}
	raw := make([]byte, dinodeSize)
	if _, err := f.r.ReadAt(raw, f.sb.inoOffset(int64(ino))); err != nil {
		return nil, fmt.Errorf("ufs: reading inode %d: %w", ino, err)
	}
	d := &dinode{}
	unmarshal(raw, d)
	return d, nil
}

func toInode(ino uint32, d *dinode) *Inode {
	in := &Inode{
		Ino: ino, Uid: d.Uid, Gid: d.Gid, Flags: d.Flags, Size: int64(d.Size),
		Nlink: d.Nlink, Blocks: int64(d.Blocks), Gen: d.Gen,
		Atime: time.Unix(d.Atime, int64(d.Atimensec)).UTC(),
		Mtime: time.Unix(d.Mtime, int64(d.Mtimensec)).UTC(),
		Ctime: time.Unix(d.Ctime, int64(d.Ctimensec)).UTC(),
		Btime: time.Unix(d.Birthtime, int64(d.Birthnsec)).UTC(),
	}
	m := fs.FileMode(d.Mode & 0777)
	if d.Mode&04000 != 0 {
		m |= fs.ModeSetuid
	}
	if d.Mode&02000 != 0 {
		m |= fs.ModeSetgid
	}
	if d.Mode&01000 != 0 {
		m |= fs.ModeSticky
	}
	switch d.Mode & ifmt {
	case ifdir:
		m |= fs.ModeDir
	case iflnk:
		m |= fs.ModeSymlink
	case ififo:
		m |= fs.ModeNamedPipe
	case ifsock:
		m |= fs.ModeSocket
	case ifchr:
		m |= fs.ModeDevice | fs.ModeCharDevice
		in.Rdev = uint64(d.DB[0])
	case ifblk:
		m |= fs.ModeDevice
		in.Rdev = uint64(d.DB[0])
	}
	in.Mode = m
	return in
}

// lookup resolves a path to an inode number, not following symbolic links.
func (f *FS) lookup(p string) (uint32, *dinode, error) {
	ino := uint32(rootIno)
	d, err := f.inode(ino)
	if err != nil {
		return 0, nil, err
	}
	for _, name := range strings.Split(strings.Trim(p, "/"), "/") {
		if name == "" || name == "." {
			continue
		}
		if d.Mode&ifmt != ifdir {
			return 0, nil, fmt.Errorf("ufs: %s: %w (a component is not a directory)", p, fs.ErrNotExist)
		}
		ents, err := f.dirEntries(d)
		if err != nil {
			return 0, nil, fmt.Errorf("ufs: %s: %w", p, err)
		}
		found := false
		for _, e := range ents {
			if e.Name == name {
				ino, found = e.Ino, true
				break
			}
		}
		if !found {
			return 0, nil, fmt.Errorf("ufs: %s: %w", p, fs.ErrNotExist)
		}
		if d, err = f.inode(ino); err != nil {
			return 0, nil, err
		}
	}
	return ino, d, nil
}

// Stat returns the inode at path ("/" or "" is the root). Symbolic links
// are not followed.
func (f *FS) Stat(path string) (*Inode, error) {
	ino, d, err := f.lookup(path)
	if err != nil {
		return nil, err
	}
	return toInode(ino, d), nil
}

// ReadDir lists a directory, "." and ".." left out, sorted by name.
func (f *FS) ReadDir(path string) ([]DirEntry, error) {
	_, d, err := f.lookup(path)
	if err != nil {
		return nil, err
	}
	if d.Mode&ifmt != ifdir {
		return nil, fmt.Errorf("ufs: %s: not a directory", path)
	}
	ents, err := f.dirEntries(d)
	if err != nil {
		return nil, fmt.Errorf("ufs: %s: %w", path, err)
	}
	out := ents[:0]
	for _, e := range ents {
		if e.Name != "." && e.Name != ".." {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// maxDirSize bounds the directories the reader loads (FreeBSD's own
// limit, MAXDIRSIZE of ufs/ufs/dir.h, is 2 GiB; no real directory nears
// this one).
const maxDirSize = 256 << 20

// maxReadFile bounds what ReadFile loads into memory; Open streams.
const maxReadFile = 1 << 30

// dirEntries parses all entries of a directory inode, "." and ".." too.
func (f *FS) dirEntries(d *dinode) ([]DirEntry, error) {
	if d.Size > maxDirSize {
		return nil, fmt.Errorf("directory of %d bytes is larger than any real one", d.Size)
	}
	var data bytes.Buffer
	if err := f.copyData(&data, d); err != nil {
		return nil, err
	}
	b := data.Bytes()
	var out []DirEntry
	for chunk := 0; chunk+dirBlkSize <= len(b); chunk += dirBlkSize {
		for off := 0; off < dirBlkSize; {
			if dirBlkSize-off < 8 {
				return nil, fmt.Errorf("corrupt directory entry at byte %d", chunk+off)
			}
			e := b[chunk+off:]
			reclen := int(binary.LittleEndian.Uint16(e[4:]))
			namlen := int(e[7])
			if reclen < 8 || off+reclen > dirBlkSize || 8+namlen > reclen {
				return nil, fmt.Errorf("corrupt directory entry at byte %d", chunk+off)
			}
			if ino := binary.LittleEndian.Uint32(e); ino != 0 {
				out = append(out, DirEntry{Name: string(e[8 : 8+namlen]), Ino: ino, Type: e[6]})
			}
			off += reclen
		}
	}
	return out, nil
}

// ReadFile returns the contents of a regular file.
func (f *FS) ReadFile(path string) ([]byte, error) {
	_, d, err := f.lookup(path)
	if err != nil {
		return nil, err
	}
	if d.Mode&ifmt != ifreg {
		return nil, fmt.Errorf("ufs: %s: not a regular file", path)
	}
	if d.Size > maxReadFile {
		return nil, fmt.Errorf("ufs: %s: %d bytes is too much to read into memory; use Open to stream it", path, d.Size)
	}
	var buf bytes.Buffer
	buf.Grow(int(min(d.Size, 64<<20)))
	if err := f.copyData(&buf, d); err != nil {
		return nil, fmt.Errorf("ufs: %s: %w", path, err)
	}
	return buf.Bytes(), nil
}

// Open returns a reader of a regular file's contents, streaming block by
// block; holes read as zeros.
func (f *FS) Open(path string) (io.Reader, error) {
	_, d, err := f.lookup(path)
	if err != nil {
		return nil, err
	}
	if d.Mode&ifmt != ifreg {
		return nil, fmt.Errorf("ufs: %s: not a regular file", path)
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(f.copyData(pw, d)) }()
	return pr, nil
}

// Readlink returns a symbolic link's target.
func (f *FS) Readlink(path string) (string, error) {
	_, d, err := f.lookup(path)
	if err != nil {
		return "", err
	}
	if d.Mode&ifmt != iflnk {
		return "", fmt.Errorf("ufs: %s: not a symbolic link", path)
	}
	if d.Size < uint64(f.sb.Maxsymlinklen) && d.Blocks == 0 {
		var short [maxSymlink]byte
		for i, p := range d.DB {
			binary.LittleEndian.PutUint64(short[8*i:], uint64(p))
		}
		for i, p := range d.IB {
			binary.LittleEndian.PutUint64(short[8*(nDAddr+i):], uint64(p))
		}
		return string(short[:d.Size]), nil
	}
	if d.Size > 4096 {
		return "", fmt.Errorf("ufs: %s: link target of %d bytes, longer than PATH_MAX", path, d.Size)
	}
	var buf bytes.Buffer
	if err := f.copyData(&buf, d); err != nil {
		return "", fmt.Errorf("ufs: %s: %w", path, err)
	}
	return buf.String(), nil
}

// copyData writes an inode's bytes to w, block by block.
func (f *FS) copyData(w io.Writer, d *dinode) error {
	bsize := int64(f.sb.Bsize)
	size := int64(d.Size)
	buf := make([]byte, bsize)
	cache := map[int64][]int64{}
	for off := int64(0); off < size; off += bsize {
		lbn := off / bsize
		n := min(bsize, size-off)
		addr, err := f.bmap(d, lbn, cache)
		if err != nil {
			return err
		}
		if addr == 0 {
			clear(buf[:n])
		} else if _, err := f.r.ReadAt(buf[:n], addr*int64(f.sb.Fsize)); err != nil {
			return fmt.Errorf("reading block %d: %w", addr, err)
		}
		if _, err := w.Write(buf[:n]); err != nil {
			return err
		}
	}
	return nil
}

var errBadBlock = errors.New("block address outside the file system")

// bmap maps a logical block to its fragment address (0: a hole).
func (f *FS) bmap(d *dinode, lbn int64, cache map[int64][]int64) (int64, error) {
	if lbn < nDAddr {
		return d.DB[lbn], nil
	}
	nindir := int64(f.sb.Nindir)
	_, slots, top := indirectsFor(lbn, nindir)
	if top < 0 {
		return 0, fmt.Errorf("logical block %d beyond triple indirection", lbn)
	}
	addr := d.IB[top]
	for _, s := range slots {
		if addr == 0 {
			return 0, nil
		}
		ptrs, err := f.indirect(addr, cache)
		if err != nil {
			return 0, err
		}
		addr = ptrs[s]
	}
	return addr, nil
}

func (f *FS) indirect(addr int64, cache map[int64][]int64) ([]int64, error) {
	if p, ok := cache[addr]; ok {
		return p, nil
	}
	if addr < 0 || addr >= f.sb.Size {
		return nil, errBadBlock
	}
	raw := make([]byte, f.sb.Bsize)
	if _, err := f.r.ReadAt(raw, addr*int64(f.sb.Fsize)); err != nil {
		return nil, fmt.Errorf("reading indirect block %d: %w", addr, err)
	}
	p := make([]int64, f.sb.Nindir)
	for i := range p {
		p[i] = int64(binary.LittleEndian.Uint64(raw[8*i:]))
	}
	if len(cache) > 64 {
		clear(cache)
	}
	cache[addr] = p
	return p, nil
}
