;; raise, raise-continuable, with-exception-handler, error objects, guard.
(test-equal "guard catches raise" 42 (guard (e (#t e)) (raise 42)))
(test-equal "guard clause selection" 'sym
  (guard (e ((string? e) 'str) ((symbol? e) 'sym)) (raise 'boom)))
(define (assq k l) (cond ((null? l) #f) ((eq? (car (car l)) k) (car l)) (else (assq k (cdr l)))))
(test-equal "guard =>" 'b (guard (e ((assq 'a e) => cdr) ((assq 'b e))) (raise (list (cons 'a 'b)))))
(test-equal "guard => second clause" '(b . 23) (guard (e ((assq 'a e) => cdr) ((assq 'b e))) (raise (list (cons 'b 23)))))
(test-equal "guard else" 'other (guard (e ((string? e) 'str) (else 'other)) (raise 1)))
(test-equal "guard body value" 3 (guard (e (#t 'no)) (+ 1 2)))
(test-equal "error object" '("bad thing:" (1 2))
  (guard (e ((error-object? e) (list (error-object-message e) (error-object-irritants e))))
    (error "bad thing:" 1 2)))
(test-equal "builtin errors are error objects" #t
  (guard (e (#t (error-object? e))) (car 5)))
(test-equal "wrong-type message" "car: argument 1: want pair, got integer"
  (guard (e (#t (error-object-message e))) (car 5)))
(test-equal "error kind" 'wrong-type-arg (guard (e (#t (error-object-kind e))) (car 5)))
(test-equal "unbound variable is catchable" 'unbound-variable
  (guard (e (#t (error-object-kind e))) (eval 'surely-not-bound)))
(test-equal "raise-continuable" 43
  (with-exception-handler
    (lambda (c) 42)
    (lambda () (+ (raise-continuable 'oops) 1))))
(test-equal "handler runs in the raise's dynamic context minus itself" 'outer
  (guard (e (#t e))
    (with-exception-handler
      (lambda (c) (raise 'outer))
      (lambda () (raise 'inner)))))
(test-error "handler returning from raise is an error" "non-continuable"
  (with-exception-handler (lambda (c) 'ignored) (lambda () (raise 'x))))
(test-equal "handler escapes with a continuation" 'escaped
  (call/cc (lambda (k)
    (with-exception-handler (lambda (c) (k 'escaped)) (lambda () (car '()))))))
(test-equal "guard re-raises when no clause matches" 'outer-caught
  (guard (e ((eq? e 'x) 'outer-caught))
    (guard (e ((eq? e 'y) 'inner-caught))
      (raise 'x))))
(test-equal "re-raise is continuable" 11
  (with-exception-handler
    (lambda (c) 10)
    (lambda () (+ 1 (guard (e (#f 'never)) (raise-continuable 'z))))))
(test-equal "nested handlers" '(inner outer)
  (let ((log '()))
    (guard (e (#t (reverse log)))
      (with-exception-handler
        (lambda (c) (set! log (cons 'outer log)) (raise c))
        (lambda ()
          (with-exception-handler
            (lambda (c) (set! log (cons 'inner log)) (raise c))
            (lambda () (raise 'boom))))))))
(test-equal "error with symbol first" "my-proc: went wrong"
  (guard (e (#t (error-object-message e))) (error 'my-proc "went wrong")))
(test-assert "file-error? false" (not (guard (e (#t (file-error? e))) (error "x"))))
(test-assert "file-error? on load of missing file" (guard (e (#t (file-error? e))) (load "/nonexistent/file.scm")))
(define (eval-string-via-load) (load "bad-syntax.data"))
(test-assert "read-error?" (guard (e (#t (read-error? e))) (eval-string-via-load)))
(test-equal "assert passes" #t (begin (assert (= 1 1)) #t))
(test-error "assert fails" "assertion failed: (= 1 2)" (assert (= 1 2)))
(test-error "error message" "boom 1 \"two\"" (error "boom" 1 "two"))
(define-record-type pt (make-pt x) pt? (x pt-x))
(test-equal "raise of a record" 'point
  (guard (e ((pt? e) 'point)) (raise (make-pt 1))))
(test-equal "guard restores parameterize" 1
  (let ((p (make-parameter 1)))
    (guard (e (#t (p))) (parameterize ((p 2)) (raise 'x)))))
(test-equal "arity errors are catchable" 'wrong-number-of-args
  (guard (e (#t (error-object-kind e))) ((lambda (x) x))))
