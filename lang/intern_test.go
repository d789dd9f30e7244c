package lang

import (
	"fmt"
	"sync"
	"testing"
)

// TestInternConcurrent interns the same new names from several
// goroutines at once, as a program's reader and its evaluator do: each
// name must still give one symbol (and one keyword).
func TestInternConcurrent(t *testing.T) {
	const goroutines, names = 4, 500
	syms := make([][]*Symbol, goroutines)
	kws := make([][]*Keyword, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range names {
				name := fmt.Sprintf("intern-test-%d", i)
				if g%2 == 0 {
					syms[g] = append(syms[g], Intern(name))
				} else {
					syms[g] = append(syms[g], internBytes([]byte(name)))
				}
				kws[g] = append(kws[g], InternKeyword(name))
			}
		}()
	}
	wg.Wait()
	for g := 1; g < goroutines; g++ {
		for i := range names {
			if syms[g][i] != syms[0][i] {
				t.Fatalf("goroutine %d got another symbol for %s", g, syms[0][i].Name)
			}
			if kws[g][i] != kws[0][i] {
				t.Fatalf("goroutine %d got another keyword for %s", g, kws[0][i].Name)
			}
		}
	}
	if s := Intern("intern-test-7"); s != syms[0][7] || s.Name != "intern-test-7" {
		t.Errorf("Intern after the fact: %p %q, want %p", s, s.Name, syms[0][7])
	}
}
