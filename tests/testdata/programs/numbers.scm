;;; The numeric tower as Guile prints it: bignums, exact rationals,
;;; inexact reals, exactness conversions, integer division, radixes.
(define (factorial n) (if (= n 0) 1 (* n (factorial (- n 1)))))
(define (show . xs) (for-each (lambda (x) (write x) (display " ")) xs) (newline))

(show (factorial 30) (- (factorial 25)) (quotient (factorial 30) (factorial 28)))
(show (expt 2 100) (expt 2 -3) (expt 2.0 0.5) (exact->inexact (expt 3 40)))
(show (/ 1 3) (/ 6 4) (+ 1/3 2/3) (* 3/4 4/3) (- 1/2 1/3) (/ -10 4))
(show 1.5 0.1 (+ 0.1 0.2) 1e21 1e-7 123456789.125 (/ 1.0 3) -0.0 (sqrt 2))
(show (exact->inexact 1/3) (inexact->exact 0.25) (inexact->exact (floor 2.7)) (round 2.5) (round 3.5) (round -2.5))
(show (floor 7/2) (ceiling 7/2) (truncate -7/2) (round 7/2))
(show (quotient 17 5) (remainder 17 5) (modulo 17 5) (quotient -17 5) (remainder -17 5) (modulo -17 5))
(show (gcd 48 36) (lcm 4 6) (abs -7/2) (max 1 2.0) (min 1 2))
(show (number->string 255 16) (number->string 255 2) (string->number "ff" 16) (string->number "1e3") (string->number "#b101"))
(show (exact? 1/2) (inexact? 0.5) (integer? 2.0) (rational? 1/2) (exact-integer? 5) (nan? (/ 0. 0.)))
(show (sqrt 16) (sqrt 15))
(show (* 99999999999 99999999999) (- (expt 2 62) 1 (- (expt 2 62))) (+ 4611686018427387904 4611686018427387904))
(show (number->string 3.14159) (string->number "1/3") (* 1.0 (factorial 20)))
(show (exp 0) (log 1) (sin 0) (atan 1 1) (inexact->exact (round (* 1000 (atan 1 1)))))
