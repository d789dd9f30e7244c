;; Bytevectors: (scheme base) and Guile's names.
(define (message-of thunk)
  (guard (e ((error-object? e) (error-object-message e)))
    (thunk)
    "no error"))

(test-assert "bytevector?" (and (bytevector? #u8(1)) (not (bytevector? #(1)))))
(test-equal "make-bytevector" #u8(7 7) (make-bytevector 2 7))
(test-equal "make-bytevector zero" #u8(0 0 0) (make-bytevector 3))
(test-equal "make-bytevector bad fill" "make-bytevector: argument 2: 256 is not a byte (0 to 255)"
  (message-of (lambda () (make-bytevector 2 256))))
(test-equal "bytevector" #u8(1 2 3) (bytevector 1 2 3))
(test-equal "bytevector-length" 3 (bytevector-length #u8(1 2 3)))
(test-equal "bytevector-u8-ref" 2 (bytevector-u8-ref #u8(1 2 3) 1))
(test-equal "bytevector-u8-ref out of range" "bytevector-u8-ref: argument 2: index 3 out of range for bytevector of length 3"
  (message-of (lambda () (bytevector-u8-ref #u8(1 2 3) 3))))
(test-equal "bytevector-u8-set!" #u8(1 9) (let ((b (bytevector 1 2))) (bytevector-u8-set! b 1 9) b))
(test-equal "bytevector-u8-set! not a byte" "bytevector-u8-set!: argument 3: want byte, got character"
  (message-of (lambda () (bytevector-u8-set! (bytevector 1) 0 #\a))))
(test-equal "bytevector-copy" #u8(2 3) (bytevector-copy #u8(1 2 3) 1))
(test-equal "bytevector-copy! (scheme base)" #u8(1 8 9 4) (let ((b (bytevector 1 2 3 4))) ((@ (scheme base) bytevector-copy!) b 1 #u8(8 9)) b))
(test-equal "bytevector-copy! (guile), R6RS order" #u8(1 8 9 4) (let ((b (bytevector 1 2 3 4))) (bytevector-copy! #u8(7 8 9) 1 b 1 2) b))
(test-equal "bytevector-copy! R6RS too long" "bytevector-copy!: argument 5: 3 bytes from index 1 exceed the source's length 3"
  (message-of (lambda () (bytevector-copy! #u8(7 8 9) 1 (make-bytevector 9) 0 3))))
(test-equal "bytevector-append" #u8(1 2 3) (bytevector-append #u8(1) #u8() #u8(2 3)))
(test-equal "bytevector-fill!" #u8(5 5) (let ((b (bytevector 1 2))) (bytevector-fill! b 5) b))
(test-assert "bytevector=?" (bytevector=? #u8(1 2) (bytevector 1 2)))
(test-equal "utf8->string" "λx" (utf8->string #u8(#xce #xbb #x78)))
(test-equal "utf8->string range" "x" (utf8->string #u8(#xce #xbb #x78) 2))
(test-equal "string->utf8" #u8(#xce #xbb #x78) (string->utf8 "λx"))
(test-equal "string->utf8 range" #u8(#x78) (string->utf8 "λx" 1))
(test-equal "bytevector->u8-list" '(1 2) (bytevector->u8-list #u8(1 2)))
(test-equal "u8-list->bytevector" #u8(1 2) (u8-list->bytevector '(1 2)))
