;; expect-error: 4:3: gexp: ungexp outside a gexp
(use-modules (fruix gexp))
(define x 1)
  #$x
