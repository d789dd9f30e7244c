;; expect: 4:8: recursion too deep
;; Non-tail recursion without end: a clean Scheme error, not a crash.
(define (count-up n)
  (+ 1 (count-up (+ n 1))))
(count-up 0)
