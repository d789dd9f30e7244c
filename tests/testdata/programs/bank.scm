;;; Accounts as records in a hash table, transactions as data, failures as
;;; escapes: define-record-type, hash tables, sort, fold, partition,
;;; parameters, dynamic-wind, call/cc escapes, call-with-values,
;;; case-lambda, match-lambda, apply and string ports.
(use-modules (srfi srfi-1) (srfi srfi-9) (ice-9 match))

(define-record-type <account>
  (make-account id owner balance history)
  account?
  (id account-id)
  (owner account-owner)
  (balance account-balance set-account-balance!)
  (history account-history set-account-history!))

(define accounts (make-hash-table))

(define open-account
  (case-lambda
    ((id owner) (open-account id owner 0))
    ((id owner initial)
     (hash-set! accounts id (make-account id owner initial '())))))

;; The procedure that abandons the current transfer with a reason.
(define abort-transfer (make-parameter (lambda (reason) (error "no transfer running" reason))))

(define (account id)
  (or (hash-ref accounts id)
      ((abort-transfer) (list 'no-such-account id))))

(define (post! id amount note)
  (let ((a (account id)))
    (when (< (+ (account-balance a) amount) 0)
      ((abort-transfer) (list 'insufficient-funds id (account-balance a) amount)))
    (set-account-balance! a (+ (account-balance a) amount))
    (set-account-history! a (cons (cons amount note) (account-history a)))))

(define log '())
(define (note! . parts)
  (set! log (cons (apply string-append parts) log)))

;; A transfer leaves through an escape continuation at the first failure,
;; and dynamic-wind records that it ended either way.
(define (transfer! from to amount)
  (call-with-current-continuation
   (lambda (return)
     (dynamic-wind
      (lambda () (note! "begin " (number->string from) "->" (number->string to)))
      (lambda ()
        (parameterize ((abort-transfer (lambda (reason) (return (cons 'failed reason)))))
          (account to)
          (post! from (- amount) "transfer out")
          (post! to amount "transfer in")
          'ok))
      (lambda () (note! "end " (number->string from) "->" (number->string to)))))))

(open-account 1 "alice" 100)
(open-account 2 "bob")
(open-account 3 "carol" 40)

(define results
  (map (match-lambda
         ((from to amount) (transfer! from to amount)))
       '((1 2 30) (2 3 50) (3 2 25) (1 9 5) (2 1 5))))

(for-each (lambda (r) (write r) (newline)) results)

(define (summary)
  (let ((ids (sort (hash-map->list (lambda (k v) k) accounts) <)))
    (map (lambda (id)
           (let ((a (account id)))
             (list (account-owner a) (account-balance a) (length (account-history a)))))
         ids)))

(for-each (lambda (line) (write line) (newline)) (summary))

(define (totals)
  (call-with-values
      (lambda ()
        (partition positive?
                   (append-map (lambda (a) (map car (account-history a)))
                               (map account (iota 3 1)))))
    (lambda (credits debits)
      (values (apply + credits) (apply + debits)))))

(call-with-values totals (lambda (c d) (display (list 'credits c 'debits d)) (newline)))
(display (fold + 0 (map account-balance (map account '(1 2 3)))))
(newline)
(for-each (lambda (line) (display line) (newline)) (reverse log))
(display (call-with-output-string
          (lambda (port)
            (for-each (lambda (entry) (write (cdr entry) port) (display " " port))
                      (reverse (account-history (account 2)))))))
(newline)
