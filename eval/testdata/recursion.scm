;; Deep non-tail recursion works up to the depth limit, then fails with a
;; clean Scheme error that guard can catch.
(define (deep n) (if (= n 0) 0 (+ 1 (deep (- n 1)))))
(test-equal "50000 deep" 50000 (deep 50000))
(define (build n) (if (= n 0) '() (cons n (build (- n 1)))))
(test-equal "deep list building" 50000 (length (build 50000)))
(test-error "infinite recursion is a Scheme error" "recursion too deep"
  (let f ((n 0)) (+ 1 (f (+ n 1)))))
(test-error "kind of the error" resource-limit
  (let f ((n 0)) (+ 1 (f (+ n 1)))))
(test-equal "the evaluator works after the error" 10 (deep 10))
(test-equal "guard catches recursion too deep" 'caught
  (guard (e (#t 'caught)) (let f () (+ 1 (f)))))
