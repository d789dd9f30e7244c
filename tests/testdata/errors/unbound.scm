;; expect: 5:10: unbound variable `lenght'; did you mean `length'?
;; A misspelt name: the message suggests the closest bound one.
(define (sum-lengths lists)
  (apply + (map length lists)))
(display (lenght '(1 2 3)))
