;; expect-error: 3:13: local-file: "files/etc": is a directory; give #:recursive? #t
(use-modules (fruix gexp))
(define etc (local-file "files/etc"))
