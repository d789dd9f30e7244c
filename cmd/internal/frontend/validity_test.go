package frontend

import (
	"fmt"
	"testing"
)

func TestPrefetchValidity(t *testing.T) {
	st := openTempStore(t)
	valid, err := st.AddText("present", []byte("x"), nil)
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{valid}
	for i := 0; i < 100; i++ {
		paths = append(paths, fmt.Sprintf("%s/%032d-missing", st.Dir(), i))
	}
	if _, err := PrefetchValidity(st, append(paths, "/elsewhere/x")); err == nil {
		t.Fatal("prefetchValidity of a path outside the store: no error")
	}
	known, err := PrefetchValidity(st, paths)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range paths {
		if ok, _ := known.IsValid(p); ok != (i == 0) {
			t.Errorf("%s: valid %v", p, ok)
		}
	}
}

// BenchmarkValidity compares asking the store about 30,000 paths one
// after the other and all at once, as a graph of 10,000 derivations
// needs.
func BenchmarkValidity(b *testing.B) {
	st := openTempStore(b)
	var paths []string
	for i := 0; i < 30000; i++ {
		paths = append(paths, fmt.Sprintf("%s/%032d-p%d", st.Dir(), 0, i))
	}
	b.Run("sequential", func(b *testing.B) {
		for n := 0; n < b.N; n++ {
			for _, p := range paths {
				if _, err := st.IsValid(p); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("prefetch", func(b *testing.B) {
		for n := 0; n < b.N; n++ {
			if _, err := PrefetchValidity(st, paths); err != nil {
				b.Fatal(err)
			}
		}
	})
}
