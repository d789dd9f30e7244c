package fat

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestReadsVolumesMadeByDosfstools checks the reader against another
// writer: mkfs.fat makes the volume, mtools fills it.
func TestReadsVolumesMadeByDosfstools(t *testing.T) {
	mkfs := requireTool(t, "mkfs.fat")
	mmd := requireTool(t, "mmd")
	mcopy := requireTool(t, "mcopy")
	dir := t.TempDir()
	img := filepath.Join(dir, "esp.img")
	if out, err := exec.Command(mkfs, "-F", "32", "-n", "OTHERESP", "-C", img, "65536").CombinedOutput(); err != nil {
		t.Fatalf("mkfs.fat: %v\n%s", err, out)
	}
	content := map[string][]byte{
		"BOOTX64.EFI":                loaderBytes(300000),
		"exactly13.txt":              []byte("thirteen units"),
		"a name of twenty-six chars": []byte("twenty-six"),
		"Ünïcödé.conf":               []byte("unicode"),
	}
	run := func(cmd string, args ...string) {
		t.Helper()
		if out, err := exec.Command(cmd, args...).CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v\n%s", cmd, args, err, out)
		}
	}
	run(mmd, "-i", img, "::/EFI", "::/EFI/BOOT")
	for name, data := range content {
		src := filepath.Join(dir, "src")
		os.WriteFile(src, data, 0o644)
		run(mcopy, "-i", img, src, "::/EFI/BOOT/"+name)
	}
	f, _ := os.Open(img)
	defer f.Close()
	st, _ := f.Stat()
	fs, err := Open(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	if fs.Label() != "OTHERESP" {
		t.Errorf("label %q", fs.Label())
	}
	entries, err := fs.ReadDir("EFI/BOOT")
	if err != nil || len(entries) != len(content) {
		t.Fatalf("ReadDir: %v, %d entries", err, len(entries))
	}
	for _, e := range entries {
		want, ok := content[e.Name]
		if !ok {
			t.Errorf("unexpected entry %q (%s)", e.Name, e.ShortName)
			continue
		}
		got, err := fs.ReadFile("EFI/BOOT/" + e.Name)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %v", e.Name, err)
		}
	}
}
