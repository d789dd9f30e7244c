package image

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"fruix.dev/fruix/freebsd/gpt"
)

// Disk is a disk image opened for reading.
type Disk struct {
	f      *os.File
	r      io.ReaderAt // the guest disk: the file itself, or qcow2 decoded
	Size   int64
	Format Format
	Table  *gpt.Table
}

// Open opens a raw or qcow2 image and reads and verifies its GPT.
func Open(path string) (*Disk, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	d := &Disk{f: f, r: f, Format: Raw}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("image: %w", err)
	}
	d.Size = st.Size()
	if isQcow2(f) {
		q, err := openQcow2(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("image: %s: %w", path, err)
		}
		d.r, d.Size, d.Format = q, q.size, Qcow2
	}
	d.Table, err = gpt.Read(d.r, d.Size)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("image: %s: %w", path, err)
	}
	return d, nil
}

// Close closes the image file.
func (d *Disk) Close() error { return d.f.Close() }

// Partition finds a partition by its index (from 1, as in ada0p1) or its
// GPT label; "" selects the root file system: the first freebsd-ufs.
func (d *Disk) Partition(sel string) (gpt.Partition, error) {
	var names []string
	for _, p := range d.Table.Partitions {
		switch {
		case sel == "" && p.Type == "freebsd-ufs":
			return p, nil
		case sel != "" && (p.Label == sel || strconv.Itoa(p.Index) == sel):
			return p, nil
		}
		names = append(names, fmt.Sprintf("%d (%s %s)", p.Index, p.Type, p.Label))
	}
	if sel == "" {
		return gpt.Partition{}, fmt.Errorf("image: no freebsd-ufs partition; name one of: %s", strings.Join(names, ", "))
	}
	return gpt.Partition{}, fmt.Errorf("image: no partition %q; the image has %s", sel, strings.Join(names, ", "))
}

// Section returns a reader of one partition's bytes.
func (d *Disk) Section(p gpt.Partition) *io.SectionReader {
	return io.NewSectionReader(d.r, p.Offset(), p.Size())
}

// SplitTarget splits FILE[:PARTITION] as `fruix image ls` takes it. A
// name that exists as a file is taken whole, so image names holding a
// colon still work.
func SplitTarget(arg string) (file, partition string) {
	if _, err := os.Stat(arg); err == nil {
		return arg, ""
	}
	if i := strings.LastIndexByte(arg, ':'); i > 0 {
		return arg[:i], arg[i+1:]
	}
	return arg, ""
}
