;; expect-error: 5:1: unterminated list
(define ok 1)
(define (broken x)
  (+ x 1)
