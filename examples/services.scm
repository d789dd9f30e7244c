;;; services.scm: Guix-style service declarations with keyword arguments,
;;; ordered by their requirements (a topological sort over a hash table),
;;; and checked: a missing requirement or a cycle is reported by name.
;;;
;;;   bin/fruix-eval examples/services.scm

(use-modules (ice-9 match)
             (srfi srfi-1))

(define-record-type <service>
  (%make-service name requirements start)
  service?
  (name service-name)
  (requirements service-requirements)
  (start service-start))

;; Like Guix's records: keyword arguments with defaults.
(define* (service name #:key (requires '()) (start "/etc/rc.d/~a start"))
  (%make-service name requires (format #f start name)))

(define services
  (list (service 'sshd #:requires '(network syslogd))
        (service 'network #:requires '(devd))
        (service 'devd)
        (service 'syslogd #:requires '(devd))
        (service 'nginx #:requires '(network) #:start "/usr/local/etc/rc.d/~a onestart")
        (service 'ntpd #:requires '(network))))

(define (index services)
  (let ((table (make-hash-table)))
    (for-each (lambda (s) (hash-set! table (service-name s) s)) services)
    table))

;; Depth-first topological sort; raises an error naming a missing service
;; or the services of a cycle.
(define (start-order services)
  (define table (index services))
  (define state (make-hash-table))      ; name -> visiting | done
  (define order '())
  (define (visit name path)
    (match (hash-ref state name)
      ('done #t)
      ('visiting
       (error "services form a cycle:" (reverse (cons name path))))
      (#f
       (let ((s (hash-ref table name)))
         (unless s
           (error "unknown service required:" name 'by (car path)))
         (hash-set! state name 'visiting)
         (for-each (lambda (r) (visit r (cons name path)))
                   (service-requirements s))
         (hash-set! state name 'done)
         (set! order (cons s order))))))
  (for-each (lambda (s) (visit (service-name s) '())) services)
  (reverse order))

(define (try thunk)
  (guard (e ((error-object? e)
             (format #f "error: ~a ~s" (error-object-message e)
                     (error-object-irritants e))))
    (thunk)))

(format #t "Start order:~%")
(for-each (lambda (s)
            (format #t "  ~8a ~a~%" (service-name s) (service-start s)))
          (start-order services))

(format #t "~a~%"
        (try (lambda ()
               (start-order (cons (service 'mail #:requires '(dns)) services)))))
(format #t "~a~%"
        (try (lambda ()
               (start-order (list (service 'a #:requires '(b))
                                  (service 'b #:requires '(a)))))))

;; fruix-eval prints the last value: the names in start order.
(map service-name (start-order services))
