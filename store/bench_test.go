package store

import (
	"fmt"
	"testing"

	"fruix.dev/fruix/derivation"
)

func benchStore(b *testing.B, noSync bool) *Store {
	root := b.TempDir()
	s, err := Open(Options{StoreDir: derivation.StoreDir(root + "/store"), StateDir: root + "/state", NoSync: noSync})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func benchmarkAddText(b *testing.B, noSync bool) {
	s := benchStore(b, noSync)
	i := 0
	for b.Loop() {
		if _, err := s.AddText(fmt.Sprintf("small-%d", i), []byte(fmt.Sprintf("small file %d", i)), nil); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkAddTextSynced(b *testing.B)   { benchmarkAddText(b, false) }
func BenchmarkAddTextUnsynced(b *testing.B) { benchmarkAddText(b, true) }

// Opening a store to own it against opening it to read it, then closing
// it: what fruix __valid-paths pays before its first lookup.
func benchmarkOpen(b *testing.B, readOnly bool) {
	s := benchStore(b, false)
	if _, err := s.AddText("one", []byte("one file"), nil); err != nil {
		b.Fatal(err)
	}
	opts := Options{StoreDir: s.Dir(), StateDir: s.StateDir()}
	s.Close()
	for b.Loop() {
		var err error
		if readOnly {
			var r *Reader
			if r, err = OpenReadOnly(opts); err == nil {
				err = r.Close()
			}
		} else {
			var s *Store
			if s, err = Open(opts); err == nil {
				err = s.Close()
			}
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenOwner(b *testing.B)    { benchmarkOpen(b, false) }
func BenchmarkOpenReadOnly(b *testing.B) { benchmarkOpen(b, true) }
