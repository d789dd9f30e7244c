;;; Text processing: word frequencies with a hash table, sorting with a
;;; two-level order, string procedures Guix code uses (string-split,
;;; string-join, string-prefix?, string-index, string-pad), char case and
;;; assoc lists, quasiquote with unquote-splicing.
(use-modules (srfi srfi-1) (ice-9 match))

(define text "The quick brown fox jumps over the lazy dog. The dog sleeps;
the fox runs. A quick fox, a lazy dog, and THE END.")

(define (words s)
  (filter (lambda (w) (not (string-null? w)))
          (map (lambda (w) (string-downcase (string-trim-both w (lambda (c) (not (char-alphabetic? c))))))
               (string-split (string-map (lambda (c) (if (char=? c #\newline) #\space c)) s) #\space))))

(define counts (make-hash-table))
(for-each (lambda (w) (hash-set! counts w (+ 1 (hash-ref counts w 0)))) (words text))

(define ranked
  (sort (hash-map->list cons counts)
        (lambda (a b)
          (or (> (cdr a) (cdr b))
              (and (= (cdr a) (cdr b)) (string<? (car a) (car b)))))))

(for-each (match-lambda
            ((word . n)
             (display (string-pad word 8))
             (display (string-pad-right (make-string n #\*) 5))
             (display n)
             (newline)))
          (take ranked 6))

(define (initials name)
  (string-join (map (lambda (part) (string (char-upcase (string-ref part 0))))
                    (string-split name #\-))
               "."))
(display (map initials '("fruix-system-builder" "guix" "free-bsd")))
(newline)
(display (filter (lambda (w) (string-prefix? "th" w)) (delete-duplicates (words text))))
(newline)
(display (list (string-index "hello" #\l) (string-contains "a lazy dog" "lazy") (string-suffix? ".scm" "config.scm")))
(newline)
(define flags '("-O2" "-pipe"))
(write `(make "-j" ,(number->string 2) ,@flags "buildworld" (env ,@(map (lambda (f) (string-append "CFLAGS+=" f)) flags))))
(newline)
(write (assoc "fox" ranked))
(newline)
