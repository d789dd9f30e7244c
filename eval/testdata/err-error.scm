;; expect-error: 2:23: something broke: 1 "two"
(define (oops) (if #t (error "something broke:" 1 "two")))
(oops)
