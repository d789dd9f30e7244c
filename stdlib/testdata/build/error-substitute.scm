;; expect-error: 6:3: unbound variable `undefined-procedure'
;; An error in a substitute* clause's body points at the body.
(use-modules (fruix build utils))
(call-with-output-file "f" (lambda (p) (display "abc\n" p)))
(substitute* "f" (("b" all)
  (undefined-procedure all)))
