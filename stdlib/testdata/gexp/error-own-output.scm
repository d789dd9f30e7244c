;; expect-error: 4:36: gexp: #$output:doc: derivation thing has no output `doc' (outputs: out)
(use-modules (fruix gexp))
(gexp->derivation "thing"
  #~(begin (mkdir #$output) (mkdir #$output:doc))
  #:outputs '("out"))
