package main

import (
	"bytes"
	"reflect"
	"testing"
)

func TestParseArgs(t *testing.T) {
	tests := []struct {
		argv []string
		want invocation
	}{
		{[]string{"a.scm"}, invocation{files: []string{"a.scm"}}},
		{[]string{"-L", "lib", "a.scm", "b.scm"}, invocation{loadPath: []string{"lib"}, files: []string{"a.scm", "b.scm"}}},
		{[]string{"-L", "x", "-L=y", "-e", "(+ 1 2)"}, invocation{loadPath: []string{"x", "y"}, exprs: []string{"(+ 1 2)"}}},
		{[]string{"a.scm", "-e", "(f)", "b.scm"}, invocation{exprs: []string{"(f)"}, files: []string{"a.scm", "b.scm"}}},
		{[]string{"-"}, invocation{files: []string{"-"}}},
		{[]string{"a.scm", "--", "-x", "--", "y"}, invocation{files: []string{"a.scm"}, args: []string{"-x", "--", "y"}}},
		{[]string{"-e", "--", "a.scm"}, invocation{exprs: []string{"--"}, files: []string{"a.scm"}}},
		{[]string{"-s", "run.scm", "a", "-e", "--", "b"}, invocation{script: "run.scm", files: []string{"run.scm"}, args: []string{"a", "-e", "--", "b"}}},
		{[]string{"-L", "/m", "lib.scm", "--s", "run.scm"}, invocation{loadPath: []string{"/m"}, script: "run.scm", files: []string{"lib.scm", "run.scm"}}},
		{[]string{"a.scm", "--", "-s", "x"}, invocation{files: []string{"a.scm"}, args: []string{"-s", "x"}}},
		{[]string{"-e", "-s", "a.scm"}, invocation{exprs: []string{"-s"}, files: []string{"a.scm"}}},
		{[]string{"--store-dir", "--", "a.scm"}, invocation{files: []string{"a.scm"}, graph: graphOptions{storeDir: "--"}}},
		{[]string{"--help"}, invocation{help: true}},
		{[]string{"-h", "a.scm"}, invocation{help: true, files: []string{"a.scm"}}},
	}
	for _, tt := range tests {
		var errOut bytes.Buffer
		got, err := parseArgs(tt.argv, &errOut)
		if err != nil {
			t.Errorf("parseArgs(%q): %v (%s)", tt.argv, err, errOut.String())
			continue
		}
		if tt.want.graph.format == "" {
			tt.want.graph.format = "text"
		}
		if !reflect.DeepEqual(*got, tt.want) {
			t.Errorf("parseArgs(%q) = %+v, want %+v", tt.argv, *got, tt.want)
		}
	}
}

func TestParseArgsBadUsage(t *testing.T) {
	for _, argv := range [][]string{
		{},
		{"-L"},
		{"-e"},
		{"--frobnicate", "a.scm"},
		{"-q", "a.scm"},
		{"--", "a.scm"}, // after -- everything is an argument: nothing to evaluate
		{"-s"},          // no script
		{"-e", "(f)", "-s", "run.scm"},
		{"--build", "-s", "run.scm"},
	} {
		var errOut bytes.Buffer
		if _, err := parseArgs(argv, &errOut); err != errUsage {
			t.Errorf("parseArgs(%q): err = %v, want errUsage", argv, err)
		}
		if !bytes.Contains(errOut.Bytes(), []byte("usage: fruix-eval")) {
			t.Errorf("parseArgs(%q): no usage message in %q", argv, errOut.String())
		}
	}
}

func TestSplitLoadPath(t *testing.T) {
	got := splitLoadPath("a::b:")
	if want := []string{"a", "b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("splitLoadPath = %q, want %q", got, want)
	}
	if got := splitLoadPath(""); len(got) != 0 {
		t.Errorf("splitLoadPath(\"\") = %q, want nothing", got)
	}
}
