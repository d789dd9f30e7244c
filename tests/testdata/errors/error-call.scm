;; expect: 5:7: invalid port number 70000
(define (check-port n)
  (if (< 0 n 65536)
      n
      (error "invalid port number" n)))
(check-port 22)
(check-port 70000)
