package ufs

import (
	"encoding/binary"
	"testing"
	"unsafe"
)

// The sizes and offsets below are those of sys/ufs/ffs/fs.h and
// sys/ufs/ufs/dinode.h (CTASSERT(sizeof(struct fs) == 1376), the offsets in
// dinode.h's comments, fs_magic at 0x55c, fs_volname at 0x2a8).
func TestLayoutSizes(t *testing.T) {
	if n := binary.Size(superblock{}); n != 1376 {
		t.Errorf("superblock is %d bytes, want 1376", n)
	}
	if n := binary.Size(cgHeader{}); n != 168 {
		t.Errorf("cg header is %d bytes, want 168", n)
	}
	if n := binary.Size(dinode{}); n != 256 {
		t.Errorf("dinode is %d bytes, want 256", n)
	}
	var sb superblock
	base := uintptr(unsafe.Pointer(&sb))
	offsets := map[string][2]uintptr{
		"fs_magic":       {uintptr(unsafe.Pointer(&sb.Magic)) - base, 0x55c},
		"fs_volname":     {uintptr(unsafe.Pointer(&sb.Volname)) - base, 0x2a8},
		"fs_id":          {uintptr(unsafe.Pointer(&sb.ID)) - base, 144},
		"fs_sblockloc":   {uintptr(unsafe.Pointer(&sb.Sblockloc)) - base, 1000},
		"fs_cstotal":     {uintptr(unsafe.Pointer(&sb.Cstotal)) - base, 1008},
		"fs_ckhash":      {uintptr(unsafe.Pointer(&sb.Ckhash)) - base, 1304},
		"fs_maxfilesize": {uintptr(unsafe.Pointer(&sb.Maxfilesize)) - base, 1328},
	}
	for name, o := range offsets {
		if o[0] != o[1] {
			t.Errorf("%s at %d, want %d", name, o[0], o[1])
		}
	}
	var d dinode
	db := uintptr(unsafe.Pointer(&d))
	for name, o := range map[string][2]uintptr{
		"di_db":     {uintptr(unsafe.Pointer(&d.DB)) - db, 112},
		"di_ib":     {uintptr(unsafe.Pointer(&d.IB)) - db, 208},
		"di_modrev": {uintptr(unsafe.Pointer(&d.Modrev)) - db, 232},
		"di_ckhash": {uintptr(unsafe.Pointer(&d.Ckhash)) - db, 244},
		"di_flags":  {uintptr(unsafe.Pointer(&d.Flags)) - db, 88},
	} {
		if o[0] != o[1] {
			t.Errorf("%s at %d, want %d", name, o[0], o[1])
		}
	}
	var cg cgHeader
	cb := uintptr(unsafe.Pointer(&cg))
	if o := uintptr(unsafe.Pointer(&cg.Ckhash)) - cb; o != 132 {
		t.Errorf("cg_ckhash at %d, want 132", o)
	}
	if o := uintptr(unsafe.Pointer(&cg.Time)) - cb; o != 136 {
		t.Errorf("cg_time at %d, want 136", o)
	}
}
