package ufs

import (
	"encoding/binary"
	"os"
	"strings"
	"testing"
)

// corrupt builds the mixed tree, applies damage to the image and returns
// what Check reports.
func corrupt(t *testing.T, opt Options, damage func(f *os.File, fsys *FS)) []Problem {
	t.Helper()
	root := mixedTree(t)
	f, _ := build(t, root, nil, opt)
	fsys := checkClean(t, f)
	damage(f, fsys)
	return Check(f, fileSize(t, f))
}

func patch(t *testing.T, f *os.File, off int64, b []byte) {
	t.Helper()
	_, err := f.WriteAt(b, off)
	must(t, err)
}

func u32(v uint32) []byte { b := make([]byte, 4); binary.LittleEndian.PutUint32(b, v); return b }
func u64(v uint64) []byte { b := make([]byte, 8); binary.LittleEndian.PutUint64(b, v); return b }

func wantProblem(t *testing.T, probs []Problem, substr string) {
	t.Helper()
	for _, p := range probs {
		if strings.Contains(p.String(), substr) {
			return
		}
	}
	t.Errorf("no problem mentioning %q in %v", substr, probs)
}

// TestCheckFindsDamage proves the checker is not blind: each kind of
// damage fsck_ffs would report is reported.
func TestCheckFindsDamage(t *testing.T) {
	inodeOff := func(fsys *FS, p string) int64 {
		in, err := fsys.Stat(p)
		must(t, err)
		return fsys.sb.inoOffset(int64(in.Ino))
	}
	cases := []struct {
		name   string
		opt    Options
		damage func(t *testing.T, f *os.File, fsys *FS)
		want   string
	}{
		{"link count", Options{}, func(t *testing.T, f *os.File, fsys *FS) {
			patch(t, f, inodeOff(fsys, "/etc/rc.conf")+2, []byte{3, 0})
		}, "link count 3"},
		{"block count", Options{}, func(t *testing.T, f *os.File, fsys *FS) {
			patch(t, f, inodeOff(fsys, "/usr/share/big")+24, u64(8))
		}, "di_blocks 8"},
		{"duplicate block", Options{}, func(t *testing.T, f *os.File, fsys *FS) {
			src := inodeOff(fsys, "/usr/share/big")
			b := make([]byte, 8)
			f.ReadAt(b, src+112)
			patch(t, f, inodeOff(fsys, "/usr/share/tail")+112, b)
		}, "referenced twice"},
		{"block in metadata", Options{}, func(t *testing.T, f *os.File, fsys *FS) {
			patch(t, f, inodeOff(fsys, "/usr/share/tail")+112, u64(uint64(fsys.sb.Iblkno)))
		}, "metadata"},
		{"free map", Options{}, func(t *testing.T, f *os.File, fsys *FS) {
			cg := fsys.sb.cgtod(0) * int64(fsys.sb.Fsize)
			var h cgHeader
			raw := make([]byte, cgHeaderSize)
			f.ReadAt(raw, cg)
			unmarshal(raw, &h)
			// Mark the first data fragment (the summary area) free.
			off := cg + int64(h.Freeoff) + int64(fsys.sb.Dblkno)/8
			b := make([]byte, 1)
			f.ReadAt(b, off)
			b[0] |= 1 << (uint(fsys.sb.Dblkno) % 8)
			patch(t, f, off, b)
		}, "map says otherwise"},
		{"superblock totals", Options{}, func(t *testing.T, f *os.File, fsys *FS) {
			patch(t, f, sblockUFS2+1008+8, u64(uint64(fsys.sb.Cstotal.Nbfree+1)))
		}, "fs_cstotal"},
		{"cg summary", Options{}, func(t *testing.T, f *os.File, fsys *FS) {
			patch(t, f, fsys.sb.cgtod(0)*int64(fsys.sb.Fsize)+24, u32(99))
		}, "summary"},
		{"dot dot", Options{}, func(t *testing.T, f *os.File, fsys *FS) {
			in, _ := fsys.Stat("/etc")
			d, _ := fsys.inode(in.Ino)
			// ".." is the second entry, at byte 12 of the directory.
			patch(t, f, d.DB[0]*int64(fsys.sb.Fsize)+12, u32(uint32(in.Ino)))
		}, `want ".."`},
		{"cg check hash", Options{MetaCheckHashes: true}, func(t *testing.T, f *os.File, fsys *FS) {
			patch(t, f, fsys.sb.cgtod(0)*int64(fsys.sb.Fsize)+40, u32(7)) // cg_rotor
		}, "check hash"},
		{"inode check hash", Options{MetaCheckHashes: true}, func(t *testing.T, f *os.File, fsys *FS) {
			patch(t, f, inodeOff(fsys, "/bin/sh")+80, u32(7)) // di_gen
		}, "check hash"},
		{"superblock check hash", Options{MetaCheckHashes: true}, func(t *testing.T, f *os.File, fsys *FS) {
			patch(t, f, sblockUFS2+680, []byte("x")) // fs_volname
		}, "check-hash"},
		{"superblock copy", Options{}, func(t *testing.T, f *os.File, fsys *FS) {
			patch(t, f, fsys.sb.cgsblock(0)*int64(fsys.sb.Fsize)+184, u32(fsys.sb.Ipg+fsys.sb.Inopb)) // fs_ipg
		}, "superblock copy"},
		{"recovery record", Options{}, func(t *testing.T, f *os.File, fsys *FS) {
			patch(t, f, sblockUFS2-20+12, u32(7)) // fsr_fpg
		}, "fsr_fpg 7"},
		{"inode map", Options{}, func(t *testing.T, f *os.File, fsys *FS) {
			// Inode 5 lives in cylinder group 0; clear its bit.
			off := fsys.sb.cgtod(0)*int64(fsys.sb.Fsize) + cgHeaderSize
			b := make([]byte, 1)
			f.ReadAt(b, off)
			b[0] &^= 1 << 5
			patch(t, f, off, b)
		}, "allocated but marked free"},
		{"unreferenced inode", Options{}, func(t *testing.T, f *os.File, fsys *FS) {
			in, _ := fsys.Stat("/etc")
			d, _ := fsys.inode(in.Ino)
			// Turn the "empty" entry (third) into a deleted one by merging
			// it into "..".
			b := make([]byte, 2)
			f.ReadAt(b, d.DB[0]*int64(fsys.sb.Fsize)+12+4)
			patch(t, f, d.DB[0]*int64(fsys.sb.Fsize)+12+4, []byte{byte(12 + 16), 0})
		}, "not in any directory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			probs := corrupt(t, c.opt, func(f *os.File, fsys *FS) { c.damage(t, f, fsys) })
			wantProblem(t, probs, c.want)
		})
	}
}

// Problems found on an inode name its path when the tree walk reached it.
func TestCheckNamesPaths(t *testing.T) {
	probs := corrupt(t, Options{}, func(f *os.File, fsys *FS) {
		in, err := fsys.Stat("/usr/share/big")
		must(t, err)
		patch(t, f, fsys.sb.inoOffset(int64(in.Ino))+24, u64(8))
	})
	wantProblem(t, probs, "(/usr/share/big): di_blocks 8")
}
