;; expect-error: 3:3: uncaught exception: (my-condition 42)
(define (fail)
  (raise (list 'my-condition 42)))
(fail)
