package image

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// qcow2 is QEMU's copy-on-write disk format; Fruix writes version 3 with
// 64 KiB clusters, no compression, no backing file and no snapshots,
// following the specification in QEMU's docs/interop/qcow2.txt.
const (
	qcowMagic        = 0x514649FB // "QFI\xfb"
	qcowClusterBits  = 16
	qcowClusterSize  = 1 << qcowClusterBits
	qcowHeaderLength = 104
	qcowRefcountBits = 16 // refcount_order 4
	qcowCopied       = 1 << 63
	qcowCompressed   = 1 << 62
	qcowZeroFlag     = 1
	qcowOffsetMask   = 0x00FFFFFFFFFFFE00
	l2Entries        = qcowClusterSize / 8
	refsPerBlock     = qcowClusterSize * 8 / qcowRefcountBits
)

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }

// writeQcow2 converts the raw image in src (size bytes) into a qcow2 file
// dst. Clusters of zeros are left out. The layout is fixed by the content:
// header, L1 table, the data clusters in guest order, the L2 tables, then
// the refcount table and blocks, so equal raw images give equal qcow2
// files.
func writeQcow2(ctx context.Context, dst *os.File, src *os.File, size int64, progress func(done, total int64)) error {
	guestClusters := ceilDiv(size, qcowClusterSize)
	l1Size := ceilDiv(guestClusters, l2Entries)
	l1Clusters := max(ceilDiv(l1Size*8, qcowClusterSize), 1)
	l1Offset := int64(qcowClusterSize)

	// Data clusters follow the L1 table in the order they are found.
	next := (1 + l1Clusters) * qcowClusterSize
	l2 := map[int64][]uint64{} // L1 index → its L2 table
	err := eachBlock(src, 0, 0, size, qcowClusterSize, func(at int64, block []byte) error {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("image: build stopped: %w", err)
		}
		data := block
		if len(block) < qcowClusterSize {
			data = make([]byte, qcowClusterSize)
			copy(data, block)
		}
		if _, err := dst.WriteAt(data, next); err != nil {
			return fmt.Errorf("image: writing qcow2: %w", err)
		}
		g := at / qcowClusterSize
		t := l2[g/l2Entries]
		if t == nil {
			t = make([]uint64, l2Entries)
			l2[g/l2Entries] = t
		}
		t[g%l2Entries] = uint64(next) | qcowCopied
		next += qcowClusterSize
		if progress != nil {
			progress(at+int64(len(block)), size)
		}
		return nil
	})
	if err != nil {
		return err
	}

	l1 := make([]byte, l1Clusters*qcowClusterSize)
	for i := int64(0); i < l1Size; i++ {
		t := l2[i]
		if t == nil {
			continue
		}
		buf := make([]byte, qcowClusterSize)
		for j, e := range t {
			binary.BigEndian.PutUint64(buf[8*j:], e)
		}
		if _, err := dst.WriteAt(buf, next); err != nil {
			return fmt.Errorf("image: writing qcow2: %w", err)
		}
		binary.BigEndian.PutUint64(l1[8*i:], uint64(next)|qcowCopied)
		next += qcowClusterSize
	}
	if _, err := dst.WriteAt(l1, l1Offset); err != nil {
		return fmt.Errorf("image: writing qcow2: %w", err)
	}

	// The refcount structures count themselves: find the fixed point.
	used := next / qcowClusterSize
	var blocks, tableClusters int64
	for {
		total := used + blocks + tableClusters
		b := ceilDiv(total, refsPerBlock)
		tc := ceilDiv(b*8, qcowClusterSize)
		if b == blocks && tc == tableClusters {
			break
		}
		blocks, tableClusters = b, tc
	}
	tableOffset := next
	total := used + tableClusters + blocks
	table := make([]byte, tableClusters*qcowClusterSize)
	for i := int64(0); i < blocks; i++ {
		blockOffset := tableOffset + (tableClusters+i)*qcowClusterSize
		binary.BigEndian.PutUint64(table[8*i:], uint64(blockOffset))
		block := make([]byte, qcowClusterSize)
		for j := int64(0); j < refsPerBlock; j++ {
			if i*refsPerBlock+j < total {
				binary.BigEndian.PutUint16(block[2*j:], 1)
			}
		}
		if _, err := dst.WriteAt(block, blockOffset); err != nil {
			return fmt.Errorf("image: writing qcow2: %w", err)
		}
	}
	if _, err := dst.WriteAt(table, tableOffset); err != nil {
		return fmt.Errorf("image: writing qcow2: %w", err)
	}

	h := make([]byte, qcowClusterSize)
	be := binary.BigEndian
	be.PutUint32(h[0:], qcowMagic)
	be.PutUint32(h[4:], 3)
	be.PutUint32(h[20:], qcowClusterBits)
	be.PutUint64(h[24:], uint64(size))
	be.PutUint32(h[36:], uint32(l1Size))
	be.PutUint64(h[40:], uint64(l1Offset))
	be.PutUint64(h[48:], uint64(tableOffset))
	be.PutUint32(h[56:], uint32(tableClusters))
	be.PutUint32(h[96:], 4) // refcount_order: 16-bit refcounts
	be.PutUint32(h[100:], qcowHeaderLength)
	// Bytes 104..111 stay zero: the end-of-extensions marker.
	if _, err := dst.WriteAt(h, 0); err != nil {
		return fmt.Errorf("image: writing qcow2: %w", err)
	}
	return dst.Truncate(total * qcowClusterSize)
}

