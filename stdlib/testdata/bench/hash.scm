;;; Library benchmark: Guile hash tables with string and integer keys:
;;; 200,000 hash-set! and 400,000 hash-ref, then a hash-fold.
(define (key i) (string-append "key-" (number->string i)))
(define t (make-hash-table))
(define u (make-hash-table))
(let loop ((i 0))
  (when (< i 200000)
    (hash-set! t (key (modulo i 50000)) i)
    (hashv-set! u i (* i 2))
    (loop (+ i 1))))
(define total
  (let loop ((i 0) (sum 0))
    (if (< i 200000)
        (loop (+ i 1) (+ sum (hash-ref t (key (modulo i 50000)) 0) (hashv-ref u i 0)))
        sum)))
(display (+ total (hash-fold (lambda (k v acc) (+ acc 1)) 0 t) (hash-fold (lambda (k v acc) (+ acc 1)) 0 u)))
(newline)
