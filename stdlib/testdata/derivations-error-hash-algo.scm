;; expect-error: 4:3: derivation: #:hash-algo: unknown hash algorithm "sha257"
(use-modules (fruix derivations))
(define src
  (derivation "src" "/bin/fetch" '()
              #:hash "0000000000000000000000000000000000000000000000000000000000000000"
              #:hash-algo 'sha257))
