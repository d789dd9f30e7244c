package sandbox

import (
	"reflect"
	"testing"
)

func TestEnvironmentContract(t *testing.T) {
	spec := &Spec{
		StoreDir: "/frx/store",
		Env:      map[string]string{"name": "hello", "HOME": "/root", "PATH": "/frx/store/abc-bin/bin", "FRUIX_BUILD_TOP": "x"},
		Outputs:  map[string]string{"out": "/frx/store/aaa-hello", "doc": "/frx/store/bbb-hello-doc"},
	}
	got := Environment(spec, "/build")
	want := []string{
		"FRUIX_BUILD_TOP=/build",
		"FRUIX_STORE=/frx/store",
		"HOME=/homeless-shelter",
		"PATH=/frx/store/abc-bin/bin",
		"PWD=/build",
		"TEMP=/build",
		"TEMPDIR=/build",
		"TMP=/build",
		"TMPDIR=/build",
		"doc=/frx/store/bbb-hello-doc",
		"name=hello",
		"out=/frx/store/aaa-hello",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("environment:\ngot  %q\nwant %q", got, want)
	}
	spec.Env = nil
	for _, kv := range Environment(spec, "/build") {
		if kv == "PATH=/path-not-set" {
			return
		}
	}
	t.Errorf("PATH not set to /path-not-set when the derivation does not set it")
}

func TestValidateRefusesDangerousHostPaths(t *testing.T) {
	for _, hp := range []string{"/", "/frx/store/abc-foo", "/frx", "bin", "/usr/../etc"} {
		spec := &Spec{Builder: "/bin/sh", StoreDir: "/frx/store", BuildDir: "/tmp/b", HostPaths: []string{hp}}
		if err := spec.Validate(); err == nil {
			t.Errorf("host path %q accepted", hp)
		}
	}
	spec := &Spec{Builder: "/bin/sh", StoreDir: "/frx/store", BuildDir: "/tmp/b", Inputs: []string{"/etc/passwd"}}
	if err := spec.Validate(); err == nil {
		t.Errorf("input outside the store accepted")
	}
}

func TestMountPlanOrder(t *testing.T) {
	spec := &Spec{Builder: "/bin/sh", StoreDir: "/frx/store", BuildDir: "/tmp/b",
		Inputs: []string{"/frx/store/zzz-b", "/frx/store/aaa-a"}, HostPaths: []string{"/usr", "/bin"}}
	plan, err := MountPlan(spec, "/frx/store/.fruix-build-1")
	if err != nil {
		t.Fatal(err)
	}
	var targets []string
	for _, m := range plan {
		targets = append(targets, m.Target)
	}
	want := []string{"/bin", "/build", "/frx/store", "/frx/store/aaa-a", "/frx/store/zzz-b", "/usr"}
	if !reflect.DeepEqual(targets, want) {
		t.Errorf("plan targets %q, want %q", targets, want)
	}
	for _, m := range plan {
		if ro := m.Target != "/build" && m.Target != "/frx/store"; ro != m.ReadOnly {
			t.Errorf("%s: read-only=%v", m.Target, m.ReadOnly)
		}
	}
}
