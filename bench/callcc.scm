;;; callcc: call/cc used as an escape: early exit from searches, a
;;; generator-free "find first" over nested loops, and escapes through
;;; dynamic-wind. Measures the cost of capturing and invoking escape
;;; continuations.
(define (find-first pred lst)
  (call-with-current-continuation
   (lambda (return)
     (for-each (lambda (x) (if (pred x) (return x))) lst)
     #f)))

(define (product-with-escape lst)
  (call-with-current-continuation
   (lambda (return)
     (let loop ((l lst) (p 1))
       (cond ((null? l) p)
             ((= (car l) 0) (return 0))
             (else (loop (cdr l) (* p (car l)))))))))

(define (search-pair target n)
  (call-with-current-continuation
   (lambda (found)
     (do ((i 0 (+ i 1)))
         ((= i n) #f)
       (do ((j 0 (+ j 1)))
           ((= j n))
         (if (= (+ (* i i) (* j j)) target)
             (found (+ (* i 1000) j))))))))

(define unwinds 0)

(define (escape-through-wind depth)
  (call-with-current-continuation
   (lambda (k)
     (let nest ((d depth))
       (if (= d 0)
           (k depth)
           (dynamic-wind
            (lambda () #f)
            (lambda () (nest (- d 1)))
            (lambda () (set! unwinds (+ unwinds 1)))))))))

(define numbers
  (let loop ((i 1) (acc '()))
    (if (> i 60) (reverse acc) (loop (+ i 1) (cons (modulo (* i 7) 13) acc)))))

(define (run n)
  (let loop ((i 0) (total 0))
    (if (= i n)
        total
        (let* ((a (find-first (lambda (x) (> x 11)) numbers))
               (b (product-with-escape numbers))
               (c (product-with-escape '(1 2 3 4 5 6 7 8 9 10)))
               (d (search-pair 1325 40))
               (e (escape-through-wind 10)))
          (loop (+ i 1) (+ total a b c d e))))))

(display (run 20000))
(newline)
(display unwinds)
(newline)
