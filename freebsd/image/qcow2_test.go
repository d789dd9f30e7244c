package image

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQcow2RoundTrip converts a raw file with data at scattered places
// (both ends, an L2 boundary, a partial last cluster) and reads it back.
func TestQcow2RoundTrip(t *testing.T) {
	dir := t.TempDir()
	raw, _ := os.Create(filepath.Join(dir, "raw"))
	defer raw.Close()
	const size = 1<<30 + 12345 // not a whole number of clusters
	raw.Truncate(size)
	marks := map[int64][]byte{
		0:                             []byte("first"),
		l2Entries*qcowClusterSize - 3: []byte("across an L2 boundary"),
		700 << 20:                     bytes.Repeat([]byte{7}, 200000),
		size - 5:                      []byte("last!"),
	}
	for off, b := range marks {
		raw.WriteAt(b, off)
	}
	q, _ := os.Create(filepath.Join(dir, "q"))
	defer q.Close()
	if err := writeQcow2(context.Background(), q, raw, size, nil); err != nil {
		t.Fatal(err)
	}
	r, err := openQcow2(q)
	if err != nil {
		t.Fatal(err)
	}
	if r.size != size {
		t.Fatalf("size %d", r.size)
	}
	for off, want := range marks {
		got := make([]byte, len(want)+2)
		n, _ := r.ReadAt(got, off-1)
		if off == size-5 {
			got = got[:n]
		}
		if !bytes.Equal(got[1:1+len(want)], want) {
			t.Errorf("at %d: read %q", off, got)
		}
	}
	st, _ := q.Stat()
	if st.Size() > 20*qcowClusterSize {
		t.Errorf("qcow2 of ~200 KB of data is %d bytes", st.Size())
	}
}

func TestQcow2HostileHeaders(t *testing.T) {
	dir := t.TempDir()
	raw, _ := os.Create(filepath.Join(dir, "raw"))
	defer raw.Close()
	raw.Truncate(10 << 20)
	raw.WriteAt([]byte("data"), 5<<20)
	good := filepath.Join(dir, "q")
	q, _ := os.Create(good)
	if err := writeQcow2(context.Background(), q, raw, 10<<20, nil); err != nil {
		t.Fatal(err)
	}
	q.Close()
	data, _ := os.ReadFile(good)
	for _, tc := range []struct {
		at   int
		val  uint64
		four bool
		want string
	}{
		{4, 1, true, "version 1"},
		{8, 4096, false, "backing file"},
		{32, 1, true, "encrypted"},
		{20, 40, true, "cluster_bits 40"},
		{36, 0xFFFFFFFF, true, "beyond what Fruix reads"},
		{36, 0, true, "does not cover"},
		{72, 1, false, "incompatible features"},
	} {
		bad := bytes.Clone(data)
		if tc.four {
			binary.BigEndian.PutUint32(bad[tc.at:], uint32(tc.val))
		} else {
			binary.BigEndian.PutUint64(bad[tc.at:], tc.val)
		}
		if _, err := openQcow2(bytes.NewReader(bad)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("header byte %d = %d: got %v, want %q", tc.at, tc.val, err, tc.want)
		}
	}
}
