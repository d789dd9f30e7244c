;; expect: 4:1: area: wrong number of arguments: want 2, got 1
(define (area width height)
  (* width height))
(area 3)
