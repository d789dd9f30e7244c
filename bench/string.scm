;;; string: builds, scans and takes apart strings; measures string
;;; allocation, string-append, substring, number->string and characters.
(define (number-list->string ns)
  (let loop ((ns ns) (acc ""))
    (if (null? ns)
        acc
        (loop (cdr ns)
              (if (string=? acc "")
                  (number->string (car ns))
                  (string-append acc "," (number->string (car ns))))))))

(define (split-commas s)
  (let loop ((i 0) (start 0) (parts '()))
    (cond ((= i (string-length s))
           (reverse (cons (substring s start i) parts)))
          ((char=? (string-ref s i) #\,)
           (loop (+ i 1) (+ i 1) (cons (substring s start i) parts)))
          (else (loop (+ i 1) start parts)))))

(define (upcase-string s)
  (list->string (map char-upcase (string->list s))))

(define (reverse-string s)
  (let* ((n (string-length s))
         (r (make-string n #\space)))
    (do ((i 0 (+ i 1)))
        ((= i n) r)
      (string-set! r i (string-ref s (- n i 1))))))

(define (count-char s c)
  (let loop ((i 0) (n 0))
    (if (= i (string-length s))
        n
        (loop (+ i 1) (if (char=? (string-ref s i) c) (+ n 1) n)))))

(define (range a b)
  (if (>= a b) '() (cons a (range (+ a 1) b))))

(define (round-trip n)
  (let* ((s (number-list->string (range 0 n)))
         (parts (split-commas s))
         (sum (apply + (map string->number parts)))
         (word (upcase-string (string-append "fruix-" (number->string sum))))
         (rev (reverse-string s)))
    (+ sum (string-length word) (count-char rev #\1)
       (if (string=? (symbol->string (string->symbol word)) word) 1 0))))

(define (run k n)
  (let loop ((i 0) (total 0))
    (if (= i k)
        total
        (loop (+ i 1) (+ total (round-trip n))))))

(display (run 1500 400))
(newline)
