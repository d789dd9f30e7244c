;; expect: 4:3: car: argument 1: want pair, got integer
;; A builtin given the wrong type, two procedures deep.
(define (first-of x)
  (car x))
(define (describe x)
  (list 'first (first-of x)))
(describe 42)
