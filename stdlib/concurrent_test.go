package stdlib_test

import (
	"bytes"
	"sync"
	"testing"

	"fruix.dev/fruix/lang"
)

// TestThreadsRunConcurrently runs library-heavy programs in several
// evaluators at once: all per-run state lives in the Thread, so they must
// not interfere (run with -race to check for data races).
func TestThreadsRunConcurrently(t *testing.T) {
	const program = `
(use-modules (srfi srfi-1) (srfi srfi-69) (ice-9 format) (ice-9 regex))
(define h (make-hash-table))
(for-each (lambda (i) (hash-set! h (format #f "k~a" i) i)) (iota 200))
(define sorted (sort (hash-map->list (lambda (k v) v) h) >))
(display (format #f "~a ~a ~a" (car sorted) (fold + 0 sorted)
                 (match:substring (string-match "[0-9]+" (with-output-to-string (lambda () (write sorted)))))))
`
	const want = "199 19900 199"
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out bytes.Buffer
			th := newThread(&out)
			if _, err := th.EvalString(&lang.Source{Name: "concurrent"}, program); err != nil {
				errs <- err.Error()
				return
			}
			if out.String() != want {
				errs <- "output " + out.String()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
