package ufs

import (
	"bytes"
	"encoding/binary"
	"fruix.dev/fruix/freebsd/mtree"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func buildErr(t *testing.T, root, specText string, opt Options) error {
	t.Helper()
	var spec = parseSpecOrNil(t, specText)
	f, err := os.Create(filepath.Join(t.TempDir(), "img"))
	must(t, err)
	defer f.Close()
	_, err = Build(f, root, spec, opt)
	if err == nil {
		t.Fatal("Build succeeded")
	}
	return err
}

func parseSpecOrNil(t *testing.T, text string) *mtree.Spec {
	if text == "" {
		return nil
	}
	return parseSpec(t, text)
}

func TestErrors(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{"etc/rc.conf": "x", "big": strings.Repeat("y", 3<<20)})

	err := buildErr(t, root, "", Options{Size: 1 << 20})
	if !regexp.MustCompile(`^ufs: tree needs \d+ bytes \(\d+ inodes, \d+ fragments of 4096 bytes\) but the file system has 1048576`).MatchString(err.Error()) {
		t.Errorf("too small: %v", err)
	}

	err = buildErr(t, root, "./etc/missing type=file mode=0644\n", Options{})
	if !strings.HasPrefix(err.Error(), "METALOG:1: ./etc/missing: type=file but ") || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing file: %v", err)
	}

	err = buildErr(t, root, "./etc/rc.conf type=dir\n", Options{})
	if !strings.HasPrefix(err.Error(), "METALOG:1: ./etc/rc.conf: type=dir but the tree has a file") {
		t.Errorf("type conflict: %v", err)
	}

	err = buildErr(t, root, "./x type=hlink link=./nothere\n", Options{})
	if !strings.HasPrefix(err.Error(), "METALOG:1: ./x: hard link to nothere") {
		t.Errorf("dangling hard link: %v", err)
	}

	err = buildErr(t, root, "./etc/rc.conf type=file uname=nobody\n", Options{})
	if !strings.HasPrefix(err.Error(), `METALOG:1: ./etc/rc.conf: unknown user "nobody" (not in the built-in root and wheel, as mtree: user database:`) {
		t.Errorf("no passwd: %v", err)
	}

	long := strings.Repeat("n", 256)
	err = buildErr(t, root, "./etc/"+long+" type=dir\n", Options{})
	if !strings.Contains(err.Error(), "METALOG:1") || !strings.Contains(err.Error(), "256 bytes, longer than UFS's limit of 255") {
		t.Errorf("long name from the spec: %v", err)
	}
}

// Most host file systems refuse names over 255 bytes themselves; where one
// accepts them, Build names the path.
func TestLongNameInTree(t *testing.T) {
	root := t.TempDir()
	long := strings.Repeat("n", 256)
	must(t, os.Mkdir(filepath.Join(root, "etc"), 0755))
	if err := os.WriteFile(filepath.Join(root, "etc", long), nil, 0644); err != nil {
		t.Skipf("the host refuses a 256-byte name: %v", err)
	}
	err := buildErr(t, root, "", Options{})
	if err.Error() != "ufs: etc/"+long+": name is 256 bytes, longer than UFS's limit of 255" {
		t.Errorf("long name in the tree: %v", err)
	}
}

func TestOptionErrors(t *testing.T) {
	root := t.TempDir()
	for _, c := range []struct {
		opt  Options
		want string
	}{
		{Options{BlockSize: 3000}, "block size 3000"},
		{Options{BlockSize: 32768, FragSize: 2048}, "fragment size 2048"},
		{Options{Label: strings.Repeat("l", 32)}, "longer than 31 bytes"},
		{Options{Label: "a/b"}, "must not hold"},
		{Options{MinFree: 100}, "minfree"},
		{Options{Size: 100000}, "too small"},
	} {
		err := buildErr(t, root, "", c.opt)
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.opt, err, c.want)
		}
	}
}

// A name of exactly 255 bytes is fine.
func TestLongestName(t *testing.T) {
	root := t.TempDir()
	name := strings.Repeat("é", 127) + "x" // 255 bytes
	if err := os.WriteFile(filepath.Join(root, name), []byte("ok"), 0644); err != nil {
		t.Skipf("host: %v", err)
	}
	must(t, os.Mkdir(filepath.Join(root, strings.Repeat("d", 255)), 0755))
	f, _ := build(t, root, nil, Options{})
	fsys := checkClean(t, f)
	compareTree(t, fsys, root)
}

// Without a tree, the spec and contents= describe everything.
func TestSpecWithoutTree(t *testing.T) {
	src := filepath.Join(t.TempDir(), "payload")
	must(t, os.WriteFile(src, []byte("payload"), 0644))
	spec := parseSpec(t, "./boot type=dir mode=0755 uid=0 gid=0\n./boot/loader.conf type=file mode=0444 uid=0 gid=0 contents="+src+"\n./var/empty type=dir mode=0555 uid=0 gid=0 flags=schg\n")
	f, _ := build(t, "", spec, Options{})
	fsys := checkClean(t, f)
	b, err := fsys.ReadFile("/boot/loader.conf")
	if err != nil || string(b) != "payload" {
		t.Errorf("%q %v", b, err)
	}
}

func TestOpenNotUFS2(t *testing.T) {
	for _, c := range []struct {
		magic uint32
		want  string
	}{
		{0x19015419, "big-endian UFS2"},
		{0x011954, "UFS1"},
		{0x19960408, "newfs did not finish"},
		{0x12345678, "no UFS2 superblock at byte 65536"},
	} {
		img := make([]byte, 1<<20)
		binary.LittleEndian.PutUint32(img[sblockUFS2+1372:], c.magic)
		_, err := Open(bytes.NewReader(img), int64(len(img)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("magic %#x: %v, want %q", c.magic, err, c.want)
		}
		if p := Check(bytes.NewReader(img), int64(len(img))); len(p) != 1 || !strings.Contains(p[0].What, c.want) {
			t.Errorf("Check, magic %#x: %v", c.magic, p)
		}
	}
}
