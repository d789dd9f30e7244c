;; expect-error: 4:35: gexp: cannot insert #<procedure car> (a procedure)
(use-modules (fruix gexp))
(define g
  #~(begin (display "x") (display #$car)))
(gexp->derivation "x" g)
