;; expect: 5:1: unterminated list: expected `)` to close `(` opened at 3:1
(define ok 1)
(define (broken x)
  (+ x 1)
