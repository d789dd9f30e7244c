;;; nqueens: counts the solutions of the n-queens puzzle by list
;;; manipulation; measures list allocation and recursion.
(define (iota1 n)
  (let loop ((i n) (l '()))
    (if (= i 0) l (loop (- i 1) (cons i l)))))

(define (queens board-size)
  (define (ok? row dist placed)
    (or (null? placed)
        (and (not (= (car placed) (+ row dist)))
             (not (= (car placed) (- row dist)))
             (ok? row (+ dist 1) (cdr placed)))))
  (define (try x y z)
    (if (null? x)
        (if (null? y) 1 0)
        (+ (if (ok? (car x) 1 z)
               (try (append (cdr x) y) '() (cons (car x) z))
               0)
           (try (cdr x) (cons (car x) y) z))))
  (try (iota1 board-size) '() '()))

(define (repeat n thunk)
  (let loop ((i 1) (result (thunk)))
    (if (= i n)
        result
        (loop (+ i 1) (thunk)))))

(display (repeat 50 (lambda () (queens 8))))
(newline)
(display (queens 11))
(newline)
