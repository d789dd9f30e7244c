;; (scheme process-context), (scheme time) and pk.
(import (scheme process-context) (scheme time))
(define (message-of thunk)
  (guard (e ((error-object? e) (error-object-message e)))
    (thunk)
    "no error"))

(test-equal "command-line" '("fruix-eval" "a" "b") (command-line))
(test-assert "get-environment-variable" (string? (get-environment-variable "PATH")))
(test-equal "get-environment-variable missing" #f (get-environment-variable "FRUIX_SURELY_NOT_SET_12345"))
(test-assert "get-environment-variables" (assoc "PATH" (get-environment-variables)))
(test-assert "current-second" (> (current-second) 1.6e9))
(test-assert "current-jiffy" (exact-integer? (current-jiffy)))
(test-assert "current-jiffy monotonic" (let* ((a (current-jiffy)) (b (current-jiffy))) (<= a b)))
(test-equal "jiffies-per-second" 1000000000 (jiffies-per-second))
(test-equal "exit is not caught by guard" 'escaped
  (call/cc (lambda (k)
    (with-exception-handler
      (lambda (e) (k 'caught))
      (lambda () (dynamic-wind (lambda () #f) (lambda () 'body) (lambda () #f)) 'escaped)))))
(test-equal "exit wrong type" "exit: argument 1: want exit status (integer or boolean), got string"
  (message-of (lambda () (exit "x"))))
(test-equal "pk returns last" 3 (pk 'a 2 3))
(test-equal "pk prints" "\n;;; (a \"b\")\n" (with-error-to-string (lambda () (pk 'a "b"))))
(test-equal "features" #t (and (memq 'r7rs (features)) #t))
