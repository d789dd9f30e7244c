;; expect-error: 3:1: swap!: no syntax rule matches
(define-syntax swap! (syntax-rules () ((_ a b) (let ((t a)) (set! a b) (set! b t)))))
(swap! x)
