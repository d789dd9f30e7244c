;; expect-error: 3:1: computed-file: argument 2: want gexp (#~...), got pair
(use-modules (fruix gexp))
(computed-file "x" '(mkdir out))
