;; expect-error: 2:23: recursion too deep
(define (down n) (+ 1 (down (+ n 1))))
(down 0)
