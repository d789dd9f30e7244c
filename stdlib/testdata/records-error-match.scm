;; expect-error: 7:31: match-record: thing: unknown field `sise'; did you mean `size'?
(use-modules (fruix records))
(define-record-type* <thing> thing make-thing thing?
  (name thing-name)
  (size thing-size (default 42)))
(define x (thing (name "x")))
(match-record x <thing> (name (sise s)) s)
