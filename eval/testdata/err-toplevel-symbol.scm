;; expect-error: 3:3: unbound variable `undefined-thing'
(define x 1)
  undefined-thing
