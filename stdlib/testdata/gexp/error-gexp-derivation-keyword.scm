;; expect-error: 3:1: gexp->derivation: unknown keyword #:output; did you mean `#:outputs'?
(use-modules (fruix gexp))
(gexp->derivation "x" #~(mkdir #$output) #:output '("out"))
