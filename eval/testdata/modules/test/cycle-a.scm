(define-module (test cycle-a) #:use-module (test cycle-b))
