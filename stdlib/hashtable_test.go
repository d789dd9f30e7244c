package stdlib

import (
	"fmt"
	"math/rand"
	"testing"

	"fruix.dev/fruix/lang"
)

// TestHashTableAgainstModel drives tables of each equivalence with random
// operations and checks them against a simple ordered model: same
// contents, and iteration in insertion order, whatever deletions and
// compactions happened.
func TestHashTableAgainstModel(t *testing.T) {
	keyOf := func(r *rand.Rand) lang.Value {
		switch n := r.Intn(50); {
		case n < 20:
			return lang.MakeInt(int64(n))
		case n < 35:
			return lang.NewString(fmt.Sprint("k", n))
		default:
			return lang.List(lang.Intern("p"), lang.MakeInt(int64(n)))
		}
	}
	for _, kind := range []equivKind{equivEqual, equivEqv} {
		r := rand.New(rand.NewSource(int64(kind) + 1))
		tab := newHashTable(kind, nil, nil)
		type entry struct{ k, v lang.Value }
		var model []entry
		find := func(k lang.Value) int {
			for i, e := range model {
				if sameBy(kind, e.k, k) {
					return i
				}
			}
			return -1
		}
		for step := 0; step < 3000; step++ {
			k := keyOf(r)
			switch r.Intn(3) {
			case 0, 1:
				v := lang.MakeInt(int64(step))
				if err := tab.Set(nil, k, v, equivOther); err != nil {
					t.Fatal(err)
				}
				if i := find(k); i >= 0 {
					model[i].v = v
				} else {
					model = append(model, entry{k, v})
				}
			case 2:
				ok, _ := tab.Delete(nil, k, equivOther)
				i := find(k)
				if ok != (i >= 0) {
					t.Fatalf("kind %d step %d: delete %s reported %v", kind, step, lang.WriteString(k), ok)
				}
				if i >= 0 {
					model = append(model[:i], model[i+1:]...)
				}
			}
			if step%7 != 0 {
				continue
			}
			got := tab.Each()
			if len(got) != len(model) || tab.Len() != len(model) {
				t.Fatalf("kind %d step %d: %d entries, want %d", kind, step, len(got), len(model))
			}
			for i := range got {
				if !sameBy(kind, got[i].key, model[i].k) || got[i].value != model[i].v {
					t.Fatalf("kind %d step %d: entry %d is %s, want %s", kind, step, i, lang.WriteString(got[i].key), lang.WriteString(model[i].k))
				}
			}
		}
	}
}

// TestHashTableLookupAcrossEquivalences checks Guile's mixing of hashq-,
// hashv- and hash- procedures on one table.
func TestHashTableLookupAcrossEquivalences(t *testing.T) {
	tab := newHashTable(equivEqual, nil, nil)
	key := lang.List(lang.MakeInt(1))
	tab.Set(nil, key, lang.True, equivEqual)
	if _, ok, _ := tab.Ref(nil, key, equivEq); !ok {
		t.Error("eq? lookup of the same object in an equal? table failed")
	}
	if _, ok, _ := tab.Ref(nil, lang.List(lang.MakeInt(1)), equivEq); ok {
		t.Error("eq? lookup found an equal but distinct key")
	}
	if _, ok, _ := tab.Ref(nil, lang.List(lang.MakeInt(1)), equivEqual); !ok {
		t.Error("equal? lookup of an equal key failed")
	}
	eqTab := newHashTable(equivEq, nil, nil)
	eqTab.Set(nil, lang.NewString("a"), lang.True, equivEq)
	if _, ok, _ := eqTab.Ref(nil, lang.NewString("a"), equivEqual); !ok {
		t.Error("equal? lookup in an eq? table failed")
	}
}

func TestMergeSortStable(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for n := 0; n < 200; n++ {
		items := make([]lang.Value, n)
		for i := range items {
			// Pairs (key . original-index); sorting by key only.
			items[i] = lang.Cons(lang.MakeInt(int64(r.Intn(5))), lang.MakeInt(int64(i)))
		}
		calls := 0
		less := func(a, b lang.Value) (bool, error) {
			calls++
			return a.(*lang.Pair).Car.(lang.Fixnum) < b.(*lang.Pair).Car.(lang.Fixnum), nil
		}
		if err := mergeSort(items, make([]lang.Value, n), less); err != nil {
			t.Fatal(err)
		}
		for i := 1; i < n; i++ {
			a, b := items[i-1].(*lang.Pair), items[i].(*lang.Pair)
			if a.Car.(lang.Fixnum) > b.Car.(lang.Fixnum) ||
				a.Car == b.Car && a.Cdr.(lang.Fixnum) > b.Cdr.(lang.Fixnum) {
				t.Fatalf("n=%d: not stably sorted at %d: %s", n, i, lang.WriteString(lang.List(items...)))
			}
		}
		if n > 1 && calls > 2*n*bitsOf(n) {
			t.Errorf("n=%d: %d comparisons, more than O(n log n)", n, calls)
		}
	}
}

func bitsOf(n int) int {
	b := 0
	for ; n > 0; n >>= 1 {
		b++
	}
	return b
}
