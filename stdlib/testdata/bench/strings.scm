;;; Library benchmark: the SRFI-13 procedures configuration code uses:
;;; string-split, string-join, string-index, string-prefix?, string-pad,
;;; string-trim-both, string-upcase, over 50,000 generated lines.
(use-modules (srfi srfi-1) (srfi srfi-13))
(define (make-line i)
  (string-append "  pkg-" (number->string i) ":" (number->string (* i 7)) ":/frx/store/"
                 (number->string (* i 13)) "-name  "))
(define (process line)
  (let* ((trimmed (string-trim-both line))
         (fields (string-split trimmed #\:))
         (name (string-upcase (car fields)))
         (joined (string-join (reverse fields) "|")))
    (+ (if (string-prefix? "PKG" name) 1 0)
       (or (string-index joined #\|) 0)
       (string-length (string-pad (cadr fields) 12 #\0)))))
(display (fold + 0 (map process (map make-line (iota 50000)))))
(newline)
