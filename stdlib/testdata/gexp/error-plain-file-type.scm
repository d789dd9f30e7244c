;; expect-error: 4:3: plain-file: argument 2: want string or bytevector, got integer
(use-modules (fruix gexp))
(define ok (plain-file "a" "b"))
  (plain-file "hosts" 42)
