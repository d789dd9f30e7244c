// Package image assembles bootable FreeBSD disk images from a root
// directory tree: a GPT disk with a freebsd-boot partition holding gptboot
// (BIOS boot through FreeBSD's pmbr), an EFI system partition holding
// loader.efi as EFI/BOOT/BOOTX64.EFI, an optional swap partition and a UFS2
// root file system, each labelled so FreeBSD shows /dev/gpt/LABEL.
//
// Everything is written by Fruix's own Go writers (freebsd/gpt,
// freebsd/fat, freebsd/ufs) into a sparse raw file or a qcow2 file,
// without root, loop devices or FreeBSD tools. Identifiers derive from
// content and one timestamp, so the same inputs give the same bytes on any
// host. The package also opens images again for `fruix image ls/cat`.
package image

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fruix.dev/fruix/freebsd/fat"
	"fruix.dev/fruix/freebsd/gpt"
	"fruix.dev/fruix/freebsd/mtree"
	"fruix.dev/fruix/freebsd/ufs"
)

// Format is the output file format.
type Format string

const (
	Raw   Format = "raw"   // a plain disk, written sparse
	Qcow2 Format = "qcow2" // QEMU's qcow2, version 3
)

const (
	mib = 1 << 20
	// alignment is where partitions after the boot partition start: 1 MiB,
	// right for 4 KiB-sector disks, SSD erase blocks and RAID stripes.
	alignment = mib
	// bootPartitionLBA and bootPartitionSize place freebsd-boot as
	// FreeBSD's installer does: at sector 40, 512 KiB long, the most
	// FreeBSD's pmbr loads.
	bootPartitionLBA  = 40
	bootPartitionSize = 512 << 10

	// DefaultESPSize is FreeBSD's default EFI system partition size.
	DefaultESPSize = 260 * mib
	// DefaultLabel is the GPT and UFS label of the root file system.
	DefaultLabel = "rootfs"

	espLabel  = "efiesp"
	swapLabel = "swapfs"
	bootLabel = "gptboot"
)

// Spec says what goes into an image.
type Spec struct {
	// Root is the directory tree of the root file system.
	Root string
	// Mtree, if not nil, gives owners, modes and flags (FreeBSD's METALOG).
	Mtree *mtree.Spec
	// EFILoader is FreeBSD's loader.efi, installed as
	// EFI/BOOT/BOOTX64.EFI. Without it and ESPFiles, no ESP is made.
	EFILoader string
	// ESPFiles are further files for the ESP.
	ESPFiles []fat.File
	// ESPSize is the size of the ESP; 0 means DefaultESPSize.
	ESPSize int64
	// PMBR and GPTBoot are FreeBSD's BIOS boot code: pmbr goes into the
	// protective MBR, gptboot into a freebsd-boot partition. Both or
	// neither.
	PMBR, GPTBoot string
	// Size is the size of the whole disk; 0 makes it as small as the
	// root file system (with its free-space margin) allows.
	Size int64
	// Swap is the size of a freebsd-swap partition; 0 means none.
	Swap int64
	// Label labels the root file system in the GPT and in UFS; "" means
	// DefaultLabel.
	Label string
	// Timestamp, in Unix seconds, is the time of every file and the
	// seed of every identifier.
	Timestamp int64
	// Format is Raw (the default) or Qcow2.
	Format Format
	// UFS holds further options of the root file system (block size,
	// soft updates, ...); its Size, Label and Timestamp are set from the
	// fields above.
	UFS ufs.Options
	// Progress, if set, is told how far each stage is.
	Progress func(stage string, done, total int64)
}

// Result describes a written image.
type Result struct {
	Path       string
	Format     Format
	Size       int64 // bytes of the disk
	Table      *gpt.Table
	UFS        *ufs.Result
	ESP        *fat.Result // nil without an ESP
	DiskBlocks int64       // bytes the output file occupies on the host's disk
}

// Build writes the image described by spec to the file out, replacing it
// only once the image is complete.
func Build(out string, spec Spec) (*Result, error) {
	return BuildContext(context.Background(), out, spec)
}

