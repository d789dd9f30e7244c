package lang

import (
	"math"
	"testing"
)

func TestEquivalence(t *testing.T) {
	s1, s2 := NewString("abc"), NewString("abc")
	big1, big2 := mustNum(t, "100000000000000000000"), mustNum(t, "100000000000000000000")
	rat1, rat2 := mustNum(t, "1/3"), mustNum(t, "1/3")
	l1, l2 := List(MakeInt(1), s1), List(MakeInt(1), s2)
	v1, v2 := &Vector{Items: []Value{l1}}, &Vector{Items: []Value{l2}}
	tests := []struct {
		a, b           Value
		eq, eqv, equal bool
	}{
		{MakeInt(5), MakeInt(5), true, true, true},
		{Fixnum(1 << 40), Fixnum(1 << 40), true, true, true},
		{MakeInt(2), Flonum(2), false, false, false},
		{Flonum(1.5), Flonum(1.5), true, true, true},
		{Flonum(0), Flonum(math.Copysign(0, -1)), false, false, false},
		{big1, big2, false, true, true},
		{rat1, rat2, false, true, true},
		{Char('a'), Char('a'), true, true, true},
		{True, True, true, true, true},
		{True, False, false, false, false},
		{Nil, Nil, true, true, true},
		{Intern("x"), Intern("x"), true, true, true},
		{InternKeyword("x"), InternKeyword("x"), true, true, true},
		{Intern("x"), InternKeyword("x"), false, false, false},
		{s1, s1, true, true, true},
		{s1, s2, false, false, true},
		{s1, NewString("abd"), false, false, false},
		{l1, l2, false, false, true},
		{l1, List(MakeInt(1)), false, false, false},
		{v1, v2, false, false, true},
		{&Vector{}, &Vector{}, false, false, true},
		{&Bytevector{Bytes: []byte{1}}, &Bytevector{Bytes: []byte{1}}, false, false, true},
		{&Bytevector{Bytes: []byte{1}}, &Bytevector{Bytes: []byte{2}}, false, false, false},
		{Cons(MakeInt(1), MakeInt(2)), Cons(MakeInt(1), MakeInt(2)), false, false, true},
		{Cons(MakeInt(1), MakeInt(2)), Cons(MakeInt(1), MakeInt(3)), false, false, false},
		{Unspec, Unspec, true, true, true},
		{EOF, Unspec, false, false, false},
		{namedThing{}, namedThing{}, true, true, true},
	}
	for i, tt := range tests {
		if Eq(tt.a, tt.b) != tt.eq || Eqv(tt.a, tt.b) != tt.eqv || Equal(tt.a, tt.b) != tt.equal {
			t.Errorf("%d: %s vs %s: eq %v eqv %v equal %v", i, WriteString(tt.a), WriteString(tt.b),
				Eq(tt.a, tt.b), Eqv(tt.a, tt.b), Equal(tt.a, tt.b))
		}
		if tt.eqv && HashEqv(tt.a) != HashEqv(tt.b) {
			t.Errorf("%d: eqv values hash differently", i)
		}
		if tt.equal && HashEqual(tt.a) != HashEqual(tt.b) {
			t.Errorf("%d: equal values hash differently", i)
		}
	}
	// Values Go cannot compare must not panic.
	f := func() {}
	if Eq(f, f) || Equal([]int{1}, []int{1}) {
		t.Error("uncomparable values compared equal")
	}
	HashEqual(f)
	HashEqual([]int{1})
}

func TestEqualLongAndCircular(t *testing.T) {
	a := List(make([]Value, 150000)...)
	b := List(make([]Value, 150000)...)
	for p, q := a.(*Pair), b.(*Pair); p != nil; {
		p.Car, q.Car = MakeInt(7), MakeInt(7)
		np, _ := p.Cdr.(*Pair)
		nq, _ := q.Cdr.(*Pair)
		p, q = np, nq
	}
	if !Equal(a, b) {
		t.Error("long equal lists are not Equal")
	}
	// Deep nesting in the car.
	var x, y Value = Nil, Nil
	for i := 0; i < 150000; i++ {
		x, y = List(x), List(y)
	}
	if !Equal(x, y) {
		t.Error("deeply nested equal lists are not Equal")
	}
	// Circular lists of different periods that unfold to the same stream.
	c1 := Cons(MakeInt(1), Nil)
	c1.Cdr = c1
	c2 := Cons(MakeInt(1), Cons(MakeInt(1), Nil))
	c2.Cdr.(*Pair).Cdr = c2
	if !Equal(c1, c2) {
		t.Error("equal circular lists are not Equal")
	}
	c3 := Cons(MakeInt(1), Cons(MakeInt(2), Nil))
	c3.Cdr.(*Pair).Cdr = c3
	if Equal(c1, c3) {
		t.Error("different circular lists are Equal")
	}
	HashEqual(c1)
}

// sharedDAG builds a datum of n levels whose unfolding is a tree of 2^n
// leaves: level i is a list holding level i-1 twice.
func sharedDAG(n int) Value {
	var v Value = Intern("leaf")
	for i := 0; i < n; i++ {
		v = List(v, v)
	}
	return v
}

func TestEqualSharedStructure(t *testing.T) {
	// Unfolded, these are trees of 2^60 leaves; Equal must not walk them.
	if !Equal(sharedDAG(60), sharedDAG(60)) {
		t.Error("equal DAGs are not Equal")
	}
	if Equal(sharedDAG(60), sharedDAG(59)) {
		t.Error("different DAGs are Equal")
	}
	cdrDAG := func() Value {
		var v Value = Nil
		for range 60 {
			v = Cons(v, v) // shared through both car and cdr
		}
		return v
	}
	if !Equal(cdrDAG(), cdrDAG()) {
		t.Error("equal car/cdr DAGs are not Equal")
	}
}

func BenchmarkEqualLongList(b *testing.B) {
	x := List(make([]Value, 1000000)...)
	y := List(make([]Value, 1000000)...)
	for b.Loop() {
		if !Equal(x, y) {
			b.Fatal("not equal")
		}
	}
}

func TestEqualCircularVectors(t *testing.T) {
	mk := func() *Vector {
		v := &Vector{Items: make([]Value, 1001)}
		for i := range 1000 {
			v.Items[i] = MakeInt(int64(i))
		}
		v.Items[1000] = v
		return v
	}
	// Without counting elements as work, this took a billion steps.
	if !Equal(mk(), mk()) {
		t.Error("equal circular vectors are not Equal")
	}
}

// TestHashesAreStable pins the hashes of content-hashed values: hash
// tables keyed by symbols, strings and numbers must iterate in the same
// order in every run and on every machine, so that what a configuration
// computes from such a table (a derivation, say) is reproducible.
func TestHashesAreStable(t *testing.T) {
	for _, tt := range []struct {
		got, want uint64
	}{
		{HashEqual(List(Intern("a"), NewString("b"), MakeInt(3), Char('c'), Flonum(1.5))), 0x4f7f0e7416e4ceda},
		{HashEqv(Intern("define")), 0x431e806ff460b8e},
		{HashEqual(InternKeyword("key")), 0x5665c5d3f5d82ee0},
	} {
		if tt.got != tt.want {
			t.Errorf("hash %#x, want %#x", tt.got, tt.want)
		}
	}
}
