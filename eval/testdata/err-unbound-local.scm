;; expect-error: 4:5: unbound variable `countr'; did you mean `counter'?
(define (tally items)
  (let ((counter 0))
    (countr items)))
(tally '(1 2))
