package nsinit

import (
	"reflect"
	"testing"
)

func TestConfigRoundTrip(t *testing.T) {
	c := &Config{
		Root:    "/tmp/r",
		Plan:    []Mount{{Source: "/a", Target: "/b", ReadOnly: true}, {Source: "/lib/x.so", Target: "/lib/x.so", SkipIfPresent: true}},
		Builder: "/bin/sh", Args: []string{"-c", "echo 'a b'\n"}, Env: []string{"out=/frx/store/x", "EMPTY="},
		UID: 30001, GID: 30000, Network: true, Passwd: "root:x:0:0::/:/bin/sh\n", Group: "root:x:0:\n",
	}
	got, err := Decode(c.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Errorf("round trip:\n%+v\nwant\n%+v", got, c)
	}
	empty := &Config{}
	if got, err := Decode(empty.Encode()); err != nil || got.Root != "" || len(got.Plan) != 0 {
		t.Errorf("empty config: %+v %v", got, err)
	}
	for _, bad := range []string{"", "x\x00", "/r\x00999999\x00", "/r\x00zz\x00"} {
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("malformed %q accepted", bad)
		}
	}
}
