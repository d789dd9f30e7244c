package sandbox

import (
	"encoding/binary"
	"reflect"
	"strings"
	"testing"
)

func TestJailParams(t *testing.T) {
	spec := &Spec{}
	params := JailParams(spec, "/tmp/root", "fruix-build-1")
	got := map[string]any{}
	for _, p := range params {
		got[p.Name] = p.Value
	}
	want := map[string]any{
		"name": "fruix-build-1", "path": "/tmp/root", "host.hostname": "localhost", "persist": nil,
		"enforce_statfs": int32(2), "children.max": int32(0), "devfs_ruleset": int32(4),
		"ip4": int32(jailSysDisable), "ip6": int32(jailSysDisable),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("params %v, want %v", got, want)
	}
	spec.Network = true
	for _, p := range JailParams(spec, "/r", "n") {
		if (p.Name == "ip4" || p.Name == "ip6") && p.Value != int32(jailSysInherit) {
			t.Errorf("fixed-output build: %s = %v, want inherit", p.Name, p.Value)
		}
	}
}

func TestEncodeJailParam(t *testing.T) {
	n, v := EncodeJailParam(JailParam{"path", "/r"})
	if string(n) != "path\x00" || string(v) != "/r\x00" {
		t.Errorf("string param: %q %q", n, v)
	}
	_, v = EncodeJailParam(JailParam{"enforce_statfs", int32(2)})
	if len(v) != 4 || binary.NativeEndian.Uint32(v) != 2 {
		t.Errorf("int param: %v", v)
	}
	n, v = EncodeJailParam(JailParam{"persist", nil})
	if string(n) != "persist\x00" || v != nil {
		t.Errorf("boolean param: %q %v", n, v)
	}
}

func TestJailMountPlan(t *testing.T) {
	plan := []Mount{
		{Source: "/frx/store/.tmp-build-1", Target: "/frx/store"},
		{Source: "/frx/store/aaa-input", Target: "/frx/store/aaa-input", ReadOnly: true},
		{Source: "/frx/store/bbb-file", Target: "/frx/store/bbb-file", ReadOnly: true},
	}
	mounts := JailMountPlan(plan, "/tmp/j", func(p string) bool { return !strings.HasSuffix(p, "-file") })
	var summary []string
	for _, m := range mounts {
		s := m.FSType + " " + m.Path
		if m.Copy != "" {
			s = "copy " + m.Copy + " " + m.Path
		}
		if m.ReadOnly {
			s += " ro"
		}
		summary = append(summary, s)
	}
	want := []string{
		"tmpfs /tmp/j",
		"tmpfs /tmp/j/tmp",
		"nullfs /tmp/j/frx/store",
		"nullfs /tmp/j/frx/store/aaa-input ro",
		"copy /frx/store/bbb-file /tmp/j/frx/store/bbb-file ro",
		"devfs /tmp/j/dev",
	}
	if !reflect.DeepEqual(summary, want) {
		t.Errorf("plan:\n%s\nwant:\n%s", strings.Join(summary, "\n"), strings.Join(want, "\n"))
	}
	iov := NmountIovecs(mounts[3])
	wantIov := [][2]string{{"fstype", "nullfs"}, {"fspath", "/tmp/j/frx/store/aaa-input"}, {"target", "/frx/store/aaa-input"}}
	if !reflect.DeepEqual(iov, wantIov) {
		t.Errorf("nmount iovecs %v, want %v", iov, wantIov)
	}
	if dev := NmountIovecs(mounts[5]); dev[2] != [2]string{"ruleset", "4"} {
		t.Errorf("devfs options %v", dev)
	}
}
