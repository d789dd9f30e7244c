package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"fruix.dev/fruix/freebsd/fat"
	"fruix.dev/fruix/freebsd/image"
	"fruix.dev/fruix/freebsd/mtree"
	"fruix.dev/fruix/freebsd/ufs"
)

// fileInfo is what `fruix image ls` shows of one file, from UFS or FAT.
type fileInfo struct {
	name         string
	mode         fs.FileMode
	nlink        int
	owner, group string
	size         int64
	mtime        time.Time
	target       string // of a symbolic link
	flags        uint32
}

// imageFS is a file system inside an image partition.
type imageFS interface {
	stat(p string) (fileInfo, error)
	list(dir string) ([]fileInfo, error)
	open(p string) (io.Reader, error)
	readlink(p string) (string, error)
}

// openImageFS opens FILE[:PARTITION] and the file system in it.
func openImageFS(target string) (imageFS, func(), error) {
	file, part := image.SplitTarget(target)
	d, err := image.Open(file)
	if err != nil {
		return nil, nil, err
	}
	p, err := d.Partition(part)
	if err != nil {
		d.Close()
		return nil, nil, err
	}
	closer := func() { d.Close() }
	switch p.Type {
	case "freebsd-ufs":
		u, err := ufs.Open(d.Section(p), p.Size())
		if err != nil {
			d.Close()
			return nil, nil, err
		}
		return newUFSView(u), closer, nil
	case "efi", "ms-basic-data":
		f, err := fat.Open(d.Section(p), p.Size())
		if err != nil {
			d.Close()
			return nil, nil, err
		}
		return fatView{f}, closer, nil
	}
	d.Close()
	return nil, nil, fmt.Errorf("partition %d (%s %s) holds no file system Fruix can read (UFS2 or FAT32)", p.Index, p.Type, p.Label)
}

// ufsView reads a UFS2 root, naming owners from the image's own
// etc/passwd and etc/group.
type ufsView struct {
	fs     *ufs.FS
	users  map[uint32]string
	groups map[uint32]string
}

func newUFSView(u *ufs.FS) *ufsView {
	v := &ufsView{fs: u, users: map[uint32]string{}, groups: map[uint32]string{}}
	v.readNames("/etc/passwd", v.users)
	v.readNames("/etc/group", v.groups)
	return v
}

// readNames reads name:x:id lines; an image without them shows numbers.
func (v *ufsView) readNames(p string, into map[uint32]string) {
	data, err := v.fs.ReadFile(p)
	if err != nil {
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Split(sc.Text(), ":")
		if len(f) < 3 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if id, err := strconv.ParseUint(f[2], 10, 32); err == nil {
			if _, dup := into[uint32(id)]; !dup {
				into[uint32(id)] = f[0]
			}
		}
	}
}

func (v *ufsView) name(names map[uint32]string, id uint32) string {
	if n, ok := names[id]; ok {
		return n
	}
	return strconv.FormatUint(uint64(id), 10)
}

func (v *ufsView) stat(p string) (fileInfo, error) {
	in, err := v.fs.Stat(p)
	if err != nil {
		return fileInfo{}, err
	}
	fi := fileInfo{
		name: path.Base("/" + p), mode: in.Mode, nlink: int(in.Nlink), size: in.Size, mtime: in.Mtime,
		owner: v.name(v.users, in.Uid), group: v.name(v.groups, in.Gid), flags: in.Flags,
	}
	if in.Mode&fs.ModeSymlink != 0 {
		fi.target, _ = v.fs.Readlink(p)
	}
	return fi, nil
}

func (v *ufsView) list(dir string) ([]fileInfo, error) {
	ents, err := v.fs.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := make([]fileInfo, 0, len(ents))
	for _, e := range ents {
		fi, err := v.stat(path.Join("/", dir, e.Name))
		if err != nil {
			return nil, err
		}
		out = append(out, fi)
	}
	return out, nil
}

func (v *ufsView) open(p string) (io.Reader, error)  { return v.fs.Open(p) }
func (v *ufsView) readlink(p string) (string, error) { return v.fs.Readlink(p) }

// fatView reads a FAT32 partition, shown as FreeBSD mounts one by default:
// owned by root:wheel, mode 0755.
type fatView struct{ fs *fat.FS }

func (v fatView) stat(p string) (fileInfo, error) {
	e, err := v.fs.Stat(p)
	return fatEntryInfo(e), err
}

func (v fatView) list(dir string) ([]fileInfo, error) {
	ents, err := v.fs.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := make([]fileInfo, len(ents))
	for i, e := range ents {
		out[i] = fatEntryInfo(e)
	}
	return out, nil
}

func (v fatView) open(p string) (io.Reader, error) {
	b, err := v.fs.ReadFile(p)
	return bytes.NewReader(b), err
}

func (v fatView) readlink(p string) (string, error) {
	return "", errors.New("FAT has no symbolic links")
}

func fatEntryInfo(e fat.Entry) fileInfo {
	fi := fileInfo{name: e.Name, mode: 0o755, nlink: 1, owner: "root", group: "wheel", size: e.Size, mtime: e.ModTime}
	if e.IsDir {
		fi.mode |= fs.ModeDir
	}
	return fi
}

