package lang

import (
	"bytes"
	"hash/maphash"
	"math"
	"reflect"
)

// Eq reports whether a and b are the same object (eq?). Booleans, chars,
// fixnums and the singletons are compared by value, as immediates are in
// most Schemes; flonums are eq? when eqv?; everything else by identity.
func Eq(a, b Value) bool {
	switch x := a.(type) {
	case Fixnum:
		y, ok := b.(Fixnum)
		return ok && x == y
	case Char:
		y, ok := b.(Char)
		return ok && x == y
	case Boolean:
		y, ok := b.(Boolean)
		return ok && x == y
	case *Symbol:
		y, ok := b.(*Symbol)
		return ok && x == y
	case *Pair:
		y, ok := b.(*Pair)
		return ok && x == y
	case *Keyword:
		y, ok := b.(*Keyword)
		return ok && x == y
	case *String:
		y, ok := b.(*String)
		return ok && x == y
	case *Null:
		_, ok := b.(*Null)
		return ok
	case Flonum:
		y, ok := b.(Flonum)
		return ok && math.Float64bits(float64(x)) == math.Float64bits(float64(y))
	}
	return identical(a, b)
}

// identical compares two values of arbitrary type by identity without
// panicking on types Go cannot compare.
func identical(a, b Value) bool {
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	if ta != tb {
		return false
	}
	if ta == nil {
		return true
	}
	if !ta.Comparable() {
		return false
	}
	return a == b
}

// Eqv reports whether a and b are equivalent in the sense of eqv?: Eq,
// plus numbers of the same exactness with the same value (2 and 2.0 are
// not eqv?; 0.0 and -0.0 are not either).
func Eqv(a, b Value) bool {
	switch x := a.(type) {
	case *Bignum:
		y, ok := b.(*Bignum)
		return ok && x.Cmp(&y.Int) == 0
	case *Ratnum:
		y, ok := b.(*Ratnum)
		return ok && x.Cmp(&y.Rat) == 0
	}
	return Eq(a, b)
}

// Equal reports whether a and b are equal? : Eqv, or pairs, vectors,
// strings and bytevectors with Equal contents. It uses an explicit work
// list, so long lists and deep nesting cannot exhaust the Go stack, and
// after a large number of steps it switches to an algorithm that also
// terminates on circular structures.
func Equal(a, b Value) bool {
	type job struct {
		a, b   Value
		viaCdr bool
	}
	var work []job
	var uf *unionFind
	steps := 0
	viaCdr := false
	for {
		for {
			if Eqv(a, b) {
				break
			}
			switch x := a.(type) {
			case *Pair:
				y, ok := b.(*Pair)
				if !ok {
					return false
				}
				if steps++; steps > equalFastSteps && (!viaCdr || steps%equalCdrSampling == 0) {
					if uf == nil {
						uf = newUnionFind()
					}
					if !uf.union(x, y) {
						goto next // already assumed equal
					}
				}
				work = append(work, job{x.Cdr, y.Cdr, true})
				a, b, viaCdr = x.Car, y.Car, false
				continue
			case *Vector:
				y, ok := b.(*Vector)
				if !ok || len(x.Items) != len(y.Items) {
					return false
				}
				// A vector's elements count as steps too, so the fast phase
				// is bounded in work, not only in objects visited.
				if steps += 1 + len(x.Items); steps > equalFastSteps {
					if uf == nil {
						uf = newUnionFind()
					}
					if !uf.union(x, y) {
						goto next
					}
				}
				for i := len(x.Items) - 1; i >= 0; i-- {
					work = append(work, job{x.Items[i], y.Items[i], false})
				}
			case *String:
				y, ok := b.(*String)
				if !ok || x.String() != y.String() {
					return false
				}
			case *Bytevector:
				y, ok := b.(*Bytevector)
				if !ok || !bytes.Equal(x.Bytes, y.Bytes) {
					return false
				}
			default:
				return false
			}
			break
		}
	next:
		if len(work) == 0 {
			return true
		}
		j := work[len(work)-1]
		work = work[:len(work)-1]
		a, b, viaCdr = j.a, j.b, j.viaCdr
	}
}

// After equalFastSteps steps, Equal records the pairs of compound
// objects it compares in a union-find and skips comparisons it has
// already assumed equal. That bounds the work on circular data and on
// data with much shared structure (a DAG that unfolds to an exponential
// tree). Pairs reached through a cdr are recorded only every
// equalCdrSampling-th step, so long lists pay for one map operation per
// that many elements: a cycle along cdrs of length P is still noticed
// within equalCdrSampling*P steps, branching (which is what makes
// unfoldings exponential) goes through cars and vector elements, which
// are always recorded, and an assumption recorded for only some pairs is
// still sound, because it can only be wrong if the comparison fails
// elsewhere, which ends Equal with false anyway.
const (
	equalFastSteps   = 100000
	equalCdrSampling = 64
)

