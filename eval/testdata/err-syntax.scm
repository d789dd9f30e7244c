;; expect-error: 3:3: bad if form
(define (f)
  (if))
