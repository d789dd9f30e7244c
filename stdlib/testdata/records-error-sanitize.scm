;; expect-error: 10:8: thing: field `count': count must be a non-negative integer: -1
(use-modules (fruix records))
(define (check-count n)
  (if (and (integer? n) (>= n 0)) n (error "count must be a non-negative integer:" n)))
(define-record-type* <thing> thing make-thing thing?
  (name thing-name)
  (count thing-count (sanitize check-count) (default 0)))
(define ok (thing (name "a") (count 2)))
(thing (name "b")
       (count -1))
