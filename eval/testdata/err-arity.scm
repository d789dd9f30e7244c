;; expect-error: 3:1: fib: wrong number of arguments: want 1, got 2
(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(fib 1 2)