// lsMode writes a mode the way ls -l does: type, then rwx triplets with
// s/S and t/T for setuid, setgid and sticky.
func lsMode(m fs.FileMode) string {
	b := []byte("----------")
	switch {
	case m&fs.ModeDir != 0:
		b[0] = 'd'
	case m&fs.ModeSymlink != 0:
		b[0] = 'l'
	case m&fs.ModeCharDevice != 0:
		b[0] = 'c'
	case m&fs.ModeDevice != 0:
		b[0] = 'b'
	case m&fs.ModeNamedPipe != 0:
		b[0] = 'p'
	case m&fs.ModeSocket != 0:
		b[0] = 's'
	}
	const rwx = "rwxrwxrwx"
	for i := 0; i < 9; i++ {
		if m&(1<<uint(8-i)) != 0 {
			b[1+i] = rwx[i]
		}
	}
	special := func(at int, set bool, lower, upper byte) {
		if !set {
			return
		}
		if b[at] == 'x' {
			b[at] = lower
		} else {
			b[at] = upper
		}
	}
	special(3, m&fs.ModeSetuid != 0, 's', 'S')
	special(6, m&fs.ModeSetgid != 0, 's', 'S')
	special(9, m&fs.ModeSticky != 0, 't', 'T')
	return string(b)
}

// printLong writes files as ls -lo does: numbers right-aligned, names
// of owners, groups and flags left-aligned.
func printLong(w io.Writer, files []fileInfo) {
	type row struct{ mode, nlink, owner, group, flags, size, date, name string }
	rows := make([]row, len(files))
	var width [6]int
	for i, f := range files {
		flags := "-"
		if f.flags != 0 {
			flags = mtree.FormatFlags(f.flags)
		}
		name := f.name
		if f.target != "" {
			name += " -> " + f.target
		}
		r := row{lsMode(f.mode), strconv.Itoa(f.nlink), f.owner, f.group, flags,
			strconv.FormatInt(f.size, 10), f.mtime.UTC().Format("Jan _2  2006"), name}
		rows[i] = r
		for k, cell := range []string{r.mode, r.nlink, r.owner, r.group, r.flags, r.size} {
			width[k] = max(width[k], len(cell))
		}
	}
	for _, r := range rows {
		fmt.Fprintf(w, "%-*s %*s %-*s %-*s %-*s %*s %s %s\n", width[0], r.mode, width[1], r.nlink,
			width[2], r.owner, width[3], r.group, width[4], r.flags, width[5], r.size, r.date, r.name)
	}
}

func runImageLs(args []string) int {
	if len(args) == 0 || len(args) > 2 || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprintln(os.Stderr, "usage: fruix image ls FILE[:PARTITION] [PATH]\n\nLists PATH (default /) inside the image like ls -l: mode, links, owner,\ngroup, file flags, size, time, name. PARTITION is an index or GPT label;\nthe default is the UFS root.")
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return 0
		}
		return 2
	}
	fsys, done, err := openImageFS(args[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "fruix image ls: %s\n", strings.TrimPrefix(err.Error(), "image: "))
		return 1
	}
	defer done()
	p := "/"
	if len(args) == 2 {
		p = args[1]
	}
	fi, err := fsys.stat(p)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fruix image ls: %s\n", pathError(p, err))
		return 1
	}
	files := []fileInfo{fi}
	if fi.mode.IsDir() {
		if files, err = fsys.list(p); err != nil {
			fmt.Fprintf(os.Stderr, "fruix image ls: %s\n", pathError(p, err))
			return 1
		}
	}
	printLong(os.Stdout, files)
	return 0
}

func runImageCat(args []string) int {
	if len(args) != 2 || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprintln(os.Stderr, "usage: fruix image cat FILE[:PARTITION] PATH\n\nWrites the file at PATH inside the image to standard output, following\nsymbolic links inside the image.")
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return 0
		}
		return 2
	}
	fsys, done, err := openImageFS(args[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "fruix image cat: %s\n", strings.TrimPrefix(err.Error(), "image: "))
		return 1
	}
	defer done()
	p, err := resolveInImage(fsys, args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "fruix image cat: %s\n", pathError(args[1], err))
		return 1
	}
	r, err := fsys.open(p)
	if err == nil {
		_, err = io.Copy(os.Stdout, r)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "fruix image cat: %s\n", pathError(args[1], err))
		return 1
	}
	return 0
}

// resolveInImage follows symbolic links in p, taking absolute targets as
// relative to the image's root (as they are when the system runs).
func resolveInImage(fsys imageFS, p string) (string, error) {
	p = path.Join("/", p)
	for hops := 0; hops < 40; hops++ {
		// Resolve the first component that is a link, then start over.
		parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
		changed := false
		for i := range parts {
			prefix := "/" + strings.Join(parts[:i+1], "/")
			fi, err := fsys.stat(prefix)
			if err != nil {
				return "", err
			}
			if fi.mode&fs.ModeSymlink == 0 {
				continue
			}
			target, err := fsys.readlink(prefix)
			if err != nil {
				return "", err
			}
			if !path.IsAbs(target) {
				target = path.Join(path.Dir(prefix), target)
			}
			p = path.Join(append([]string{"/", target}, parts[i+1:]...)...)
			changed = true
			break
		}
		if !changed {
			return p, nil
		}
	}
	return "", errors.New("too many levels of symbolic links")
}

// plainError drops the package prefixes of errors shown to users.
func plainError(err error) string {
	s := err.Error()
	for _, pfx := range []string{"ufs: ", "fat: "} {
		s = strings.TrimPrefix(s, pfx)
	}
	return s
}

// pathError says what went wrong with p inside an image, naming p once.
func pathError(p string, err error) string {
	s := plainError(err)
	if strings.HasPrefix(s, p+": ") || strings.HasPrefix(s, "/"+strings.TrimPrefix(p, "/")+": ") {
		return s
	}
	return p + ": " + s
}
