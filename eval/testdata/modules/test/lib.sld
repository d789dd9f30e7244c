(define-library (test lib)
  (export lib-double (rename triple lib-triple))
  (import (scheme base))
  (begin
    (define (lib-double x) (* 2 x))
    (define (triple x) (* 3 x))))
