;;; Library benchmark: sort a list and a vector of 100,000 pseudo-random
;;; integers, five times. Portable to Guile: (sort seq less?) is Guile's.
(define (random-list n seed)
  (let loop ((i 0) (x seed) (acc '()))
    (if (= i n)
        acc
        (let ((next (modulo (+ (* x 1103515245) 12345) 2147483648)))
          (loop (+ i 1) next (cons next acc))))))
(define data (random-list 100000 42))
(define (check l) (if (null? l) 0 (car l)))
(let loop ((k 0) (acc 0))
  (if (< k 5)
      (loop (+ k 1) (+ acc (check (sort data <)) (vector-ref (sort (list->vector data) <) 0)))
      (begin (display acc) (newline))))
