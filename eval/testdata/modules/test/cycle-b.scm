(define-module (test cycle-b) #:use-module (test cycle-a))
