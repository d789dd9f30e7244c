package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runCaptured runs a subcommand function with stdout and stderr captured.
func runCaptured(t *testing.T, run func([]string) int, args ...string) (int, string, string) {
	t.Helper()
	oldOut, oldErr := os.Stdout, os.Stderr
	rOut, wOut, _ := os.Pipe()
	rErr, wErr, _ := os.Pipe()
	os.Stdout, os.Stderr = wOut, wErr
	outC, errC := make(chan string), make(chan string)
	go func() { b, _ := io.ReadAll(rOut); outC <- string(b) }()
	go func() { b, _ := io.ReadAll(rErr); errC <- string(b) }()
	code := run(args)
	wOut.Close()
	wErr.Close()
	os.Stdout, os.Stderr = oldOut, oldErr
	return code, <-outC, <-errC
}

// imageTree makes a small root tree, a METALOG for it and files standing
// in for FreeBSD's boot code (bytes, not programs: nothing here boots).
func imageTree(t *testing.T) (dir string) {
	t.Helper()
	dir = t.TempDir()
	files := map[string]string{
		"root/etc/rc.conf":   "hostname=\"fruix\"\n",
		"root/etc/passwd":    "root:*:0:0::/root:/bin/sh\nalice:*:1001:1001::/home/alice:/bin/sh\n",
		"root/etc/group":     "wheel:*:0:root\nalice:*:1001:\n",
		"root/bin/sh":        strings.Repeat("#!sh\n", 20000),
		"root/home/alice/.x": "alice's\n",
		"loader.efi":         strings.Repeat("EFI loader stand-in ", 30000),
		"pmbr":               strings.Repeat("p", 510) + "\x55\xaa",
		"gptboot":            strings.Repeat("g", 80000),
		"METALOG": "#mtree 2.0\n./bin/sh type=file uname=root gname=wheel mode=4555 flags=schg\n" +
			"./home/alice type=dir uid=1001 gid=1001 mode=0700\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.Symlink("../bin/sh", filepath.Join(dir, "root/etc/shell"))
	return dir
}

func TestImageBuildLsCat(t *testing.T) {
	dir := imageTree(t)
	img := filepath.Join(dir, "disk.img")
	code, out, errOut := runCaptured(t, runImage, "build", "--root", filepath.Join(dir, "root"),
		"--mtree", filepath.Join(dir, "METALOG"), "--efi-loader", filepath.Join(dir, "loader.efi"),
		"--bios-boot", filepath.Join(dir, "pmbr")+","+filepath.Join(dir, "gptboot"),
		"--esp-file", "EFI/FreeBSD/loader.env="+filepath.Join(dir, "root/etc/rc.conf"),
		"--size", "1.5G", "--swap", "256M", "--timestamp", "1700000000", "-o", img)
	if code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"freebsd-boot  gptboot  (512K)", "efi  efiesp  (260M)", "freebsd-swap  swapfs  (256M)", "freebsd-ufs  rootfs", "GPT  (1.5G)"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if sgdisk, err := exec.LookPath("sgdisk"); err == nil {
		if v, err := exec.Command(sgdisk, "-v", img).CombinedOutput(); err != nil || !strings.Contains(string(v), "No problems found") {
			t.Errorf("sgdisk -v: %v\n%s", err, v)
		}
	}

	code, out, errOut = runCaptured(t, runImage, "ls", img, "/bin")
	if code != 0 || !strings.Contains(out, "-r-sr-xr-x 1 root wheel schg 100000 Nov 14  2023 sh") {
		t.Errorf("ls /bin: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCaptured(t, runImage, "ls", img+":rootfs", "/home")
	if code != 0 || !strings.Contains(out, "drwx------ 2 alice alice -") {
		t.Errorf("ls /home:\n%s", out)
	}
	code, out, _ = runCaptured(t, runImage, "ls", img, "/etc/shell")
	if code != 0 || !strings.HasPrefix(out, "l") || !strings.Contains(out, "shell -> ../bin/sh") {
		t.Errorf("ls /etc/shell:\n%s", out)
	}
	code, out, _ = runCaptured(t, runImage, "ls", img+":efiesp", "/EFI/BOOT")
	if code != 0 || !strings.Contains(out, "BOOTX64.EFI") {
		t.Errorf("ls efiesp /EFI/BOOT:\n%s", out)
	}
	code, out, _ = runCaptured(t, runImage, "cat", img+":efiesp", "/EFI/FreeBSD/loader.env")
	if code != 0 || out != "hostname=\"fruix\"\n" {
		t.Errorf("cat of an --esp-file: %q", out)
	}
	code, out, _ = runCaptured(t, runImage, "cat", img, "/etc/rc.conf")
	if code != 0 || out != "hostname=\"fruix\"\n" {
		t.Errorf("cat /etc/rc.conf: %q", out)
	}
	code, out, _ = runCaptured(t, runImage, "cat", img, "/etc/shell")
	if code != 0 || out != strings.Repeat("#!sh\n", 20000) {
		t.Errorf("cat through a symbolic link: exit %d, %d bytes", code, len(out))
	}
	code, out, _ = runCaptured(t, runImage, "cat", img+":2", "/EFI/BOOT/BOOTX64.EFI")
	if code != 0 || out != strings.Repeat("EFI loader stand-in ", 30000) {
		t.Errorf("cat BOOTX64.EFI: exit %d, %d bytes", code, len(out))
	}
	code, out, _ = runCaptured(t, runImage, "show", img)
	if code != 0 || !strings.Contains(out, "disk GUID") {
		t.Errorf("show:\n%s", out)
	}

	// qcow2 output reads back the same way.
	q := filepath.Join(dir, "disk.qcow2")
	code, _, errOut = runCaptured(t, runImage, "build", "--root", filepath.Join(dir, "root"), "--format", "qcow2", "--quiet", "-o", q)
	if code != 0 {
		t.Fatalf("qcow2 build: %s", errOut)
	}
	code, out, _ = runCaptured(t, runImage, "cat", q, "/etc/rc.conf")
	if code != 0 || out != "hostname=\"fruix\"\n" {
		t.Errorf("cat from qcow2: %q", out)
	}
}

func TestImageErrors(t *testing.T) {
	dir := imageTree(t)
	root := filepath.Join(dir, "root")
	img := filepath.Join(dir, "disk.img")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"build", "--root", root, "--efi-loader", filepath.Join(dir, "loader.efi"), "--size", "10M", "-o", img}, 1,
			"--size 10M is too small"},
		{[]string{"build", "--root", root, "--efi-loader", filepath.Join(dir, "missing.efi"), "-o", img}, 1,
			"EFI loader " + filepath.Join(dir, "missing.efi") + ": no such file or directory"},
		{[]string{"build", "--root", root, "--size", "20Q", "-o", img}, 2, `size "20Q": want a number`},
		{[]string{"build", "--root", root, "--bios-boot", "pmbr-only", "-o", img}, 2, "--bios-boot wants two files"},
		{[]string{"build", "--root", root, "--format", "vmdk", "-o", img}, 1, `unknown format "vmdk"`},
		{[]string{"build", "--root", root, "--timestamp", "yesterday", "-o", img}, 2, `--timestamp "yesterday"`},
		{[]string{"build", "-o", img}, 2, "--root DIR and -o FILE are required"},
		{[]string{"build", "--root", root, "--mtree", filepath.Join(dir, "nope"), "-o", img}, 1, "--mtree: open"},
		{[]string{"ls", filepath.Join(dir, "loader.efi")}, 1, "no MBR signature"},
		{[]string{"frobnicate"}, 2, `unknown subcommand "frobnicate"`},
	} {
		code, _, errOut := runCaptured(t, runImage, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant exit %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
		if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
			t.Errorf("%v: a Go panic reached the user:\n%s", tc.args, errOut)
		}
	}
	if _, err := os.Stat(img); err == nil {
		t.Error("failed builds left an image behind")
	}
	// Tell a timestamp from SOURCE_DATE_EPOCH.
	t.Setenv("SOURCE_DATE_EPOCH", "1600000000")
	if ts, err := resolveTimestamp(""); err != nil || ts != 1600000000 {
		t.Errorf("SOURCE_DATE_EPOCH: %d %v", ts, err)
	}
	if ts, _ := resolveTimestamp("42"); ts != 42 {
		t.Error("--timestamp does not win over SOURCE_DATE_EPOCH")
	}
}

func TestLsMode(t *testing.T) {
	for m, want := range map[os.FileMode]string{
		0o755 | os.ModeDir:                        "drwxr-xr-x",
		0o555 | os.ModeSetuid:                     "-r-sr-xr-x",
		0o644 | os.ModeSetgid:                     "-rw-r-Sr--",
		0o1777 | os.ModeDir | os.ModeSticky:       "drwxrwxrwt",
		0o755 | os.ModeSymlink:                    "lrwxr-xr-x",
		0o600 | os.ModeDevice | os.ModeCharDevice: "crw-------",
	} {
		if got := lsMode(m); got != want {
			t.Errorf("lsMode(%v) = %s, want %s", m, got, want)
		}
	}
}
