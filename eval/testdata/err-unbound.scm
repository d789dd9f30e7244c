;; expect-error: 5:3: unbound variable `lenght'; did you mean `length'?
(define (f lst)
  (+ 1
     2
  (lenght lst)))
(f '(1 2))
