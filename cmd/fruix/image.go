package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"fruix.dev/fruix/freebsd/fat"
	"fruix.dev/fruix/freebsd/image"
	"fruix.dev/fruix/freebsd/mtree"
)

func init() {
	register("image", "build disk images, and list or read files inside them", runImage)
}

const imageUsage = `usage: fruix image build --root DIR -o FILE [options]
       fruix image ls FILE[:PARTITION] [PATH]
       fruix image cat FILE[:PARTITION] PATH
       fruix image show FILE

build   writes a bootable GPT disk (raw or qcow2) from a root tree
ls      lists a directory (or one file) inside an image, like ls -l
cat     writes a file inside an image to standard output
show    prints an image's partition table

PARTITION is a partition index (1, 2, ...) or GPT label (rootfs, efiesp);
the default is the UFS root. Run "fruix image build --help" for its options.
`

func runImage(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, imageUsage)
		return 2
	}
	switch args[0] {
	case "build":
		return runImageBuild(args[1:])
	case "ls":
		return runImageLs(args[1:])
	case "cat":
		return runImageCat(args[1:])
	case "show":
		return runImageShow(args[1:])
	case "--help", "-h", "help":
		fmt.Fprint(os.Stdout, imageUsage)
		return 0
	}
	fmt.Fprintf(os.Stderr, "fruix image: unknown subcommand %q\n%s", args[0], imageUsage)
	return 2
}

// sizeFlag is a flag.Value for sizes like 20G, 512M, 1.5G.
type sizeFlag struct {
	n   int64
	set bool
}

func (s *sizeFlag) String() string {
	if s == nil || !s.set {
		return ""
	}
	return image.FormatSize(s.n)
}

func (s *sizeFlag) Set(v string) error {
	n, err := image.ParseSize(v)
	if err != nil {
		return err
	}
	s.n, s.set = n, true
	return nil
}

// espFilesFlag collects --esp-file PATH=SOURCE options.
type espFilesFlag []fat.File

func (e *espFilesFlag) String() string { return "" }

func (e *espFilesFlag) Set(v string) error {
	dst, src, ok := strings.Cut(v, "=")
	if !ok || dst == "" || src == "" {
		return fmt.Errorf("want PATH-IN-ESP=HOST-FILE, such as EFI/FreeBSD/loader.efi=/boot/loader.efi")
	}
	*e = append(*e, fat.File{Path: dst, Source: src})
	return nil
}

