;; syntax-rules: literals, ellipsis, nesting, vectors, dotted patterns,
;; custom ellipsis, (... ...), _, and hygiene.
(define-syntax swap!
  (syntax-rules ()
    ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(test-equal "swap! with a user variable named tmp" '(2 1)
  (let ((tmp 1) (other 2)) (swap! tmp other) (list tmp other)))
(define-syntax my-or
  (syntax-rules ()
    ((_) #f)
    ((_ e) e)
    ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))
(test-equal "introduced t does not capture user t" 5 (let ((t 5)) (my-or #f t)))
(test-equal "my-or" 3 (my-or #f #f 3))
(define-syntax my-if
  (syntax-rules () ((_ c a b) (cond (c a) (else b)))))
(test-equal "free identifiers mean the definition site's binding" 'yes
  (let ((else #f) (cond list)) (my-if #f 'no 'yes)))
(test-equal "template if survives a local if" 1
  (let ((if (lambda args 'shadowed))) (my-or #f 1)))
(define-syntax for
  (syntax-rules (in from to)
    ((_ x in lst body ...) (map (lambda (x) body ...) lst))
    ((_ x from a to b body ...) (let loop ((x a) (acc '()))
                                  (if (> x b) (reverse acc) (loop (+ x 1) (cons (begin body ...) acc)))))))
(test-equal "literal in" '(2 4 6) (for y in '(1 2 3) (* y 2)))
(test-equal "literals from/to" '(1 4 9) (for i from 1 to 3 (* i i)))
(define-syntax my-let*
  (syntax-rules ()
    ((_ () body ...) (let () body ...))
    ((_ ((x v) rest ...) body ...) (let ((x v)) (my-let* (rest ...) body ...)))))
(test-equal "recursive macro" 3 (my-let* ((a 1) (b (+ a 1))) (+ a b)))
(define-syntax flatten-pairs
  (syntax-rules ()
    ((_ (a b ...) ...) '(a ... (b ...) ...))))
(test-equal "nested ellipsis" '(1 4 (2 3) (5)) (flatten-pairs (1 2 3) (4 5)))
(define-syntax concat-all
  (syntax-rules ()
    ((_ (x ...) ...) '(x ... ...))))
(test-equal "x ... ... flattens" '(1 2 3 4) (concat-all (1 2) (3 4)))
(define-syntax tail-pattern
  (syntax-rules ()
    ((_ a ... z) '(z a ...))))
(test-equal "ellipsis followed by more" '(3 1 2) (tail-pattern 1 2 3))
(define-syntax dotted
  (syntax-rules ()
    ((_ a . rest) '(a rest))))
(test-equal "dotted pattern" '(1 (2 3)) (dotted 1 2 3))
(define-syntax vec-pat
  (syntax-rules ()
    ((_ #(a b ...)) '(a (b ...)))))
(test-equal "vector pattern" '(1 (2 3)) (vec-pat #(1 2 3)))
(define-syntax vec-tmpl
  (syntax-rules ()
    ((_ a ...) #(a ... end))))
(test-equal "vector template" #(1 2 end) (vec-tmpl 1 2))
(define-syntax my-list
  (syntax-rules ::: ()
    ((_ x :::) (list x :::))))
(test-equal "custom ellipsis" '(1 2 3) (my-list 1 2 3))
(define-syntax be-like-begin
  (syntax-rules ()
    ((be-like-begin name)
     (define-syntax name
       (syntax-rules ()
         ((name expr (... ...))
          (begin expr (... ...))))))))
(be-like-begin sequence)
(test-equal "(... ...) escape in a macro-defining macro" 4 (sequence 1 2 3 4))
(define-syntax ignore-first
  (syntax-rules () ((_ _ b) b)))
(test-equal "underscore" 2 (ignore-first 1 2))
(define-syntax-rule (double x) (* 2 x))
(test-equal "define-syntax-rule" 10 (double 5))
(define-syntax-rule (with-docs x)
  "A documented rule."
  (+ x 1))
(test-equal "define-syntax-rule with docstring" 2 (with-docs 1))
(test-equal "let-syntax" 7
  (let-syntax ((add1 (syntax-rules () ((_ x) (+ x 1)))))
    (add1 6)))
(test-equal "letrec-syntax" #t
  (letrec-syntax ((ev? (syntax-rules () ((_ n) (if (= n 0) #t (od? (- n 1))))))
                  (od? (syntax-rules () ((_ n) (if (= n 0) #f #t)))))
    (ev? 2)))
(test-equal "let-syntax macro sees outer local" 11
  (let ((base 10))
    (let-syntax ((plus-base (syntax-rules () ((_ x) (+ x base)))))
      (let ((base 100))
        (plus-base 1)))))
(test-equal "internal define-syntax" 9
  (let ()
    (define-syntax sq (syntax-rules () ((_ x) (* x x))))
    (sq 3)))
(define-syntax define-getter
  (syntax-rules () ((_ name val) (define (name) val))))
(define-getter get-five 5)
(test-equal "macro expanding to a top-level define" 5 (get-five))
(test-equal "macro expanding to internal defines" 6
  (let () (define-getter g 6) (g)))
(define-syntax while
  (syntax-rules ()
    ((_ cond body ...) (let lp () (when cond body ... (lp))))))
(test-equal "while loop" 5 (let ((i 0)) (while (< i 5) (set! i (+ i 1))) i))
(define-syntax kw-macro
  (syntax-rules () ((_ #:key v) (list 'key v))))
(test-equal "keyword in pattern" '(key 1) (kw-macro #:key 1))
(test-error "no rule matches" "no syntax rule matches" (eval '(swap! 1)))
(test-error "macro used as a variable" "used as a variable" (eval 'swap!))
(define-syntax loop-forever (syntax-rules () ((_ x) (loop-forever x))))
(test-error "expansion that never ends" "nested too deeply" (eval '(loop-forever 1)))
(test-equal "macro-local let does not capture the argument" 1
  (let ((x 1))
    (let-syntax ((foo (syntax-rules () ((_ y) (let ((x 2)) y)))))
      (foo x))))
(test-equal "shadowed let around a use of a macro using let" 5
  (let ((let 5)) (my-or #f let)))
(define-syntax def-two
  (syntax-rules () ((_ a b) (begin (define tmp a) (define b tmp)))))
(test-equal "introduced internal define is separate from the user's" '(1 99)
  (let () (def-two 1 z) (define tmp 99) (list z tmp)))
(define-syntax bind-x
  (syntax-rules () ((_ v body) (let ((x v)) body))))
(test-equal "introduced binding invisible to the body argument" 'outer
  (let ((x 'outer)) (bind-x 'inner x)))
(define-syntax my-cond
  (syntax-rules (else)
    ((_ (else e)) e)
    ((_ (c e) rest ...) (if c e (my-cond rest ...)))))
(test-equal "literal else through recursion" 'b (my-cond (#f 'a) (else 'b)))
(define-syntax define-counter
  (syntax-rules ()
    ((_ name)
     (define name
       (let ((count 0))
         (lambda () (set! count (+ count 1)) count))))))
(define-counter tick)
(tick)
(test-equal "introduced local state" 2 (tick))
(define-syntax make-adder-macro
  (syntax-rules ()
    ((_ name n)
     (define-syntax name
       (syntax-rules ()
         ((_ x) (+ x n)))))))
(make-adder-macro add10 10)
(test-equal "macro-defining macro" 15 (add10 5))
(define-syntax grow (syntax-rules () ((_ x) (grow (x x)))))
(test-error "an expansion that grows without end stops" "nested too deeply" (eval '(grow 1)))
(define-syntax dots
  (syntax-rules (...)
    ((_ a ...) 'literal-dots)
    ((_ a b) 'two)))
(test-equal "ellipsis among the literals is a literal" 'literal-dots (dots 1 ...))
(test-equal "... literal does not match other things" 'two (dots 1 2))
