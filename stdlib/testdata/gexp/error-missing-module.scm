;; expect-error: 5:1: with-imported-modules: module (fruix build nope) not found
(use-modules (fruix gexp))
(define g (with-imported-modules '((fruix build nope))
            #~(begin (use-modules (fruix build nope)) (mkdir #$output))))
(gexp->derivation "x" g)
