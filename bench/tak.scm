;;; tak: Takeuchi's function; measures calls with several arguments.
(define (tak x y z)
  (if (not (< y x))
      z
      (tak (tak (- x 1) y z)
           (tak (- y 1) z x)
           (tak (- z 1) x y))))

(define (repeat n thunk)
  (let loop ((i 1) (result (thunk)))
    (if (= i n)
        result
        (loop (+ i 1) (thunk)))))

(display (repeat 200 (lambda () (tak 18 12 6))))
(newline)
