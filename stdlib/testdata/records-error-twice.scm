;; expect-error: 7:5: thing: field `size' given twice
(use-modules (fruix records))
(define-record-type* <thing> thing make-thing thing?
  (name thing-name)
  (size thing-size (default 42)))
(thing (name "a") (size 1)
    (size 2))
