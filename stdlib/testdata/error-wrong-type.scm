;; expect-error: 5:12: string-append: argument 2: want string, got integer
;; A wrong-type argument deep inside a procedure is reported where the
;; builtin was called.
(define (greet name)
  (display (string-append "hello " name)))
(greet 42)
