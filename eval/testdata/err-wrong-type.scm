;; expect-error: 4:5: car: argument 1: want pair, got integer
(define (first x)
  (let ((y x))
    (car y)))
(define (g) (list (first 5)))
(g)
