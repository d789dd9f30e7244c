;; expect-error: 4:1: hash-table-ref: argument 2: no value for key missing
(use-modules (srfi srfi-69))
(define t (make-hash-table))
(hash-table-ref t (quote missing))
