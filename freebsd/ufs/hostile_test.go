package ufs

import (
	"bytes"
	"math/rand"
	"os"
	"testing"
)

// TestHostileImages damages a good image at random places, many times,
// and reads and checks each result: errors and problems are expected,
// panics and runaway allocations are not.
func TestHostileImages(t *testing.T) {
	root := mixedTree(t)
	f, _ := build(t, root, nil, Options{Size: 8 << 20, MetaCheckHashes: true})
	good, err := os.ReadFile(f.Name())
	must(t, err)
	fsys := checkClean(t, f)
	// Aim most damage at metadata: superblock, cylinder group, inodes,
	// directories.
	hot := []int64{sblockUFS2, fsys.sb.cgtod(0) * int64(fsys.sb.Fsize), fsys.sb.cgimin(0) * int64(fsys.sb.Fsize)}
	in, _ := fsys.Stat("/etc")
	d, _ := fsys.inode(in.Ino)
	hot = append(hot, d.DB[0]*int64(fsys.sb.Fsize))
	rng := rand.New(rand.NewSource(7))
	runs := 80
	if stress() {
		runs = 3000
	}
	for i := 0; i < runs; i++ {
		img := bytes.Clone(good)
		for k := 0; k < 1+rng.Intn(8); k++ {
			base := hot[rng.Intn(len(hot))]
			off := base + rng.Int63n(4096)
			switch rng.Intn(3) {
			case 0:
				img[off] ^= byte(1 << rng.Intn(8))
			case 1:
				img[off] = 0xff
			default:
				for j := 0; j < 8 && off+int64(j) < int64(len(img)); j++ {
					img[off+int64(j)] = byte(rng.Intn(256))
				}
			}
		}
		r := bytes.NewReader(img)
		Check(r, int64(len(img)))
		if fs2, err := Open(r, int64(len(img))); err == nil {
			for _, p := range []string{"/", "/etc", "/usr/share", "/lib"} {
				ents, err := fs2.ReadDir(p)
				if err != nil {
					continue
				}
				for _, e := range ents {
					full := p + "/" + e.Name
					fs2.Stat(full)
					fs2.ReadFile(full)
					fs2.Readlink(full)
				}
			}
		}
	}
}
