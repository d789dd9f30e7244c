;;; ack: Ackermann's function; measures deep non-tail recursion.
(define (ack m n)
  (cond ((= m 0) (+ n 1))
        ((= n 0) (ack (- m 1) 1))
        (else (ack (- m 1) (ack m (- n 1))))))

(define (repeat n thunk)
  (let loop ((i 1) (result (thunk)))
    (if (= i n)
        result
        (loop (+ i 1) (thunk)))))

(display (repeat 20 (lambda () (ack 2 400))))
(newline)
(display (ack 3 9))
(newline)
