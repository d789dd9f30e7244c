;; expect-error: 6:1: gexp compiler for thing returned 42
(use-modules (fruix gexp) (srfi srfi-9))
(define-record-type <thing> (make-thing n) thing? (n thing-n))
(define-gexp-compiler (thing-compiler (t <thing>) system target)
  42)
(lower-object (make-thing 1))
