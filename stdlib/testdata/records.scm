;; (fruix records): define-record-type* with Guix's semantics.
(use-modules (fruix records))

(define (check-count n)
  (if (and (integer? n) (>= n 0))
      n
      (error "count must be a non-negative integer:" n)))

(define forced 0)

(define-record-type* <thing> thing make-thing thing? this-thing
  (name thing-name)
  (size thing-size (default 42))
  (label thing-label (default (string-append "x" (thing-name this-thing))) (thunked))
  (lazy thing-lazy (delayed) (default (begin (set! forced (+ forced 1)) 7)))
  (kind thing-kind (innate) (default 'base))
  (count thing-count (sanitize check-count) (default 0)))

(define a (thing (name "a")))
(test-assert "predicate" (and (thing? a) (not (thing? 42)) (record? a)))
(test-equal "required field" "a" (thing-name a))
(test-equal "default" 42 (thing-size a))
(test-equal "thunked default sees this-thing" "xa" (thing-label a))
(test-equal "innate default" 'base (thing-kind a))
(test-equal "sanitized default" 0 (thing-count a))
(test-equal "record type name" '<thing> (record-type-name <thing>))
(test-equal "field names" '(name size label lazy kind count) (record-field-names a))

;; Printing forces neither thunked nor delayed fields.
(test-equal "printing" "#<thing name: \"a\" size: 42 label: #<thunk> lazy: #<promise> kind: base count: 0>"
  (call-with-output-string (lambda (port) (write a port))))
(test-equal "delayed not forced yet" 0 forced)
(test-equal "delayed forced by accessor" 7 (thing-lazy a))
(test-equal "delayed forced once" 7 (begin (thing-lazy a) (thing-lazy a)))
(test-equal "forced count" 1 forced)

;; Defaults are evaluated per instance.
(define counter 0)
(define-record-type* <ticket> ticket make-ticket ticket?
  (number ticket-number (default (begin (set! counter (+ counter 1)) counter))))
(test-equal "default per instance" '(1 2 5)
  (list (ticket-number (ticket)) (ticket-number (ticket)) (ticket-number (ticket (number 5)))))

;; inherit copies, then overrides; innate fields are not inherited.
(define b (thing (inherit a) (name "b") (kind 'special)
                 (label (string-append (thing-name this-record) "!"))))
(define c (thing (inherit b) (name "c") (size 1)))
(test-equal "inherit override" '("b" 42 special) (list (thing-name b) (thing-size b) (thing-kind b)))
(test-equal "innate not inherited" 'base (thing-kind c))
(test-equal "thunked re-evaluated with the new record" "c!" (thing-label c))
(test-equal "thunked default follows inherit" "xd" (thing-label (thing (inherit a) (name "d"))))
(test-equal "inherit keeps parent" "a" (thing-name a))

;; Thunked fields are re-evaluated on every access.
(define calls 0)
(define e (thing (name "e") (label (begin (set! calls (+ calls 1)) "l"))))
(thing-label e)
(thing-label e)
(test-equal "thunked per access" 2 calls)

;; this-record and the alias are bound in thunked fields given at the use site.
(test-equal "this-record" "f/42" (thing-label (thing (name "f") (label (string-append (thing-name this-record) "/" (number->string (thing-size this-thing)))))))

;; Sanitizers run on given values.
(define-record-type* <box> box make-box box?
  (content box-content (sanitize (lambda (x) (if (string? x) (string->symbol x) x)))))
(test-equal "sanitizer converts" 'hello (box-content (box (content "hello"))))
(test-equal "sanitizer on thunked and delayed" '(3 3)
  (let ()
    (define-record-type* <pair*> pair* make-pair* pair*?
      (left pair*-left (thunked) (sanitize (lambda (x) (+ x 1))))
      (right pair*-right (delayed) (sanitize (lambda (x) (+ x 1)))))
    (let ((p (pair* (left 2) (right 2))))
      (list (pair*-left p) (pair*-right p)))))
(test-error "sanitizer refusal names type and field" "thing: field `count': count must be a non-negative integer: -1"
  (thing (name "x") (count -1)))

;; The positional constructor takes raw values.
(define raw (make-thing "r" 1 (lambda (self) (string-append "raw-" (thing-name self))) (delay 9) 'k 3))
(test-equal "positional constructor" '("r" "raw-r" 9 3) (list (thing-name raw) (thing-label raw) (thing-lazy raw) (thing-count raw)))

;; match-record binds fields by name, through the accessors.
(test-equal "match-record" '("c" 1 "c!")
  (match-record c <thing> (name (size s) label) (list name s label)))
(test-error "match-record wrong record" "match-record: want a thing record, got 5"
  (match-record 5 <thing> (name) name))

;; record-update copies with some fields replaced, sanitizing them.
(define u (record-update c (size 3) (count 4)))
(test-equal "record-update" '(3 4 1 "c!") (list (thing-size u) (thing-count u) (thing-size c) (thing-label u)))
(test-equal "record-update thunked field" "fixed" (thing-label (record-update c (label "fixed"))))
(test-equal "record-update delayed field" 11 (thing-lazy (record-update c (lazy 11))))
(test-error "record-update sanitizes" "thing: field `count'" (record-update c (count 'x)))
(test-error "record-update unknown field" "record-update: thing: unknown field `sise'; did you mean `size'?" (record-update c (sise 3)))
(test-error "record-update on a non-record" "record-update: want a record, got 5" (record-update 5 (size 3)))

;; Errors are ordinary conditions that guard can catch.
(test-error "accessor wrong type" "thing-name: argument 1: want thing, got integer" (thing-name 5))
(test-error "inherit of another type" "thing: inherit: want a thing record" (thing (inherit (box (content 1)))))

;; Nested constructors: this-record means the innermost record being built.
(define-record-type* <outer> outer make-outer outer?
  (name outer-name)
  (inner outer-inner (thunked)
         (default (thing (name (string-append (outer-name this-record) "-inner"))
                         (label (string-append (thing-name this-record) "+"))))))
(test-equal "nested this-record" '("o-inner" "o-inner+")
  (let ((i (outer-inner (outer (name "o")))))
    (list (thing-name i) (thing-label i))))

;; A definition inside a body works too.
(test-equal "local definition" 3
  (let ()
    (define-record-type* <point> point make-point point? (x point-x (default 1)) (y point-y (default 2)))
    (let ((p (point)))
      (+ (point-x p) (point-y p)))))

;; Macros that expand into constructors and definitions: identifiers a
;; syntax-rules template inserts work as field names, and this-record and
;; the alias written in a template are bound in thunked fields.
(define-syntax labelled
  (syntax-rules ()
    ((_ n) (thing (name n) (label (string-append (thing-name this-record) "?"))))))
(define-syntax labelled-alias
  (syntax-rules ()
    ((_ n) (thing (name n) (label (string-append (thing-name this-thing) "!"))))))
(test-equal "this-record from a template" "m?" (thing-label (labelled "m")))
(test-equal "alias from a template" "m!" (thing-label (labelled-alias "m")))

(define-syntax define-simple-config
  (syntax-rules ()
    ((_ type make pred (field accessor value) ...)
     (define-record-type* type make make-raw pred this-config
       (field accessor (default value)) ...))))
(define-simple-config <daemon> daemon daemon? (port daemon-port 22) (user daemon-user "root"))
(test-equal "definition from a template" '(2222 "root")
  (let ((d (daemon (port 2222))))
    (list (daemon-port d) (daemon-user d))))
(test-equal "match-record from a template" 22
  (let-syntax ((port-of (syntax-rules () ((_ d) (match-record d <daemon> (port) port)))))
    (port-of (daemon))))

;; A sanitizer's error keeps its irritants; other raised objects pass through.
(define-record-type* <checked> checked make-checked checked?
  (n checked-n (sanitize (lambda (x) (if (negative? x) (error "negative:" x) x))))
  (m checked-m (default "") (sanitize (lambda (x) (if (string? x) x (raise 'not-a-string))))))
(test-equal "sanitizer error message and irritants" '("checked: field `n': negative:" (-1))
  (guard (e ((error-object? e) (list (error-object-message e) (error-object-irritants e))))
    (checked (n -1))))
(test-equal "sanitizer raise passes through" 'not-a-string
  (guard (e ((symbol? e) e))
    (checked (n 1) (m 5))))
