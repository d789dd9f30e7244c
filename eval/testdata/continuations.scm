;; call/cc as escapes, call-with-escape-continuation, let/ec,
;; dynamic-wind.
(test-equal "escape" 42 (call/cc (lambda (k) (+ 1 (k 42)))))
(test-equal "no escape" 2 (call/cc (lambda (k) 2)))
(test-equal "escape from a loop" 3
  (call-with-current-continuation
    (lambda (return)
      (for-each (lambda (x) (if (> x 2) (return x))) '(1 2 3 4))
      'none)))
(test-equal "call/ec" 'out (call-with-escape-continuation (lambda (k) (k 'out) 'no)))
(test-equal "let/ec" 5 (let/ec k (+ 1 (k 5))))
(test-equal "multiple values through a continuation" '(1 2)
  (call-with-values (lambda () (call/cc (lambda (k) (k 1 2)))) list))
(test-equal "dynamic-wind order" '(before during after)
  (let ((log '()))
    (dynamic-wind
      (lambda () (set! log (cons 'before log)))
      (lambda () (set! log (cons 'during log)))
      (lambda () (set! log (cons 'after log))))
    (reverse log)))
(test-equal "escape runs after thunks of nested winds" '(in1 in2 out2 out1 escaped)
  (let ((log '()))
    (let ((r (call/cc (lambda (k)
               (dynamic-wind
                 (lambda () (set! log (cons 'in1 log)))
                 (lambda ()
                   (dynamic-wind
                     (lambda () (set! log (cons 'in2 log)))
                     (lambda () (k 'escaped))
                     (lambda () (set! log (cons 'out2 log)))))
                 (lambda () (set! log (cons 'out1 log))))))))
      (reverse (cons r log)))))
(test-equal "error through dynamic-wind runs after" '(after caught)
  (let ((log '()))
    (guard (e (#t (reverse (cons 'caught log))))
      (dynamic-wind (lambda () #f)
                    (lambda () (raise 'x))
                    (lambda () (set! log (cons 'after log)))))))
(test-equal "dynamic-wind value" 'v (dynamic-wind (lambda () 1) (lambda () 'v) (lambda () 2)))
(define saved #f)
(call/cc (lambda (k) (set! saved k)))
(test-error "dead continuation" "escape-only" (saved 1))
(test-equal "generator-style early exit" 'found
  (let/ec return
    (let loop ((i 0)) (if (= i 1000) (return 'found) (loop (+ i 1))))))
(test-equal "escape restores handlers" 'ok
  (begin
    (call/cc (lambda (k) (with-exception-handler (lambda (e) 'h) (lambda () (k 1)))))
    (guard (e (#t 'ok)) (raise 'x))))
(test-assert "continuations are procedures" (call/cc procedure?))
