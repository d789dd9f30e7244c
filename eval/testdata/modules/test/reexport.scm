(define-module (test reexport)
  #:use-module ((test greet) #:select ((greet . reexported-greet)))
  #:re-export (reexported-greet))
