(define-module (test counter) #:export (loads))
(define count 0)
(set! count (+ count 1))
(define (loads) count)