// unionFind keeps the classes of compound objects already assumed
// equal, after Adams and Dybvig's "Efficient nondestructive equality
// checking for trees and graphs". Pairs and vectors have separate
// pointer-keyed tables, which are much cheaper than interface keys.
type unionFind struct {
	pairs   map[*Pair]*Pair
	vectors map[*Vector]*Vector
}

func newUnionFind() *unionFind {
	return &unionFind{pairs: map[*Pair]*Pair{}, vectors: map[*Vector]*Vector{}}
}

// union merges the classes of x and y and reports whether they were
// distinct; x and y are both *Pair or both *Vector.
func (u *unionFind) union(x, y Value) bool {
	switch x := x.(type) {
	case *Pair:
		return unite(u.pairs, x, y.(*Pair))
	case *Vector:
		return unite(u.vectors, x, y.(*Vector))
	}
	panic("lang: unionFind of a non-compound value")
}

func unite[T comparable](parent map[T]T, x, y T) bool {
	rx, ry := find(parent, x), find(parent, y)
	if rx == ry {
		return false
	}
	parent[rx] = ry
	return true
}

func find[T comparable](parent map[T]T, x T) T {
	for {
		p, ok := parent[x]
		if !ok {
			return x
		}
		if gp, ok := parent[p]; ok {
			parent[x] = gp // path halving
		}
		x = p
	}
}

// Hashing: HashEqv is consistent with Eqv and HashEqual with Equal, for
// hash tables keyed by eqv? and equal?. Symbols, keywords, numbers,
// chars and strings hash by content, so tables keyed by them iterate in
// the same order in every run.

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func mix(h, x uint64) uint64 {
	h ^= x
	h *= 0x9E3779B97F4A7C15
	return h ^ h>>29
}

func hashString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return mix(h, uint64(len(s)))
}

func hashBytes(h uint64, s []byte) uint64 {
	for _, c := range s {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return mix(h, uint64(len(s)))
}

var identitySeed = maphash.MakeSeed()

// HashEq returns a hash of v consistent with Eq.
func HashEq(v Value) uint64 { return hashAtom(v, false) }

// HashEqv returns a hash of v consistent with Eqv.
func HashEqv(v Value) uint64 { return hashAtom(v, false) }

func hashAtom(v Value, content bool) uint64 {
	switch x := v.(type) {
	case Fixnum:
		return mix(1, uint64(x))
	case Flonum:
		return mix(2, math.Float64bits(float64(x)))
	case *Bignum:
		return hashBytes(3, x.Bytes()) + uint64(x.Sign())
	case *Ratnum:
		return mix(hashBytes(4, x.Num().Bytes()), hashBytes(5, x.Denom().Bytes()))
	case Char:
		return mix(6, uint64(x))
	case Boolean:
		if x {
			return 7
		}
		return 8
	case *Null:
		return 17
	case *Unspecified:
		return 18
	case *EOFObject:
		return 19
	case *Symbol:
		return hashString(9, x.Name)
	case *Keyword:
		return hashString(10, x.Name)
	case *String:
		if content {
			return hashString(11, x.String())
		}
	case *Bytevector:
		if content {
			return hashBytes(12, x.Bytes)
		}
	}
	return hashIdentity(v)
}

func hashIdentity(v Value) uint64 {
	if v == nil {
		return 0
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Chan, reflect.Func, reflect.Map, reflect.UnsafePointer:
		return mix(13, uint64(rv.Pointer()))
	}
	if rv.Type().Comparable() {
		return maphash.Comparable(identitySeed, v)
	}
	return hashString(14, rv.Type().String())
}

// HashEqual returns a hash of v consistent with Equal. It looks at a
// bounded number of elements, so it is fast on big structures and
// terminates on circular ones.
func HashEqual(v Value) uint64 {
	budget := 32
	return hashEqual(v, &budget)
}

func hashEqual(v Value, budget *int) uint64 {
	switch x := v.(type) {
	case *Pair:
		h := uint64(15)
		for {
			if *budget <= 0 {
				return h
			}
			*budget--
			h = mix(h, hashEqual(x.Car, budget))
			next, ok := x.Cdr.(*Pair)
			if !ok {
				return mix(h, hashEqual(x.Cdr, budget))
			}
			x = next
		}
	case *Vector:
		h := mix(16, uint64(len(x.Items)))
		for _, it := range x.Items {
			if *budget <= 0 {
				break
			}
			*budget--
			h = mix(h, hashEqual(it, budget))
		}
		return h
	}
	return hashAtom(v, true)
}
