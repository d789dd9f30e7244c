;; expect-error: 6:1: thing: missing field `name'
(use-modules (fruix records))
(define-record-type* <thing> thing make-thing thing?
  (name thing-name)
  (size thing-size (default 42)))
(thing
  (size 1))
