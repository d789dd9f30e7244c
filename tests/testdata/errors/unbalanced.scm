;; expect: 3:12: unexpected `)`
(define a 1)
(display a))