// BuildContext is Build that stops, removing what it wrote, when ctx is
// done (the command cancels it on Ctrl-C).
func BuildContext(ctx context.Context, out string, spec Spec) (*Result, error) {
	if err := spec.check(); err != nil {
		return nil, err
	}
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		return nil, fmt.Errorf("image: output %s is a directory; give the image's file name", out)
	}
	dir := filepath.Dir(out)
	rawTmp, err := os.CreateTemp(dir, "."+filepath.Base(out)+".*.raw")
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	defer func() {
		rawTmp.Close()
		os.Remove(rawTmp.Name())
	}()
	res, err := spec.writeRaw(ctx, rawTmp)
	if err != nil {
		return nil, err
	}
	final := rawTmp
	if spec.Format == Qcow2 {
		q, err := os.CreateTemp(dir, "."+filepath.Base(out)+".*.qcow2")
		if err != nil {
			return nil, fmt.Errorf("image: %w", err)
		}
		defer func() {
			q.Close()
			os.Remove(q.Name())
		}()
		if err := writeQcow2(ctx, q, rawTmp, res.Size, spec.stage("qcow2")); err != nil {
			return nil, err
		}
		final = q
	}
	if spec.Progress != nil {
		spec.Progress("writing to disk", 0, 1)
	}
	if err := final.Sync(); err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	// Images are data, not programs: rw-r--r-- whatever the umask made of
	// the temporary file's 0600.
	if err := final.Chmod(0o644); err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	if err := os.Rename(final.Name(), out); err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	res.Path, res.Format = out, spec.Format
	res.DiskBlocks = diskUsage(out)
	return res, nil
}

// check catches mistakes in the spec before anything is written.
func (s *Spec) check() error {
	if s.Format == "" {
		s.Format = Raw
	}
	if s.Format != Raw && s.Format != Qcow2 {
		return fmt.Errorf("image: unknown format %q (want raw or qcow2)", s.Format)
	}
	if s.Label == "" {
		s.Label = DefaultLabel
	}
	if s.ESPSize == 0 {
		s.ESPSize = DefaultESPSize
	}
	if st, err := os.Stat(s.Root); err != nil || !st.IsDir() {
		if err == nil {
			err = errors.New("not a directory")
		}
		return fmt.Errorf("image: root tree %s: %v", s.Root, unwrapPath(err))
	}
	if (s.PMBR == "") != (s.GPTBoot == "") {
		return fmt.Errorf("image: BIOS boot needs both pmbr and gptboot")
	}
	for _, f := range []struct{ what, path string }{{"EFI loader", s.EFILoader}, {"pmbr", s.PMBR}, {"gptboot", s.GPTBoot}} {
		what, path := f.what, f.path
		if path == "" {
			continue
		}
		st, err := os.Stat(path)
		if err != nil {
			return fmt.Errorf("image: %s %s: %v", what, path, unwrapPath(err))
		}
		if !st.Mode().IsRegular() {
			return fmt.Errorf("image: %s %s: not a regular file", what, path)
		}
		if what == "gptboot" && st.Size() > bootPartitionSize {
			return fmt.Errorf("image: gptboot %s is %d bytes; the freebsd-boot partition holds %d", path, st.Size(), bootPartitionSize)
		}
		if what == "pmbr" && st.Size() > gpt.SectorSize {
			return fmt.Errorf("image: pmbr %s is %d bytes; FreeBSD's pmbr is one %d-byte sector", path, st.Size(), gpt.SectorSize)
		}
	}
	if s.Size < 0 || s.Swap < 0 || s.ESPSize < 0 {
		return fmt.Errorf("image: sizes must not be negative")
	}
	if s.Swap%gpt.SectorSize != 0 || s.ESPSize%gpt.SectorSize != 0 {
		return fmt.Errorf("image: partition sizes must be whole %d-byte sectors", gpt.SectorSize)
	}
	return nil
}

// unwrapPath drops the repeated path from an *os.PathError.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (s *Spec) stage(name string) func(done, total int64) {
	if s.Progress == nil {
		return nil
	}
	return func(done, total int64) { s.Progress(name, done, total) }
}

