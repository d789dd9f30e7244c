;; expect-error: 3:11: gexp: ungexp-splicing outside a gexp
(use-modules (fruix gexp))
(list 1 2 #$@(list 3))
