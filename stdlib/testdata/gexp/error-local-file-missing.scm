;; expect-error: 4:3: local-file: "x.conf": no such file (looked in 
(use-modules (fruix gexp))
(define ok (local-file "files/motd"))
  (local-file "x.conf")