// qcow2Reader reads the guest disk of a qcow2 file.
type qcow2Reader struct {
	f          io.ReaderAt
	size       int64
	clusterSz  int64
	l1         []uint64
	l2Cache    map[uint64][]uint64
	l2PerTable int64
}

// isQcow2 says whether the file starts with qcow2's magic number.
func isQcow2(r io.ReaderAt) bool {
	var m [4]byte
	_, err := r.ReadAt(m[:], 0)
	return err == nil && binary.BigEndian.Uint32(m[:]) == qcowMagic
}

// openQcow2 reads a qcow2 header and L1 table.
func openQcow2(f io.ReaderAt) (*qcow2Reader, error) {
	h := make([]byte, qcowHeaderLength)
	if _, err := f.ReadAt(h, 0); err != nil {
		return nil, fmt.Errorf("qcow2: reading the header: %w", err)
	}
	be := binary.BigEndian
	version := be.Uint32(h[4:])
	bits := be.Uint32(h[20:])
	switch {
	case be.Uint32(h[0:]) != qcowMagic:
		return nil, fmt.Errorf("qcow2: not a qcow2 file")
	case version != 2 && version != 3:
		return nil, fmt.Errorf("qcow2: version %d is not supported (2 and 3 are)", version)
	case be.Uint64(h[8:]) != 0:
		return nil, fmt.Errorf("qcow2: images with a backing file are not supported")
	case be.Uint32(h[32:]) != 0:
		return nil, fmt.Errorf("qcow2: encrypted images are not supported")
	case bits < 9 || bits > 21:
		return nil, fmt.Errorf("qcow2: cluster_bits %d is out of range", bits)
	case version == 3 && be.Uint64(h[72:]) != 0:
		return nil, fmt.Errorf("qcow2: incompatible features %#x are not supported", be.Uint64(h[72:]))
	}
	r := &qcow2Reader{f: f, size: int64(be.Uint64(h[24:])), clusterSz: 1 << bits, l2Cache: map[uint64][]uint64{}}
	r.l2PerTable = r.clusterSz / 8
	l1Size := int64(be.Uint32(h[36:]))
	if r.size < 0 || r.size > 1<<56 || l1Size > 1<<25 {
		return nil, fmt.Errorf("qcow2: a disk of %d bytes with %d L1 entries is beyond what Fruix reads", r.size, l1Size)
	}
	if l1Size < ceilDiv(ceilDiv(r.size, r.clusterSz), r.l2PerTable) {
		return nil, fmt.Errorf("qcow2: the L1 table (%d entries) does not cover the %d-byte disk", l1Size, r.size)
	}
	raw := make([]byte, 8*l1Size)
	if _, err := f.ReadAt(raw, int64(be.Uint64(h[40:]))); err != nil {
		return nil, fmt.Errorf("qcow2: reading the L1 table: %w", err)
	}
	r.l1 = make([]uint64, l1Size)
	for i := range r.l1 {
		r.l1[i] = be.Uint64(raw[8*i:])
	}
	return r, nil
}

// ReadAt reads guest bytes; unallocated and zero clusters read as zeros.
func (r *qcow2Reader) ReadAt(p []byte, off int64) (int, error) {
	done := 0
	for done < len(p) {
		pos := off + int64(done)
		if pos >= r.size {
			return done, io.EOF
		}
		within := pos % r.clusterSz
		n := int(min(r.clusterSz-within, int64(len(p)-done), r.size-pos))
		dst := p[done : done+n]
		host, err := r.lookup(pos / r.clusterSz)
		if err != nil {
			return done, err
		}
		if host == 0 {
			clear(dst)
		} else if _, err := r.f.ReadAt(dst, host+within); err != nil {
			return done, fmt.Errorf("qcow2: reading cluster at %d: %w", host, err)
		}
		done += n
	}
	return done, nil
}

// lookup returns the host offset of guest cluster g, or 0 for zeros.
func (r *qcow2Reader) lookup(g int64) (int64, error) {
	l1e := r.l1[g/r.l2PerTable] & qcowOffsetMask
	if l1e == 0 {
		return 0, nil
	}
	t, ok := r.l2Cache[l1e]
	if !ok {
		raw := make([]byte, r.clusterSz)
		if _, err := r.f.ReadAt(raw, int64(l1e)); err != nil {
			return 0, fmt.Errorf("qcow2: reading an L2 table: %w", err)
		}
		t = make([]uint64, r.l2PerTable)
		for i := range t {
			t[i] = binary.BigEndian.Uint64(raw[8*i:])
		}
		if len(r.l2Cache) > 256 {
			clear(r.l2Cache)
		}
		r.l2Cache[l1e] = t
	}
	e := t[g%r.l2PerTable]
	if e&qcowCompressed != 0 {
		return 0, fmt.Errorf("qcow2: compressed clusters are not supported")
	}
	if e&qcowZeroFlag != 0 {
		return 0, nil
	}
	return int64(e & qcowOffsetMask), nil
}
