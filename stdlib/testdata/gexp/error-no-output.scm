;; expect-error: 6:13: derivation tool has no output `dev' (outputs: out)
(use-modules (fruix gexp) (fruix derivations))
(define tool (derivation "tool" "/bin/sh" '()))
(gexp->derivation "user"
  #~(begin
      (list #$tool:dev)))
