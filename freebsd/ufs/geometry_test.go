package ufs

import "testing"

// TestGeometryMatchesNewfs compares the layout Fruix chooses with the one
// FreeBSD's newfs chose, with its defaults (32 KiB blocks, 4 KiB
// fragments), for the same sizes. The figures were read from the
// superblocks of images made on FreeBSD (the resources/ufs-little.img
// images in the history of github.com/realchonk/fuse-ufs).
func TestGeometryMatchesNewfs(t *testing.T) {
	for _, c := range []struct {
		size                               int64
		ncg, fpg, ipg, dblkno, cgsz, dsize int64
	}{
		{2 << 20, 2, 256, 128, 48, 4096, 439},
		{4 << 20, 4, 264, 256, 56, 4096, 871},
		{16 << 20, 4, 1032, 640, 80, 4096, 3847},
		{64 << 20, 4, 4104, 2176, 176, 4096, 15751},
	} {
		o := Options{}
		must(t, normalize(&o))
		g, err := newGeometry(c.size, &o)
		must(t, err)
		got := [6]int64{g.ncg, g.fpg, g.ipg, g.dblkno, g.cgsize, g.dataFrags()}
		want := [6]int64{c.ncg, c.fpg, c.ipg, c.dblkno, c.cgsz, c.dsize}
		if got != want {
			t.Errorf("%d MiB: ncg, fpg, ipg, dblkno, cgsize, dsize = %v, newfs gave %v", c.size>>20, got, want)
		}
	}
}