func (s *Spec) hasESP() bool { return s.EFILoader != "" || len(s.ESPFiles) > 0 }

// layout is where each partition goes, in sectors.
type layout struct {
	boot, esp, swap, root gpt.Partition
	sectors               uint64
}

func alignUp(n, a int64) int64   { return (n + a - 1) / a * a }
func alignDown(n, a int64) int64 { return n / a * a }

// fixedPartitions places the partitions before the root and returns the
// byte offset where the root starts.
func (s *Spec) fixedPartitions(l *layout) int64 {
	next := int64(alignment)
	if s.GPTBoot != "" {
		l.boot = gpt.Partition{Type: "freebsd-boot", Label: bootLabel, FirstLBA: bootPartitionLBA,
			LastLBA: bootPartitionLBA + bootPartitionSize/gpt.SectorSize - 1}
	}
	if s.hasESP() {
		l.esp = gpt.Partition{Type: "efi", Label: espLabel, FirstLBA: uint64(next / gpt.SectorSize),
			LastLBA: uint64((next+s.ESPSize)/gpt.SectorSize) - 1}
		next = alignUp(next+s.ESPSize, alignment)
	}
	if s.Swap > 0 {
		l.swap = gpt.Partition{Type: "freebsd-swap", Label: swapLabel, FirstLBA: uint64(next / gpt.SectorSize),
			LastLBA: uint64((next+s.Swap)/gpt.SectorSize) - 1}
		next = alignUp(next+s.Swap, alignment)
	}
	return next
}

// tailReserve is what the end of the disk keeps for the backup GPT,
// rounded so the root partition can end on a 1 MiB boundary.
const tailReserve = alignment

// backupGPTSectors is what the backup entries and header take at the end.
const backupGPTSectors = gpt.FirstUsableLBA - 1

