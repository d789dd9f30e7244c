package ufs

import (
	"bytes"
	"strings"
	"testing"
)

// TestValidateSuperblockRejects changes one field at a time of a good
// superblock and expects the check of validate_sblock
// (sys/ufs/ffs/ffs_subr.c) that guards it to fail.
func TestValidateSuperblockRejects(t *testing.T) {
	root := mixedTree(t)
	f, _ := build(t, root, nil, Options{MetaCheckHashes: false})
	good := make([]byte, sblockSize)
	_, err := f.ReadAt(good, sblockUFS2)
	must(t, err)
	if err := ValidateSuperblock(good); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		field string
		set   func(sb *superblock)
	}{
		{"fs_sblockloc", func(sb *superblock) { sb.Sblockloc = 8192 }},
		{"fs_maxsymlinklen", func(sb *superblock) { sb.Maxsymlinklen = 60 }},
		{"fs_nindir", func(sb *superblock) { sb.Nindir++ }},
		{"fs_inopb", func(sb *superblock) { sb.Inopb++ }},
		{"fs_bsize", func(sb *superblock) { sb.Bsize = 3000 }},
		{"fs_frag", func(sb *superblock) { sb.Frag = 16 }},
		{"fs_fsize", func(sb *superblock) { sb.Fsize = 256 }},
		{"fs_fpg", func(sb *superblock) { sb.Fpg = 8 }},
		{"fs_ncg", func(sb *superblock) { sb.Ncg = 0 }},
		{"fs_ipg", func(sb *superblock) { sb.Ipg = 1 }},
		{"cs_nifree", func(sb *superblock) { sb.Cstotal.Nifree = 1 << 40 }},
		{"cs_ndir", func(sb *superblock) { sb.Cstotal.Ndir = -1 }},
		{"fs_sbsize", func(sb *superblock) { sb.Sbsize = 100 }},
		{"fs_maxbsize", func(sb *superblock) { sb.Maxbsize = 1000 }},
		{"fs_bmask", func(sb *superblock) { sb.Bmask = 0 }},
		{"fs_qfmask", func(sb *superblock) { sb.Qfmask = 0 }},
		{"fs_bshift", func(sb *superblock) { sb.Bshift++ }},
		{"fs_fsbtodb", func(sb *superblock) { sb.Fsbtodb = 0 }},
		{"fs_old_cgoffset", func(sb *superblock) { sb.OldCgoffset = -1 }},
		{"fs_sblkno", func(sb *superblock) { sb.Sblkno += sb.Frag }},
		{"fs_cblkno", func(sb *superblock) { sb.Cblkno += sb.Frag }},
		{"fs_iblkno", func(sb *superblock) { sb.Iblkno += sb.Frag }},
		{"fs_dblkno", func(sb *superblock) { sb.Dblkno += sb.Frag }},
		{"fs_cgsize", func(sb *superblock) { sb.Cgsize = sb.Fsize + 1 }},
		{"fs_minfree", func(sb *superblock) { sb.Minfree = 100 }},
		{"fs_maxfilesize", func(sb *superblock) { sb.Maxfilesize-- }},
		{"fs_size", func(sb *superblock) { sb.Size = int64(sb.Ncg) * int64(sb.Fpg) * 2 }},
		{"fs_cssize", func(sb *superblock) { sb.Cssize *= 2 }},
		{"fs_csaddr", func(sb *superblock) { sb.Csaddr = 1 }},
		{"fs_maxcontig", func(sb *superblock) { sb.Maxcontig = 1000 }},
		{"fs_contigsumsize", func(sb *superblock) { sb.Contigsumsize = 3 }},
		{"fs_metaspace", func(sb *superblock) { sb.Metaspace = -1 }},
	} {
		var sb superblock
		unmarshal(good[:fsSize], &sb)
		c.set(&sb)
		raw := append(sb.bytes(), good[fsSize:]...)
		err := ValidateSuperblock(raw)
		if err == nil {
			t.Errorf("%s: changed, still valid", c.field)
		} else if !strings.Contains(err.Error(), c.field) && !strings.Contains(err.Error(), "CGSIZE") {
			t.Errorf("%s: rejected for another reason: %v", c.field, err)
		}
	}
}

// TestBackupSuperblocks checks every copy the way ffs_sbsearch reads an
// alternate superblock (UFS_ALTSBLK).
func TestBackupSuperblocks(t *testing.T) {
	root := mixedTree(t)
	f, res := build(t, root, nil, Options{Size: 3 << 30, MetaCheckHashes: true})
	fsys := checkClean(t, f)
	if res.CylGroups < 4 {
		t.Fatalf("%d cylinder groups", res.CylGroups)
	}
	for c := int64(0); c < int64(fsys.sb.Ncg); c++ {
		raw := make([]byte, sblockSize)
		_, err := f.ReadAt(raw, fsys.sb.cgsblock(c)*int64(fsys.sb.Fsize))
		must(t, err)
		if err := validateSuperblock(raw, true); err != nil {
			t.Errorf("copy in cg %d: %v", c, err)
		}
		// Fruix writes the copies last, so they equal the superblock but
		// for their own location and check hash.
		primary := make([]byte, fsys.sb.Sbsize)
		_, err = f.ReadAt(primary, sblockUFS2)
		must(t, err)
		cp := raw[:fsys.sb.Sbsize]
		for _, b := range [][]byte{cp, primary} {
			clear(b[992:1000])  // fs_sblockactualloc
			clear(b[1304:1308]) // fs_ckhash
		}
		if !bytes.Equal(cp, primary) {
			t.Errorf("copy in cg %d differs from the superblock", c)
		}
	}
}
