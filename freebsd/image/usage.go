package image

import (
	"os"
	"syscall"
)

// diskUsage is how many bytes a file occupies on the host's disk (its
// allocated blocks), which for a sparse image is far less than its size.
// It is -1 where the host does not say.
func diskUsage(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return -1
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		return int64(sys.Blocks) * 512
	}
	return -1
}
