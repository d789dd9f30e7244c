(define-module (test util)
  #:export (util-add util-hidden util-twice-helper util-call-tag))
(define (util-add a b) (+ a b))
(define util-hidden 'hidden)
(define (helper x) (* 2 x))
(define-syntax util-twice-helper
  (syntax-rules () ((_ x) (helper x))))
(define (util-tag) 'util)
(define-syntax util-call-tag
  (syntax-rules () ((_) (util-tag))))
(export util-tag)
