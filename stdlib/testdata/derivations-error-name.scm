;; expect-error: 5:3: derivation: argument 1 (name): 
(use-modules (fruix derivations))
(define ok (derivation "fine" "/bin/sh" '()))
(define bad
  (derivation "hello world" "/bin/sh" '()))
