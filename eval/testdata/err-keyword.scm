;; expect-error: 3:1: make-config: unknown keyword argument #:colour
(define* (make-config #:key (color 'red) (size 1)) (list color size))
(make-config #:colour 'blue)
