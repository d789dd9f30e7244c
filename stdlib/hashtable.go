package stdlib

import (
	"math"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// HashTable is the one hash table type behind SRFI-69's and Guile's
// procedures. Entries are kept in insertion order, so iteration
// (hash-table->alist, hash-for-each, hash-fold ...) is the same on every
// run for the same operations: Fruix's outputs must be reproducible.
//
// Tables keyed by eq? or eqv? index normalized keys in a Go map; tables
// keyed by equal?, string=? or a user equivalence index by hash code.
// Looking a key up with a different equivalence than the table's (Guile
// lets hashq-ref be used on any table) still works: by bucket when the
// table hashes by equal?, by a linear scan otherwise.
type HashTable struct {
	kind     equivKind
	equiv    lang.Value // the equivalence procedure (SRFI-69 reflection)
	hashProc lang.Value // user hash procedure, or nil
	weak     bool       // created as a weak table; Fruix holds keys strongly

	index   map[any]int32    // eq?/eqv?/string=? tables: key → entry
	ints    map[int64]int32  // eq?/eqv? tables: fixnum keys, kept apart for speed
	buckets map[uint64]int32 // equal?/user tables: hash → first entry of its chain
	entries []htEntry
	live    int
}

type htEntry struct {
	key, value lang.Value
	hash       uint64
	next       int32 // next entry with the same hash in a bucketed table, or -1
	dead       bool
}

// TypeName implements lang.Named.
func (*HashTable) TypeName() string { return "hash-table" }

func newHashTable(kind equivKind, equiv, hashProc lang.Value) *HashTable {
	t := &HashTable{kind: kind, equiv: equiv, hashProc: hashProc}
	t.reset()
	return t
}

func (t *HashTable) reset() {
	t.entries = nil
	t.live = 0
	switch t.kind {
	case equivEq, equivEqv:
		t.index = map[any]int32{}
		t.ints = map[int64]int32{}
		t.buckets = nil
	case equivString: // string keys only: no fixnums to keep apart
		t.index = map[any]int32{}
		t.ints, t.buckets = nil, nil
	case equivUnset:
		t.index, t.ints, t.buckets = nil, nil, nil
	default:
		t.buckets = map[uint64]int32{}
		t.index, t.ints = nil, nil
	}
}

// head returns the first entry of the chain of hash h, or -1.
func (t *HashTable) head(h uint64) int32 {
	if i, ok := t.buckets[h]; ok {
		return i
	}
	return -1
}

// Len returns the number of entries.
func (t *HashTable) Len() int { return t.live }

// floatKey, bigKey and ratKey make eqv?-equal numbers equal Go map keys.
type (
	floatKey uint64
	bigKey   string
	ratKey   string
)

func eqvKey(v lang.Value) any {
	switch n := v.(type) {
	case lang.Flonum:
		return floatKey(math.Float64bits(float64(n)))
	case *lang.Bignum:
		return bigKey(n.String())
	case *lang.Ratnum:
		return ratKey(n.String())
	}
	return v
}

// eqKey is the map key for eq?: identity, except that flonums (which
// Go compares by value, NaN never equal) use their bits.
func eqKey(v lang.Value) any {
	if f, ok := v.(lang.Flonum); ok {
		return floatKey(math.Float64bits(float64(f)))
	}
	return v
}

// indexGet returns the entry of key in an indexed table, or -1.
func (t *HashTable) indexGet(key lang.Value) int {
	if n, ok := key.(lang.Fixnum); ok && t.kind != equivString {
		if i, ok := t.ints[int64(n)]; ok {
			return int(i)
		}
		return -1
	}
	k, ok := t.mapKey(key)
	if !ok {
		return -1
	}
	if i, ok := t.index[k]; ok {
		return int(i)
	}
	return -1
}

// indexSet records entry i for key in an indexed table; it reports false
// for a key the table cannot hold (a non-string in a string=? table).
func (t *HashTable) indexSet(key lang.Value, i int32) bool {
	if n, ok := key.(lang.Fixnum); ok && t.kind != equivString {
		t.ints[int64(n)] = i
		return true
	}
	k, ok := t.mapKey(key)
	if ok {
		t.index[k] = i
	}
	return ok
}

func (t *HashTable) indexDelete(key lang.Value) {
	if n, ok := key.(lang.Fixnum); ok && t.kind != equivString {
		delete(t.ints, int64(n))
		return
	}
	if k, ok := t.mapKey(key); ok {
		delete(t.index, k)
	}
}

// mapKey returns the Go map key for key in an indexed table.
func (t *HashTable) mapKey(key lang.Value) (any, bool) {
	switch t.kind {
	case equivEq:
		return eqKey(key), true
	case equivEqv:
		return eqvKey(key), true
	case equivString:
		if s, ok := key.(*lang.String); ok {
			return s.String(), true
		}
		return nil, false
	}
	return nil, false
}

// hashOf computes the bucket hash of key in a bucketed table.
func (t *HashTable) hashOf(th *eval.Thread, key lang.Value) (uint64, error) {
	if t.kind == equivEqual {
		return lang.HashEqual(key), nil
	}
	if t.hashProc == nil {
		return 0, nil // no hash function: one bucket, compared pairwise
	}
	h, err := call(th, t.hashProc, key)
	if err != nil {
		return 0, err
	}
	switch n := h.(type) {
	case lang.Fixnum:
		return uint64(n), nil
	case *lang.Bignum:
		return lang.HashEqual(n), nil
	}
	return 0, procErrorf("hash-table", "hash function returned %s, want exact integer", lang.TypeName(h))
}

func (t *HashTable) same(th *eval.Thread, a, b lang.Value) (bool, error) {
	switch t.kind {
	case equivEq:
		return lang.Eq(a, b), nil
	case equivEqv:
		return lang.Eqv(a, b), nil
	case equivEqual:
		return lang.Equal(a, b), nil
	}
	v, err := call(th, t.equiv, a, b)
	return lang.IsTrue(v), err
}

func sameBy(kind equivKind, a, b lang.Value) bool {
	switch kind {
	case equivEq:
		return lang.Eq(a, b)
	case equivEqv:
		return lang.Eqv(a, b)
	case equivString:
		sa, ok1 := a.(*lang.String)
		sb, ok2 := b.(*lang.String)
		return ok1 && ok2 && sa.String() == sb.String()
	}
	return lang.Equal(a, b)
}

// find returns the entry index of key under equivalence by (the table's
// own when by is equivOther), or -1; hash is the key's bucket hash when
// the table is bucketed and by is the table's own equivalence.
func (t *HashTable) find(th *eval.Thread, key lang.Value, by equivKind) (int, uint64, error) {
	if t.kind == equivUnset {
		return -1, 0, nil
	}
	if by == equivOther || by == t.kind {
		if t.index != nil {
			return t.indexGet(key), 0, nil
		}
		h, err := t.hashOf(th, key)
		if err != nil {
			return -1, 0, err
		}
		for i := t.head(h); i >= 0; i = t.entries[i].next {
			same, err := t.same(th, t.entries[i].key, key)
			if err != nil {
				return -1, 0, err
			}
			if same {
				return int(i), h, nil
			}
		}
		return -1, h, nil
	}
	if t.kind == equivEqual && (by == equivEq || by == equivEqv) {
		// Keys eq? or eqv? to key are equal? to it, so they hash alike.
		for i := t.head(lang.HashEqual(key)); i >= 0; i = t.entries[i].next {
			if sameBy(by, t.entries[i].key, key) {
				return int(i), 0, nil
			}
		}
		return -1, 0, nil
	}
	for i := range t.entries {
		if e := &t.entries[i]; !e.dead && sameBy(by, e.key, key) {
			return i, 0, nil
		}
	}
	return -1, 0, nil
}

// Ref returns the value for key, or ok=false.
func (t *HashTable) Ref(th *eval.Thread, key lang.Value, by equivKind) (v lang.Value, ok bool, err error) {
	i, _, err := t.find(th, key, by)
	if err != nil || i < 0 {
		return nil, false, err
	}
	return t.entries[i].value, true, nil
}

// Set stores value under key.
func (t *HashTable) Set(th *eval.Thread, key, value lang.Value, by equivKind) error {
	if t.kind == equivUnset {
		t.kind = by
		if by == equivOther || by == equivString {
			t.kind = equivEqual // SRFI-69 procedures on a Guile table
		}
		t.reset()
	}
	i, h, err := t.find(th, key, by)
	if err != nil {
		return err
	}
	if i >= 0 {
		t.entries[i].value = value
		return nil
	}
	if t.index == nil && by != equivOther && by != t.kind {
		// find looked the key up by another equivalence; a new key
		// goes in by the table's own hash.
		if h, err = t.hashOf(th, key); err != nil {
			return err
		}
	}
	idx := int32(len(t.entries))
	if t.index != nil {
		if !t.indexSet(key, idx) {
			return wrongType("hash-table-set!", 1, "string", key)
		}
	} else {
		t.grow()
		t.entries = append(t.entries, htEntry{key: key, value: value, hash: h, next: t.head(h)})
		t.buckets[h] = idx
		t.live++
		return nil
	}
	t.grow()
	t.entries = append(t.entries, htEntry{key: key, value: value, hash: h, next: -1})
	t.live++
	return nil
}

// grow makes room for one more entry, doubling the capacity: append's
// growth by a quarter for large slices copies a big table many times.
func (t *HashTable) grow() {
	if len(t.entries) < cap(t.entries) {
		return
	}
	bigger := make([]htEntry, len(t.entries), 2*cap(t.entries)+8)
	copy(bigger, t.entries)
	t.entries = bigger
}

// Delete removes key; it reports whether it was there.
func (t *HashTable) Delete(th *eval.Thread, key lang.Value, by equivKind) (bool, error) {
	i, _, err := t.find(th, key, by)
	if err != nil || i < 0 {
		return false, err
	}
	e := &t.entries[i]
	if t.index != nil {
		t.indexDelete(e.key)
	} else {
		// Unlink entry i from its bucket's chain.
		if head := t.buckets[e.hash]; int(head) == i {
			if e.next < 0 {
				delete(t.buckets, e.hash)
			} else {
				t.buckets[e.hash] = e.next
			}
		} else {
			for j := head; j >= 0; j = t.entries[j].next {
				if int(t.entries[j].next) == i {
					t.entries[j].next = e.next
					break
				}
			}
		}
	}
	*e = htEntry{dead: true}
	t.live--
	if len(t.entries) > 16 && t.live < len(t.entries)/2 {
		t.compact()
	}
	return true, nil
}

// compact drops dead entries, keeping the order of the live ones.
func (t *HashTable) compact() {
	old := t.entries
	t.entries = make([]htEntry, 0, t.live*2)
	clear(t.index)
	clear(t.ints)
	for k := range t.buckets {
		delete(t.buckets, k)
	}
	for _, e := range old {
		if e.dead {
			continue
		}
		idx := int32(len(t.entries))
		if t.index != nil {
			t.indexSet(e.key, idx)
		} else {
			e.next = t.head(e.hash)
			t.buckets[e.hash] = idx
		}
		t.entries = append(t.entries, e)
	}
}

// Clear removes every entry.
func (t *HashTable) Clear() { t.reset() }

// Each returns a snapshot of the live entries in insertion order, so the
// caller may call Scheme code that changes the table.
func (t *HashTable) Each() []htEntry {
	out := make([]htEntry, 0, t.live)
	for _, e := range t.entries {
		if !e.dead {
			out = append(out, e)
		}
	}
	return out
}

// Copy returns an independent table with the same entries.
func (t *HashTable) Copy() *HashTable {
	c := &HashTable{kind: t.kind, equiv: t.equiv, hashProc: t.hashProc, weak: t.weak}
	c.reset()
	c.entries = t.Each()
	c.live = len(c.entries)
	for i, e := range c.entries {
		if c.index != nil {
			c.indexSet(e.key, int32(i))
		} else {
			c.entries[i].next = c.head(e.hash)
			c.buckets[e.hash] = int32(i)
		}
	}
	return c
}

// valueSet is a set of values under eq?, eqv? or equal?, used to remove
// duplicates in linear time.
type valueSet struct {
	t  *HashTable
	th *eval.Thread
}

func newValueSet(kind equivKind) *valueSet {
	return &valueSet{t: newHashTable(kind, nil, nil)}
}

// add adds v and reports whether it was new.
func (s *valueSet) add(v lang.Value) bool {
	i, _, _ := s.t.find(nil, v, equivOther)
	if i >= 0 {
		return false
	}
	s.t.Set(nil, v, lang.True, equivOther)
	return true
}

// PrintScheme implements lang.Printable: #<hash-table 3 entries>.
func (t *HashTable) PrintScheme(p *lang.Printer, write bool) {
	p.WriteRaw("#<hash-table " + itoa(t.live) + " entries>")
}

func itoa(n int) string { return lang.NumberToString(lang.MakeInt(int64(n)), 10) }
