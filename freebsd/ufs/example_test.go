package ufs_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fruix.dev/fruix/freebsd/mtree"
	"fruix.dev/fruix/freebsd/ufs"
)

// Build a file system from a tree and a METALOG-style spec, check it,
// and read a file back.
func Example() {
	dir, _ := os.MkdirTemp("", "ufs-example")
	defer os.RemoveAll(dir)
	root := filepath.Join(dir, "root")
	os.MkdirAll(filepath.Join(root, "etc"), 0755)
	os.WriteFile(filepath.Join(root, "etc", "motd"), []byte("Welcome to Fruix\n"), 0644)

	spec, err := mtree.Parse(strings.NewReader(
		"./etc/motd type=file uid=0 gid=0 mode=0444 flags=uchg\n"), "METALOG")
	if err != nil {
		fmt.Println(err)
		return
	}
	img, _ := os.Create(filepath.Join(dir, "rootfs.ufs"))
	defer img.Close()
	res, err := ufs.Build(img, root, spec, ufs.Options{Label: "rootfs", Timestamp: time.Unix(1700000000, 0)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("problems:", len(ufs.Check(img, res.Size)))
	fsys, _ := ufs.Open(img, res.Size)
	motd, _ := fsys.ReadFile("/etc/motd")
	st, _ := fsys.Stat("/etc/motd")
	fmt.Printf("%q %v %s %s\n", motd, st.Mode, mtree.FormatFlags(st.Flags), fsys.Label())
	// Output:
	// problems: 0
	// "Welcome to Fruix\n" -r--r--r-- uchg rootfs
}
