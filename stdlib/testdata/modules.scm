;; The library modules import as R7RS and Guile programs expect.
(define-library (test stdlib-imports)
  (import (scheme base) (scheme char) (scheme cxr) (scheme inexact)
          (scheme complex) (scheme read) (scheme write) (scheme file)
          (scheme process-context) (scheme time) (scheme lazy)
          (scheme case-lambda))
  (export run)
  (begin
    (define (run)
      (list (char-upcase #\a) (caddr '(1 2 3)) (exact (floor (sqrt 16)))
            (real-part 2) (read (open-input-string "x"))
            (let ((o (open-output-string))) (write "w" o) (get-output-string o))
            (file-exists? "/nonexistent/fruix") (pair? (command-line))
            (exact-integer? (current-jiffy)) (force (delay 5))
            ((case-lambda ((a) 'one) ((a b) 'two)) 1 2)
            (string-foldcase "ABC") (vector-map + #(1) #(2))))))
(import (test stdlib-imports))
(test-equal "R7RS libraries" '(#\A 3 4 2 x "\"w\"" #f #t #t 5 two "abc" #(3)) (run))

(use-modules (srfi srfi-1) (srfi srfi-13) (srfi srfi-14) (srfi srfi-69)
             (srfi srfi-28) (ice-9 format) (ice-9 rdelim) (ice-9 hash-table)
             (ice-9 pretty-print) (srfi srfi-2))
(test-equal "srfi-1 imported" 6 (fold + 0 '(1 2 3)))
(test-equal "srfi-13 imported" "a-b" (string-join '("a" "b") "-"))
(test-equal "srfi-14 imported" #t (char-set-contains? char-set:digit #\1))
(test-equal "srfi-69 imported" 1 (hash-table-ref (alist->hash-table '((a . 1))) 'a))
(test-equal "pretty-print" "(a b)\n" (with-output-to-string (lambda () (pretty-print '(a b)))))
(test-equal "and-let* all true" 3 (and-let* ((x 1) (y (+ x 1))) (+ x y)))
(test-equal "and-let* false" #f (and-let* ((x #f) (y (car x))) y))
(test-equal "and-let* expression clause" 'ok (and-let* (((> 2 1))) 'ok))
(test-equal "and-let* no body" 5 (and-let* ((x 5))))
(test-equal "and-let* bare variable" 'yes (let ((v 1)) (and-let* (v) 'yes)))

(test-error "srfi-1 fold is not in (guile)" (eval '(fold + 0 '(1)) (environment '(guile))))
(test-equal "guile has its core srfi-1 subset" '(0 1) (eval '(iota 2) (environment '(guile))))
(test-equal "pretty-print breaks long lists"
  "(define (f x)\n  (list x\n        'a-long-symbol\n        \"a string\"))\n"
  (with-output-to-string
    (lambda () (pretty-print '(define (f x) (list x 'a-long-symbol "a string")) #:width 24))))
(test-equal "pretty-print to a port, #:display?" "(a b)\n"
  (call-with-output-string (lambda (p) (pretty-print '("a" b) p #:display? #t))))
(test-equal "pretty-print vector" "#(1\n  2)\n" (with-output-to-string (lambda () (pretty-print #(1 2) #:width 3))))
(test-error "pretty-print bad option" (pretty-print 1 #:width 'wide))
(test-equal "pretty-print keeps a quote's abbreviation when it breaks the quoted list"
  "'(aaaa bbbb\n       cccc)\n"
  (with-output-to-string (lambda () (pretty-print ''(aaaa bbbb cccc) #:width 8))))
