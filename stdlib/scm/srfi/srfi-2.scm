;;; SRFI-2: and-let*, a conjunction with bindings.
;; The module is (srfi srfi-2); it sees (guile) and exports and-let*.
(export and-let*)

(define-syntax and-let*
  (syntax-rules ()
    ((_ ()) #t)
    ((_ () body ...) (let () body ...))
    ((_ ((var expr))) (let ((var expr)) var))
    ((_ ((expr))) expr)
    ((_ ((var expr) clause ...) body ...)
     (let ((var expr))
       (if var (and-let* (clause ...) body ...) #f)))
    ((_ ((expr) clause ...) body ...)
     (if expr (and-let* (clause ...) body ...) #f))
    ((_ (var clause ...) body ...)
     (if var (and-let* (clause ...) body ...) #f))))
