;;; syntax-rules macros: hygiene in both directions, recursion, nested
;;; ellipses, literals, and macros that define macros.
(define-syntax swap!
  (syntax-rules ()
    ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))

(define-syntax my-or
  (syntax-rules ()
    ((_) #f)
    ((_ e) e)
    ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))

(define-syntax while
  (syntax-rules ()
    ((_ cond body ...) (let lp () (when cond body ... (lp))))))

(define-syntax for
  (syntax-rules (in from to)
    ((_ x in lst body ...) (for-each (lambda (x) body ...) lst))
    ((_ x from a to b body ...) (do ((x a (+ x 1))) ((> x b)) body ...))))

(define-syntax my-let*
  (syntax-rules ()
    ((_ () body ...) (let () body ...))
    ((_ ((x v) rest ...) body ...) (let ((x v)) (my-let* (rest ...) body ...)))))

(define-syntax table
  (syntax-rules ()
    ((_ (key val ...) ...) (list (cons 'key (list val ...)) ...))))

(define-syntax define-getter
  (syntax-rules ()
    ((_ name field) (define-syntax name (syntax-rules () ((_ alist) (cdr (assq 'field alist))))))))

(define tmp 1)
(define other 2)
(swap! tmp other)
(display (list tmp other)) (newline)

(define t 5)
(display (my-or #f t)) (newline)
(display (let ((if list)) (my-or #f 'hygienic))) (newline)

(define i 0)
(define acc '())
(while (< i 5) (set! acc (cons i acc)) (set! i (+ i 1)))
(display acc) (newline)

(for x in '(a b c) (display x))
(newline)
(for k from 1 to 4 (display (* k k)) (display " "))
(newline)

(display (my-let* ((a 1) (b (+ a 1)) (c (* b 10))) (list a b c))) (newline)
(write (table (fruits "apple" "pear") (numbers 1 2 3) (empty))) (newline)

(define-getter host-name host)
(display (host-name '((host . "fruix-vm") (port . 22)))) (newline)

(define-syntax-rule (unless* c body ...) (if c #f (begin body ...)))
(display (unless* #f 'ran)) (newline)
