(define-module (test greet)
  #:export (greet))
(define secret-prefix "hello, ")
(define (greet who) (string-append secret-prefix who))
