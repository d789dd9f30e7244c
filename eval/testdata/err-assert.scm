;; expect-error: 2:1: assertion failed: (> 1 2)
(assert (> 1 2))
