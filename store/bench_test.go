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
