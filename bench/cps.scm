;;; cps: programs in continuation-passing style; every step allocates and
;;; calls closures. Measures closure creation and calls of closures.
(define (fib-cps n k)
  (if (< n 2)
      (k n)
      (fib-cps (- n 1)
               (lambda (a)
                 (fib-cps (- n 2)
                          (lambda (b) (k (+ a b))))))))

(define (make-tree depth)
  (if (= depth 0)
      '()
      (list (make-tree (- depth 1)) depth (make-tree (- depth 1)))))

;; Sums a tree's labels in CPS, with a second "failure" continuation that
;; a leaf never takes: the shape of a backtracking search.
(define (tree-sum-cps tree k fail)
  (if (null? tree)
      (k 0)
      (tree-sum-cps (car tree)
                    (lambda (left)
                      (tree-sum-cps (caddr tree)
                                    (lambda (right) (k (+ left (cadr tree) right)))
                                    fail))
                    fail)))

(define (map-cps f lst k)
  (if (null? lst)
      (k '())
      (f (car lst)
         (lambda (v)
           (map-cps f (cdr lst) (lambda (rest) (k (cons v rest))))))))

(define (compose . fs)
  (if (null? fs)
      (lambda (x) x)
      (lambda (x) ((car fs) ((apply compose (cdr fs)) x)))))

(define (counter)
  (let ((n 0))
    (lambda () (set! n (+ n 1)) n)))

(define (run n)
  (let ((tick (counter))
        (tree (make-tree 12))
        (add3 (compose (lambda (x) (+ x 1)) (lambda (x) (+ x 2)))))
    (let loop ((i 0) (total 0))
      (if (= i n)
          (+ total (tick))
          (begin
            (tick)
            (loop (+ i 1)
                  (+ total
                     (fib-cps 18 (lambda (v) v))
                     (tree-sum-cps tree (lambda (v) v) (lambda () 0))
                     (apply + (map-cps (lambda (x k) (k (add3 x)))
                                       '(1 2 3 4 5 6 7 8 9 10)
                                       (lambda (v) v))))))))))

(display (run 300))
(newline)
