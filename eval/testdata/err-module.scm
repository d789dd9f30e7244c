;; expect-error: 2:1: no code for module (does not exist)
(use-modules (does not exist))