// writeRaw lays out and writes the whole disk into f.
func (s *Spec) writeRaw(ctx context.Context, f *os.File) (*Result, error) {
	var l layout
	rootStart := s.fixedPartitions(&l)
	w := newSparseFile(f)
	w.ctx = ctx

	// The small partitions first: their mistakes show before the root's
	// long write.
	res := &Result{}
	digests := map[string][]byte{}
	var err error
	if s.GPTBoot != "" {
		bootDigest := &digestWriter{w: io.NewOffsetWriter(w, l.boot.Offset())}
		if err := copyFileAt(bootDigest, s.GPTBoot, 0); err != nil {
			return nil, err
		}
		digests["freebsd-boot"] = bootDigest.Digest()
	}
	if s.hasESP() {
		files := append([]fat.File(nil), s.ESPFiles...)
		if s.EFILoader != "" {
			files = append(files, fat.File{Path: "EFI/BOOT/BOOTX64.EFI", Source: s.EFILoader})
		}
		if p := s.Progress; p != nil {
			p("EFI system partition", 0, 1)
		}
		espDigest := &digestWriter{w: io.NewOffsetWriter(w, l.esp.Offset())}
		res.ESP, err = fat.Build(espDigest, files, fat.Options{
			Size: l.esp.Size(), Timestamp: s.Timestamp, HiddenSectors: uint32(l.esp.FirstLBA),
		})
		if err != nil {
			return nil, fmt.Errorf("image: EFI system partition: %w", err)
		}
		digests["efi"] = espDigest.Digest()
		if p := s.Progress; p != nil {
			p("EFI system partition", 1, 1)
		}
	}

	uopt := s.UFS
	uopt.Label = s.Label
	uopt.Timestamp = time.Unix(s.Timestamp, 0).UTC()
	uopt.Progress = s.stage("root file system")
	var diskSize int64
	if s.Size > 0 {
		diskSize = alignDown(s.Size, gpt.SectorSize)
		rootEnd := alignDown(diskSize-backupGPTSectors*gpt.SectorSize, alignment)
		uopt.Size = rootEnd - rootStart
		if uopt.Size <= 0 {
			hint := ""
			if s.hasESP() {
				hint = fmt.Sprintf(" (the ESP takes %s; --esp-size 33M is the smallest FAT32)", FormatSize(s.ESPSize))
			}
			return nil, fmt.Errorf("image: --size %s is too small: the partitions before the root file system already take %s%s", FormatSize(s.Size), FormatSize(rootStart+tailReserve), hint)
		}
	}
	rootDigest := &digestWriter{w: io.NewOffsetWriter(w, rootStart)}
	ures, err := ufs.Build(rootDigest, s.Root, s.Mtree, uopt)
	if err != nil {
		if s.Size > 0 {
			if need, serr := ufs.SizeFor(s.Root, s.Mtree, uopt); serr == nil && need > uopt.Size {
				return nil, fmt.Errorf("image: --size %s is too small: the root file system needs %s (with its free-space margin) and the disk at least %s; leave --size out to get the smallest image that fits",
					FormatSize(s.Size), FormatSize(need), FormatSize(alignUp(rootStart+need, alignment)+tailReserve))
			}
		}
		return nil, fmt.Errorf("image: root file system: %w", err)
	}
	if diskSize == 0 {
		diskSize = alignUp(rootStart+ures.Size, alignment) + tailReserve
	}
	sectors := uint64(diskSize / gpt.SectorSize)
	l.root = gpt.Partition{Type: "freebsd-ufs", Label: s.Label, FirstLBA: uint64(rootStart / gpt.SectorSize),
		LastLBA: uint64((rootStart+ures.Size)/gpt.SectorSize) - 1}
	if s.Size > 0 {
		// The partition spans all the room given, even past the last
		// whole UFS block, so that growfs finds it later.
		l.root.LastLBA = uint64(alignDown(diskSize-backupGPTSectors*gpt.SectorSize, alignment)/gpt.SectorSize) - 1
	}

	res.Size, res.UFS = diskSize, ures
	digests["freebsd-ufs"] = rootDigest.Digest()

	// The GUIDs derive from what was written into the partitions: the
	// disk's from all of it, each partition's from the disk's and its own
	// place, so that the same inputs give the same GUIDs and two
	// different images do not share any.
	var parts []gpt.Partition
	for _, p := range []gpt.Partition{l.boot, l.esp, l.swap, l.root} {
		if p.Type != "" {
			parts = append(parts, p)
		}
	}
	disk := sha256.New()
	fmt.Fprintf(disk, "fruix-disk\x00%d\x00%d\x00", sectors, s.Timestamp)
	for _, p := range parts {
		fmt.Fprintf(disk, "%s\x00%s\x00%d\x00%d\x00", p.Type, p.Label, p.FirstLBA, p.LastLBA)
		disk.Write(digests[p.Type])
	}
	diskSum := disk.Sum(nil)
	for i := range parts {
		var idx [8]byte
		binary.BigEndian.PutUint64(idx[:], uint64(i+1))
		parts[i].GUID = gpt.DeriveGUID([]byte("partition"), diskSum, idx[:])
	}
	table := &gpt.Table{DiskGUID: gpt.DeriveGUID([]byte("disk"), diskSum), Sectors: sectors, Partitions: parts}
	var pmbr []byte
	if s.PMBR != "" {
		if pmbr, err = os.ReadFile(s.PMBR); err != nil {
			return nil, fmt.Errorf("image: pmbr: %w", err)
		}
	}
	if err := gpt.Write(w, table, pmbr); err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	if err := f.Truncate(diskSize); err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	for i := range table.Partitions {
		table.Partitions[i].Index = i + 1
	}
	res.Table = table
	return res, nil
}

// copyFileAt copies a host file into w at off.
func copyFileAt(w io.WriterAt, path string, off int64) error {
	src, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("image: %w", err)
	}
	defer src.Close()
	if _, err := io.Copy(io.NewOffsetWriter(w, off), src); err != nil {
		return fmt.Errorf("image: copying %s: %w", path, err)
	}
	return nil
}

// FormatSize writes a byte count as gpart does: 512K, 260M, 1.5G.
func FormatSize(n int64) string {
	units := []string{"B", "K", "M", "G", "T", "P"}
	f := float64(n)
	i := 0
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	s := fmt.Sprintf("%.1f", f)
	s = strings.TrimSuffix(s, ".0")
	return s + units[i]
}
