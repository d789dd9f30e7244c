;;; assoc: association lists keyed by symbols, strings and integers, and a
;;; hash table written in portable Scheme over a vector of buckets;
;;; measures assq/assv/assoc, equal?, string hashing and list updates.
(define (make-keys n)
  (let loop ((i 0) (acc '()))
    (if (= i n)
        (reverse acc)
        (loop (+ i 1) (cons (string-append "key-" (number->string i)) acc)))))

(define keys (make-keys 200))
(define symbols (map string->symbol keys))

(define (build-alist keys)
  (let loop ((ks keys) (i 0) (alist '()))
    (if (null? ks)
        alist
        (loop (cdr ks) (+ i 1) (cons (cons (car ks) i) alist)))))

(define (alist-update key f alist)
  (cond ((null? alist) (list (cons key (f 0))))
        ((equal? (caar alist) key) (cons (cons key (f (cdar alist))) (cdr alist)))
        (else (cons (car alist) (alist-update key f (cdr alist))))))

(define (sum-lookups lookup keys alist)
  (let loop ((ks keys) (sum 0))
    (if (null? ks)
        sum
        (loop (cdr ks) (+ sum (cdr (lookup (car ks) alist)))))))

(define (string-hash-portable s size)
  (let loop ((i 0) (h 0))
    (if (= i (string-length s))
        h
        (loop (+ i 1) (modulo (+ (* h 31) (char->integer (string-ref s i))) size)))))

(define (make-table size) (make-vector size '()))

(define (table-set! table key value)
  (let* ((i (string-hash-portable key (vector-length table)))
         (bucket (vector-ref table i))
         (entry (assoc key bucket)))
    (if entry
        (set-cdr! entry value)
        (vector-set! table i (cons (cons key value) bucket)))))

(define (table-ref table key default)
  (let ((entry (assoc key (vector-ref table (string-hash-portable key (vector-length table))))))
    (if entry (cdr entry) default)))

(define (one-round n)
  (let* ((by-string (build-alist keys))
         (by-symbol (build-alist symbols))
         (by-number (build-alist (map (lambda (k) (string-length k)) keys)))
         (counts (let loop ((ks keys) (counts '()))
                   (if (null? ks)
                       counts
                       (loop (cdr ks)
                             (alist-update (string-length (car ks))
                                           (lambda (c) (+ c 1))
                                           counts)))))
         (table (make-table 101)))
    (for-each (lambda (k) (table-set! table k (string-length k))) keys)
    (for-each (lambda (k) (table-set! table k (+ 1 (table-ref table k 0)))) keys)
    (+ (sum-lookups assoc keys by-string)
       (sum-lookups assq symbols by-symbol)
       (sum-lookups assv '(5 6 7) by-number)
       (apply + (map cdr counts))
       (apply + (map (lambda (k) (table-ref table k 0)) keys))
       n)))

(define (run n)
  (let loop ((i 0) (total 0))
    (if (= i n)
        total
        (loop (+ i 1) (+ total (one-round i))))))

(display (run 600))
(newline)
