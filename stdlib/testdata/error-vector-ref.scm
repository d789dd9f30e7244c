;; expect-error: 4:3: vector-ref: argument 2: index 3 out of range for vector of length 3
;; An out-of-range index names the procedure, the argument, the index and
;; the length, at the position of the call.
  (vector-ref (vector 1 2 3) 3)
