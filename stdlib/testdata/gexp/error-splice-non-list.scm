;; expect-error: 3:37: gexp: #$@ wants a list to splice, got 5
(use-modules (fruix gexp))
(gexp->derivation "x" #~(list 1 2 3 #$@5))
