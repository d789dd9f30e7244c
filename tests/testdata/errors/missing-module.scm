;; expect: 2:1: no code for module (fruix no-such-module)
(use-modules (fruix no-such-module))