func runImageBuild(args []string) int {
	fl := flag.NewFlagSet("fruix image build", flag.ContinueOnError)
	fl.SetOutput(os.Stderr)
	var (
		root, mtreeFile, loader, biosBoot, label, format, out, timestamp string
		size, swap, espSize                                              sizeFlag
		espFiles                                                         espFilesFlag
		softUpdates, specOnly, quiet                                     bool
	)
	fl.StringVar(&root, "root", "", "root file system tree `DIR` (required)")
	fl.StringVar(&mtreeFile, "mtree", "", "mtree spec `FILE` (FreeBSD's METALOG) giving owners, modes and flags")
	fl.StringVar(&loader, "efi-loader", "", "FreeBSD's loader.efi `FILE`, installed as EFI/BOOT/BOOTX64.EFI in the ESP")
	fl.Var(&espFiles, "esp-file", "one more `PATH=FILE` for the ESP (repeatable)")
	fl.Var(&espSize, "esp-size", "`SIZE` of the EFI system partition (default 260M)")
	fl.StringVar(&biosBoot, "bios-boot", "", "FreeBSD's BIOS boot code as `PMBR,GPTBOOT` files")
	fl.Var(&size, "size", "`SIZE` of the whole disk, like 20G or 1.5G (default: as small as the tree allows)")
	fl.Var(&swap, "swap", "`SIZE` of a freebsd-swap partition (default none)")
	fl.StringVar(&label, "label", image.DefaultLabel, "`NAME` of the root file system: /dev/gpt/NAME and /dev/ufs/NAME")
	fl.StringVar(&format, "format", "raw", "output format: raw (sparse) or qcow2")
	fl.StringVar(&timestamp, "timestamp", "", "`EPOCH` seconds for every file time and identifier (default $SOURCE_DATE_EPOCH, else 1)")
	fl.BoolVar(&softUpdates, "soft-updates", true, "enable soft updates on the root file system")
	fl.BoolVar(&specOnly, "spec-only", false, "leave out files of the tree that the --mtree spec does not list")
	fl.BoolVar(&quiet, "quiet", false, "print no progress and no summary")
	fl.StringVar(&out, "o", "", "output image `FILE` (required)")
	fl.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: fruix image build --root DIR -o FILE [options]\n\noptions:")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "fruix image build: unexpected argument %q\n", fl.Arg(0))
		return 2
	}
	if root == "" || out == "" {
		fmt.Fprintln(os.Stderr, "fruix image build: --root DIR and -o FILE are required")
		return 2
	}
	spec := image.Spec{
		Root: root, EFILoader: loader, ESPFiles: espFiles, ESPSize: espSize.n,
		Size: size.n, Swap: swap.n, Label: label, Format: image.Format(format),
	}
	spec.UFS.SoftUpdates = softUpdates
	spec.UFS.SpecOnly = specOnly
	if specOnly && mtreeFile == "" {
		fmt.Fprintln(os.Stderr, "fruix image build: --spec-only needs --mtree FILE")
		return 2
	}
	if size.set && size.n == 0 {
		fmt.Fprintln(os.Stderr, "fruix image build: --size 0: leave --size out for the smallest image that fits")
		return 2
	}
	ts, err := resolveTimestamp(timestamp)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fruix image build: %v\n", err)
		return 2
	}
	spec.Timestamp = ts
	if biosBoot != "" {
		pmbr, gptboot, ok := strings.Cut(biosBoot, ",")
		if !ok || pmbr == "" || gptboot == "" {
			fmt.Fprintln(os.Stderr, "fruix image build: --bios-boot wants two files: PMBR,GPTBOOT (FreeBSD's /boot/pmbr and /boot/gptboot)")
			return 2
		}
		spec.PMBR, spec.GPTBoot = pmbr, gptboot
	}
	if mtreeFile != "" {
		f, err := os.Open(mtreeFile)
		if err != nil {
			fmt.Fprintf(os.Stderr, "fruix image build: --mtree: %v\n", err)
			return 1
		}
		spec.Mtree, err = mtree.Parse(f, mtreeFile)
		f.Close()
		if err != nil {
			fmt.Fprintf(os.Stderr, "fruix image build: %v\n", err)
			return 1
		}
	}
	if !quiet && isTerminal(os.Stderr) {
		spec.Progress = newProgressPrinter(os.Stderr)
	}
	// Ctrl-C stops the writers; Build then removes its temporary files.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	res, err := image.BuildContext(ctx, out, spec)
	if spec.Progress != nil {
		fmt.Fprint(os.Stderr, "\r\033[K")
	}
	if err != nil && ctx.Err() != nil {
		fmt.Fprintf(os.Stderr, "fruix image build: interrupted; %s was not written\n", out)
		return 1
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "fruix image build: %s\n", strings.TrimPrefix(err.Error(), "image: "))
		return 1
	}
	if !quiet {
		fmt.Print(image.Summary(res.Table, out))
		used := ""
		if res.DiskBlocks >= 0 {
			used = fmt.Sprintf(", %s on disk", image.FormatSize(res.DiskBlocks))
		}
		fmt.Printf("%s: %s image of %s%s; root file system: %d files, %d directories, %s of data; built in %.1fs\n",
			out, res.Format, image.FormatSize(res.Size), used, res.UFS.Files, res.UFS.Directories,
			image.FormatSize(res.UFS.DataBytes), time.Since(start).Seconds())
		switch {
		case loader == "" && len(espFiles) == 0 && biosBoot == "":
			fmt.Println("note: no --efi-loader and no --bios-boot: this disk holds no boot code and boots only as a second disk")
		case loader == "" && biosBoot != "":
			fmt.Println("note: no --efi-loader: this disk boots through BIOS (gptboot) only, not UEFI")
		case loader != "" && biosBoot == "":
			fmt.Println("note: no --bios-boot: this disk boots through UEFI only")
		}
	}
	return 0
}

// resolveTimestamp picks the one time an image is built with: --timestamp,
// else SOURCE_DATE_EPOCH (the reproducible-builds convention), else 1.
func resolveTimestamp(flagValue string) (int64, error) {
	v, from := flagValue, "--timestamp"
	if v == "" {
		v, from = os.Getenv("SOURCE_DATE_EPOCH"), "SOURCE_DATE_EPOCH"
	}
	if v == "" {
		return 1, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s %q: want a whole number of seconds since 1970", from, v)
	}
	return n, nil
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// newProgressPrinter returns a Progress callback that redraws one status
// line at most ten times a second.
func newProgressPrinter(w io.Writer) func(stage string, done, total int64) {
	var last time.Time
	var lastStage string
	return func(stage string, done, total int64) {
		now := time.Now()
		if stage == lastStage && now.Sub(last) < 100*time.Millisecond && done < total {
			return
		}
		last, lastStage = now, stage
		if total <= 1 {
			// A stage with no measure of its own, like the final sync.
			fmt.Fprintf(w, "\r\033[K%s...", stage)
			return
		}
		pct := 100.0
		if total > 0 {
			pct = float64(done) * 100 / float64(total)
		}
		fmt.Fprintf(w, "\r\033[K%s: %5.1f%% (%s of %s)", stage, pct, image.FormatSize(done), image.FormatSize(total))
	}
}

func runImageShow(args []string) int {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(os.Stderr, "usage: fruix image show FILE")
		if len(args) == 1 && (args[0] == "--help" || args[0] == "-h") {
			return 0
		}
		return 2
	}
	d, err := image.Open(args[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "fruix image show: %s\n", strings.TrimPrefix(err.Error(), "image: "))
		return 1
	}
	defer d.Close()
	fmt.Print(image.Summary(d.Table, args[0]))
	fmt.Printf("\n%s image; disk GUID %s\n", d.Format, d.Table.DiskGUID)
	for _, p := range d.Table.Partitions {
		fmt.Printf("  p%d  %s  %s\n", p.Index, p.GUID, p.Label)
	}
	return 0
}
