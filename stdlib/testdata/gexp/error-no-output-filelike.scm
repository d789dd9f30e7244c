;; expect-error: 5:28: derivation step has no output `lib' (outputs: out)
(use-modules (fruix gexp))
(define step (computed-file "step" #~(mkdir #$output)))
(define user (computed-file "user"
                #~(symlink #$step:lib #$output)))
(lower-object user)
