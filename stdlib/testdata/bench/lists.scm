;;; Library benchmark: SRFI-1 list procedures: fold, filter, append-map,
;;; delete-duplicates (hashing), assoc and list-index over 100,000-element
;;; lists, ten rounds.
(use-modules (srfi srfi-1))
(define xs (iota 100000))
(define (round k)
  (let* ((evens (filter even? xs))
         (pairs (append-map (lambda (x) (list x (+ x k))) (take evens 20000)))
         (uniq (delete-duplicates (map (lambda (x) (modulo x 5000)) pairs)))
         (alist (map (lambda (x) (cons x (* x x))) (take uniq 300))))
    (+ (fold + 0 uniq)
       (length pairs)
       (cdr (assoc (car (list-ref alist 150)) alist))
       (or (list-index (lambda (x) (> x 99990)) xs) 0))))
(display (fold (lambda (k acc) (+ acc (round k))) 0 (iota 10)))
(newline)
