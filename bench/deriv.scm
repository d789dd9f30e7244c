;;; deriv: symbolic differentiation of polynomials; measures consing,
;;; symbols and quasi-quoted list construction.
(define (deriv a)
  (cond ((not (pair? a))
         (if (eq? a 'x) 1 0))
        ((eq? (car a) '+)
         (cons '+ (map deriv (cdr a))))
        ((eq? (car a) '-)
         (cons '- (map deriv (cdr a))))
        ((eq? (car a) '*)
         (list '*
               a
               (cons '+ (map (lambda (a) (list '/ (deriv a) a)) (cdr a)))))
        ((eq? (car a) '/)
         (list '-
               (list '/ (deriv (cadr a)) (caddr a))
               (list '/
                     (cadr a)
                     (list '* (caddr a) (caddr a) (deriv (caddr a))))))
        (else (error "deriv: no derivation for" a))))

(define (size tree)
  (if (pair? tree)
      (+ (size (car tree)) (size (cdr tree)))
      1))

(define expression '(+ (* 3 x x) (* a x x) (* b x) 5))

(define (run n)
  (let loop ((i 0) (total 0))
    (if (= i n)
        total
        (loop (+ i 1) (+ total (size (deriv expression)))))))

(display (run 200000))
(newline)
(display (deriv '(* x (+ x 1))))
(newline)
