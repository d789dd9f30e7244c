;; expect-error: 3:10: derivation: #:hash: a sha256 hash is 32 bytes, got 16
(use-modules (fruix derivations))
(display (derivation "src" "/bin/fetch" '() #:hash (make-bytevector 16 0)))
