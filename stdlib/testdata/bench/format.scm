;;; Library benchmark: 100,000 calls of format with ~a ~s ~d ~x and a
;;; ~{ ~} loop, and string ports.
(use-modules (ice-9 format))
(define (line i)
  (format #f "~a: ~s ~d ~x ~{~a~^,~}~%" 'item (number->string i) i i (list i (+ i 1) (+ i 2))))
(define total
  (let loop ((i 0) (n 0))
    (if (< i 100000)
        (loop (+ i 1) (+ n (string-length (line i))))
        n)))
(display total)
(newline)
(display (string-length (call-with-output-string
  (lambda (port)
    (let loop ((i 0))
      (when (< i 100000)
        (write i port)
        (display " " port)
        (loop (+ i 1))))))))
(newline)
