;; expect-error: 5:19: gexp: cannot insert #<point
(use-modules (fruix gexp) (srfi srfi-9))
(define-record-type point (make-point x) point? (x point-x))
(define p (make-point 1))
(define g #~(list #$p))
(lower-object (computed-file "x" g))
