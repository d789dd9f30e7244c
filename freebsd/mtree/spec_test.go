package mtree

import (
	"io/fs"
	"strings"
	"testing"
	"time"
)

// A METALOG excerpt as `make -DNO_ROOT installworld` writes it.
const metalog = `#mtree 2.0
./bin type=dir uname=root gname=wheel mode=0755 tags=package=runtime
./bin/cat type=file uname=root gname=wheel mode=0555 size=14104 tags=package=runtime
./sbin/init type=file uname=root gname=wheel mode=0500 flags=schg size=1234
./usr/bin/su type=file uname=root gname=wheel mode=04555 flags=schg
./usr/bin/passwd type=file uname=root gname=wheel mode=04555 flags=schg
./usr/bin/chpass type=hlink uname=root gname=wheel mode=04555 flags=schg link=/usr/bin/passwd
./usr/lib/libc.so type=link uname=root gname=wheel mode=0755 link=libc.so.7
./tmp type=dir uname=root gname=wheel mode=01777
./a\040b type=file uid=1001 gid=1001 mode=0644 time=1700000000.250000000
`

func TestParseMetalog(t *testing.T) {
	s, err := Parse(strings.NewReader(metalog), "METALOG")
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 9 {
		t.Fatalf("%d entries", s.Len())
	}
	su, _ := s.Lookup("usr/bin/su")
	if su.Type != "file" || su.Mode != fs.ModeSetuid|0555 || su.Flags != SF_IMMUTABLE || su.Uname != "root" || su.Line != 5 {
		t.Errorf("su: %+v", su)
	}
	ch, _ := s.Lookup("usr/bin/chpass")
	if ch.Type != "hlink" || ch.Link != "usr/bin/passwd" {
		t.Errorf("chpass: %+v", ch)
	}
	tmp, _ := s.Lookup("tmp")
	if tmp.Mode != fs.ModeSticky|0777 {
		t.Errorf("tmp: %v", tmp.Mode)
	}
	ab, ok := s.Lookup("a b")
	if !ok || !ab.HasUid || ab.Uid != 1001 || !ab.Time.Equal(time.Unix(1700000000, 250000000)) {
		t.Errorf("a b: %+v", ab)
	}
	ids := &IDs{Users: map[string]uint32{"root": 0}, Groups: map[string]uint32{"wheel": 0}, Where: "test"}
	if !s.NeedsIDs() {
		t.Error("NeedsIDs")
	}
	if err := s.Resolve(ids); err != nil {
		t.Fatal(err)
	}
	if !su.HasUid || !su.HasGid {
		t.Error("not resolved")
	}
}

func TestParseRelative(t *testing.T) {
	spec := `/set type=file uid=0 gid=0 mode=0644
.               type=dir mode=0755
    etc         type=dir mode=0755
        rc.conf
        ssh     type=dir
            sshd_config mode=0600
        ..
    ..
    usr         type=dir
        bin     type=dir
            ls  mode=0555
`
	s, err := Parse(strings.NewReader(spec), "spec")
	if err != nil {
		t.Fatal(err)
	}
	for p, mode := range map[string]fs.FileMode{
		".": 0755, "etc": 0755, "etc/rc.conf": 0644, "etc/ssh": 0644,
		"etc/ssh/sshd_config": 0600, "usr/bin/ls": 0555,
	} {
		e, ok := s.Lookup(p)
		if !ok {
			t.Errorf("%s missing", p)
			continue
		}
		if e.Mode != mode {
			t.Errorf("%s: mode %v, want %v", p, e.Mode, mode)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ spec, want string }{
		{"./a type=file\n./b type=weird\n", "spec:2: ./b: unknown type \"weird\" (want file, dir, link, hlink, fifo, char, block or socket)"},
		{"./a type=file mode=999\n", "spec:1: ./a: mode=999: want an octal mode up to 07777"},
		{"./a type=file flags=schg,bogus\n", "spec:1: ./a: flags=schg,bogus: unknown file flag \"bogus\""},
		{"./a mode=0644\n", "spec:1: ./a: no type= keyword"},
		{"./a type=link\n", "spec:1: ./a: type=link needs link="},
		{"\n\n./a type=file frob=1\n", "spec:3: ./a: unknown keyword \"frob\""},
		{"./a type=file\n./a type=dir\n", "spec:2: ./a: type=dir conflicts with type=file at spec:1"},
		{"..\n", "spec:1: \"..\" climbs above the root"},
		{"./a type=file uid=x\n", "spec:1: ./a: uid=x: want a number"},
		{"./a\\q type=file\n", "spec:1: name \"./a\\\\q\": unknown escape \\q"},
		{"./a type=file \\\n", "spec:1: line continuation at end of file"},
		{"../x type=file\n", "spec:1: path \"../x\" leaves the root"},
	} {
		_, err := Parse(strings.NewReader(c.spec), "spec")
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: %v, want %s", c.spec, err, c.want)
		}
	}
}

func TestResolveUnknown(t *testing.T) {
	s, err := Parse(strings.NewReader("./a type=file uname=ghost\n"), "METALOG")
	if err != nil {
		t.Fatal(err)
	}
	err = s.Resolve(&IDs{Users: map[string]uint32{}, Groups: map[string]uint32{}, Where: "etc/passwd"})
	if err == nil || err.Error() != `METALOG:1: ./a: unknown user "ghost" (not in etc/passwd)` {
		t.Errorf("%v", err)
	}
}

func TestFlags(t *testing.T) {
	f, err := ParseFlags("schg,uchg,nodump,sappnd,uarch")
	if err != nil {
		t.Fatal(err)
	}
	if f != SF_IMMUTABLE|UF_IMMUTABLE|UF_NODUMP|SF_APPEND|UF_ARCHIVE {
		t.Errorf("%#x", f)
	}
	if got := FormatFlags(f); got != "nodump,sappnd,schg,uarch,uchg" {
		t.Errorf("%s", got)
	}
	if f, _ := ParseFlags("none"); f != 0 {
		t.Errorf("none: %#x", f)
	}
}
