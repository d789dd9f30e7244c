package image

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"fruix.dev/fruix/freebsd/gpt"
)

// Summary shows a partition table the way FreeBSD's `gpart show -l` does:
// start sector, size in sectors, index, type, label and human size, with
// the free gaps between partitions.
func Summary(t *gpt.Table, name string) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	first := uint64(gpt.FirstUsableLBA)
	last := gpt.LastUsableLBA(t.Sectors)
	fmt.Fprintf(w, "=>\t%d\t%d\t\t  %s  GPT  (%s)\n", first, last-first+1, name, FormatSize(int64(t.Sectors)*gpt.SectorSize))
	gap := func(from, to uint64) {
		if to > from {
			fmt.Fprintf(w, "\t%d\t%d\t\t  - free -  (%s)\n", from, to-from, FormatSize(int64(to-from)*gpt.SectorSize))
		}
	}
	at := first
	for i, p := range t.Partitions {
		gap(at, p.FirstLBA)
		index := p.Index
		if index == 0 {
			index = i + 1
		}
		fmt.Fprintf(w, "\t%d\t%d\t%d\t  %s  %s  (%s)\n", p.FirstLBA, p.LastLBA-p.FirstLBA+1, index, p.Type, p.Label, FormatSize(p.Size()))
		at = p.LastLBA + 1
	}
	gap(at, last+1)
	w.Flush()
	return b.String()
}
