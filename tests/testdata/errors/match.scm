;; expect: 4:3: match: no matching pattern for (ftp 21)
(use-modules (ice-9 match))
(define (port-of service)
  (match service
    (('ssh port) port)
    (('http port) port)))
(port-of '(ssh 22))
(port-of '(ftp 21))
