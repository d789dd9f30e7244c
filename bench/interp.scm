;;; interp: a larger program. A lexer, a recursive-descent parser and a
;;; tree-walking interpreter for "Mini", a small imperative language with
;;; integers, strings, arrays, first-class functions and closures, then a
;;; handful of Mini programs run through it. Measures a realistic mix:
;;; string scanning, symbols, association lists, vectors, closures,
;;; records as tagged vectors and deep recursion.

;;; ------------------------------------------------------------------
;;; Lexer: text -> list of tokens. A token is (kind . value), where kind
;;; is one of: num str id op kw eof.

(define keywords '("fun" "var" "if" "else" "while" "return" "print" "true" "false"))

(define (char-ident-start? c) (or (char-alphabetic? c) (char=? c #\_)))
(define (char-ident? c) (or (char-ident-start? c) (char-numeric? c)))

(define two-char-ops '("==" "!=" "<=" ">=" "&&" "||"))
(define one-char-ops "+-*/%<>=!(){}[],;")

;; Punctuation gets a name; operators are their own symbols, except `||`,
;; which is not a portable symbol.
(define operator-names
  '(("(" . lparen) (")" . rparen) ("[" . lbracket) ("]" . rbracket)
    ("{" . lbrace) ("}" . rbrace) (";" . semicolon) ("," . comma)
    ("||" . oror)))

(define (operator-name text)
  (let ((named (assoc text operator-names)))
    (if named (cdr named) (string->symbol text))))

(define (string-index-of s c)
  (let loop ((i 0))
    (cond ((= i (string-length s)) #f)
          ((char=? (string-ref s i) c) i)
          (else (loop (+ i 1))))))

(define (tokenize text)
  (let ((n (string-length text)))
    (define (peek i) (if (< i n) (string-ref text i) #\nul))
    (let loop ((i 0) (tokens '()))
      (cond
       ((>= i n) (reverse (cons (cons 'eof #f) tokens)))
       ((char-whitespace? (peek i)) (loop (+ i 1) tokens))
       ((and (char=? (peek i) #\#))
        (let skip ((j i))
          (if (or (>= j n) (char=? (peek j) #\newline))
              (loop j tokens)
              (skip (+ j 1)))))
       ((char-numeric? (peek i))
        (let scan ((j i))
          (if (char-numeric? (peek j))
              (scan (+ j 1))
              (loop j (cons (cons 'num (string->number (substring text i j))) tokens)))))
       ((char-ident-start? (peek i))
        (let scan ((j i))
          (if (char-ident? (peek j))
              (scan (+ j 1))
              (let ((word (substring text i j)))
                (loop j (cons (if (member word keywords)
                                  (cons 'kw (string->symbol word))
                                  (cons 'id (string->symbol word)))
                              tokens))))))
       ((char=? (peek i) #\")
        (let scan ((j (+ i 1)) (chars '()))
          (cond ((>= j n) (error "mini: unterminated string"))
                ((char=? (peek j) #\")
                 (loop (+ j 1) (cons (cons 'str (list->string (reverse chars))) tokens)))
                ((and (char=? (peek j) #\\) (char=? (peek (+ j 1)) #\n))
                 (scan (+ j 2) (cons #\newline chars)))
                (else (scan (+ j 1) (cons (peek j) chars))))))
       ((and (< (+ i 1) n) (member (substring text i (+ i 2)) two-char-ops))
        (loop (+ i 2) (cons (cons 'op (operator-name (substring text i (+ i 2)))) tokens)))
       ((string-index-of one-char-ops (peek i))
        (loop (+ i 1) (cons (cons 'op (operator-name (string (peek i)))) tokens)))
       (else (error "mini: unexpected character" (peek i)))))))

;;; ------------------------------------------------------------------
;;; Parser: tokens -> AST. The AST is made of lists headed by symbols:
;;;   (num n) (str s) (var x) (call f args) (index a i) (binop op a b)
;;;   (not e) (neg e) (fun params body) (array elems)
;;;   statements: (vardef x e) (assign x e) (store a i e) (if c t e)
;;;   (while c body) (return e) (print e) (expr e) (block stmts)

(define tokens '())

(define (next-token) (car tokens))
(define (advance!) (let ((t (car tokens))) (set! tokens (cdr tokens)) t))

(define (token-is? kind value)
  (let ((t (next-token)))
    (and (eq? (car t) kind) (eq? (cdr t) value))))

(define (expect! kind value)
  (if (token-is? kind value)
      (advance!)
      (error "mini: parse error, expected" value 'got (next-token))))

(define (parse-program text)
  (set! tokens (tokenize text))
  (let loop ((stmts '()))
    (if (eq? (car (next-token)) 'eof)
        (cons 'block (reverse stmts))
        (loop (cons (parse-statement) stmts)))))

(define (parse-block)
  (expect! 'op 'lbrace)
  (let loop ((stmts '()))
    (if (token-is? 'op 'rbrace)
        (begin (advance!) (cons 'block (reverse stmts)))
        (loop (cons (parse-statement) stmts)))))

(define (parse-statement)
  (cond
   ((token-is? 'kw 'var)
    (advance!)
    (let ((name (cdr (advance!))))
      (expect! 'op '=)
      (let ((e (parse-expression)))
        (expect! 'op 'semicolon)
        (list 'vardef name e))))
   ((token-is? 'kw 'fun)
    (advance!)
    (let* ((name (cdr (advance!)))
           (params (parse-params))
           (body (parse-block)))
      (list 'vardef name (list 'fun params body))))
   ((token-is? 'kw 'if)
    (advance!)
    (expect! 'op 'lparen)
    (let ((c (parse-expression)))
      (expect! 'op 'rparen)
      (let ((then (parse-block)))
        (if (token-is? 'kw 'else)
            (begin
              (advance!)
              (list 'if c then (if (token-is? 'kw 'if)
                                   (list 'block (parse-statement))
                                   (parse-block))))
            (list 'if c then '(block))))))
   ((token-is? 'kw 'while)
    (advance!)
    (expect! 'op 'lparen)
    (let ((c (parse-expression)))
      (expect! 'op 'rparen)
      (list 'while c (parse-block))))
   ((token-is? 'kw 'return)
    (advance!)
    (let ((e (parse-expression)))
      (expect! 'op 'semicolon)
      (list 'return e)))
   ((token-is? 'kw 'print)
    (advance!)
    (let ((e (parse-expression)))
      (expect! 'op 'semicolon)
      (list 'print e)))
   (else
    (let ((e (parse-expression)))
      (if (token-is? 'op '=)
          (begin
            (advance!)
            (let ((rhs (parse-expression)))
              (expect! 'op 'semicolon)
              (cond ((eq? (car e) 'var) (list 'assign (cadr e) rhs))
                    ((eq? (car e) 'index) (list 'store (cadr e) (caddr e) rhs))
                    (else (error "mini: cannot assign to" e)))))
          (begin (expect! 'op 'semicolon) (list 'expr e)))))))

(define (parse-params)
  (expect! 'op 'lparen)
  (if (token-is? 'op 'rparen)
      (begin (advance!) '())
      (let loop ((params (list (cdr (advance!)))))
        (if (token-is? 'op 'comma)
            (begin (advance!) (loop (cons (cdr (advance!)) params)))
            (begin (expect! 'op 'rparen) (reverse params))))))

(define (parse-arguments close)
  (if (token-is? 'op close)
      (begin (advance!) '())
      (let loop ((args (list (parse-expression))))
        (if (token-is? 'op 'comma)
            (begin (advance!) (loop (cons (parse-expression) args)))
            (begin (expect! 'op close) (reverse args))))))

;; Binary operators by precedence level, lowest first.
(define precedence
  '((oror) (&&) (== !=) (< <= > >=) (+ -) (* / %)))

(define (parse-expression) (parse-level precedence))

(define (parse-level levels)
  (if (null? levels)
      (parse-unary)
      (let loop ((left (parse-level (cdr levels))))
        (let ((t (next-token)))
          (if (and (eq? (car t) 'op) (memq (cdr t) (car levels)))
              (begin
                (advance!)
                (loop (list 'binop (cdr t) left (parse-level (cdr levels)))))
              left)))))

(define (parse-unary)
  (cond ((token-is? 'op '!) (advance!) (list 'not (parse-unary)))
        ((token-is? 'op '-) (advance!) (list 'neg (parse-unary)))
        (else (parse-postfix (parse-primary)))))

(define (parse-postfix e)
  (cond ((token-is? 'op 'lparen)
         (advance!)
         (parse-postfix (list 'call e (parse-arguments 'rparen))))
        ((token-is? 'op 'lbracket)
         (advance!)
         (let ((i (parse-expression)))
           (expect! 'op 'rbracket)
           (parse-postfix (list 'index e i))))
        (else e)))

(define (parse-primary)
  (let ((t (advance!)))
    (case (car t)
      ((num) (list 'num (cdr t)))
      ((str) (list 'str (cdr t)))
      ((id) (list 'var (cdr t)))
      ((kw) (case (cdr t)
              ((true) '(num 1))
              ((false) '(num 0))
              ((fun) (let* ((params (parse-params))
                            (body (parse-block)))
                       (list 'fun params body)))
              (else (error "mini: unexpected keyword" (cdr t)))))
      ((op) (cond ((eq? (cdr t) 'lparen)
                   (let ((e (parse-expression)))
                     (expect! 'op 'rparen)
                     e))
                  ((eq? (cdr t) 'lbracket)
                   (cons 'array (parse-arguments 'rbracket)))
                  (else (error "mini: unexpected operator" (cdr t)))))
      (else (error "mini: unexpected token" t)))))

;;; ------------------------------------------------------------------
;;; Interpreter. Environments are lists of frames; a frame is a mutable
;;; association list in a one-element vector so definitions can extend it.
;;; Functions are closures: #(closure params body env). `return` escapes
;;; through a continuation captured at each call.

(define (make-frame) (vector '()))
(define (frame-define! frame name value)
  (vector-set! frame 0 (cons (cons name value) (vector-ref frame 0))))

(define (lookup-cell env name)
  (if (null? env)
      (error "mini: undefined variable" name)
      (let ((cell (assq name (vector-ref (car env) 0))))
        (or cell (lookup-cell (cdr env) name)))))

(define output '())
(define (emit! v) (set! output (cons v output)))

(define (truthy? v) (not (eqv? v 0)))
(define (bool->int b) (if b 1 0))

(define (apply-binop op a b)
  (case op
    ((+) (if (and (string? a) (string? b)) (string-append a b) (+ a b)))
    ((-) (- a b))
    ((*) (* a b))
    ((/) (quotient a b))
    ((%) (modulo a b))
    ((==) (bool->int (equal? a b)))
    ((!=) (bool->int (not (equal? a b))))
    ((<) (bool->int (< a b)))
    ((<=) (bool->int (<= a b)))
    ((>) (bool->int (> a b)))
    ((>=) (bool->int (>= a b)))
    (else (error "mini: unknown operator" op))))

(define (eval-expr e env)
  (case (car e)
    ((num str) (cadr e))
    ((var) (cdr (lookup-cell env (cadr e))))
    ((binop)
     (let ((op (cadr e)))
       (cond ((eq? op '&&)
              (if (truthy? (eval-expr (caddr e) env))
                  (bool->int (truthy? (eval-expr (cadddr e) env)))
                  0))
             ((eq? op 'oror)
              (if (truthy? (eval-expr (caddr e) env))
                  1
                  (bool->int (truthy? (eval-expr (cadddr e) env)))))
             (else (apply-binop op (eval-expr (caddr e) env) (eval-expr (cadddr e) env))))))
    ((not) (bool->int (not (truthy? (eval-expr (cadr e) env)))))
    ((neg) (- 0 (eval-expr (cadr e) env)))
    ((fun) (vector 'closure (cadr e) (caddr e) env))
    ((array) (list->vector (map (lambda (x) (eval-expr x env)) (cdr e))))
    ((index) (vector-ref (eval-expr (cadr e) env) (eval-expr (caddr e) env)))
    ((call)
     (let ((f (eval-expr (cadr e) env))
           (args (map (lambda (x) (eval-expr x env)) (caddr e))))
       (call-function f args)))
    (else (error "mini: bad expression" e))))

(define (builtin? f) (procedure? f))

(define (call-function f args)
  (if (builtin? f)
      (apply f args)
      (let ((frame (make-frame)))
        (let bind ((params (vector-ref f 1)) (args args))
          (if (not (null? params))
              (begin
                (frame-define! frame (car params) (car args))
                (bind (cdr params) (cdr args)))))
        (call-with-current-continuation
         (lambda (return)
           (exec (vector-ref f 2) (cons frame (vector-ref f 3)) return)
           0)))))

(define (exec s env return)
  (case (car s)
    ((block)
     (let ((env (cons (make-frame) env)))
       (for-each (lambda (st) (exec st env return)) (cdr s))))
    ((vardef) (frame-define! (car env) (cadr s) (eval-expr (caddr s) env)))
    ((assign) (set-cdr! (lookup-cell env (cadr s)) (eval-expr (caddr s) env)))
    ((store) (vector-set! (eval-expr (cadr s) env)
                          (eval-expr (caddr s) env)
                          (eval-expr (cadddr s) env)))
    ((if) (if (truthy? (eval-expr (cadr s) env))
              (exec (caddr s) env return)
              (exec (cadddr s) env return)))
    ((while) (let loop ()
               (if (truthy? (eval-expr (cadr s) env))
                   (begin (exec (caddr s) env return) (loop)))))
    ((return) (return (eval-expr (cadr s) env)))
    ((print) (emit! (eval-expr (cadr s) env)))
    ((expr) (eval-expr (cadr s) env))
    (else (error "mini: bad statement" s))))

(define (global-env)
  (let ((frame (make-frame)))
    (frame-define! frame 'len vector-length)
    (frame-define! frame 'array (lambda (n) (make-vector n 0)))
    (frame-define! frame 'str (lambda (n) (number->string n)))
    (frame-define! frame 'strlen string-length)
    (list frame)))

(define (run-mini text)
  (set! output '())
  (exec (parse-program text) (global-env) (lambda (v) (error "mini: return outside a function")))
  (reverse output))

;;; ------------------------------------------------------------------
;;; Mini programs.

(define program-fib "
# recursive Fibonacci
fun fib(n) {
  if (n < 2) { return n; }
  return fib(n - 1) + fib(n - 2);
}
print fib(17);
")

(define program-sieve "
fun primes(n) {
  var marks = array(n + 1);
  var count = 0;
  var i = 2;
  while (i <= n) {
    if (marks[i] == 0) {
      count = count + 1;
      var j = i * i;
      while (j <= n) { marks[j] = 1; j = j + i; }
    }
    i = i + 1;
  }
  return count;
}
print primes(6000);
")

(define program-sort "
fun sort(a) {
  var n = len(a);
  var i = 0;
  while (i < n) {
    var j = 0;
    while (j < n - i - 1) {
      if (a[j] > a[j + 1]) {
        var t = a[j]; a[j] = a[j + 1]; a[j + 1] = t;
      }
      j = j + 1;
    }
    i = i + 1;
  }
  return a;
}
var seed = 42;
fun rand() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 65536; }
var a = array(120);
var k = 0;
while (k < len(a)) { a[k] = rand() % 1000; k = k + 1; }
sort(a);
var ok = 1;
k = 1;
while (k < len(a)) { if (a[k - 1] > a[k]) { ok = 0; } k = k + 1; }
print ok;
print a[0] + a[60] + a[119];
")

(define program-closures "
fun make_counter(step) {
  var n = 0;
  return fun() { n = n + step; return n; };
}
fun compose(f, g) { return fun(x) { return f(g(x)); }; }
var c = make_counter(3);
var twice = compose(fun(x) { return x * 2; }, fun(x) { return x + 1; });
var total = 0;
var i = 0;
while (i < 2000) { total = total + twice(c()); i = i + 1; }
print total;
var s = \"\";
i = 0;
while (i < 50) { s = s + str(i % 10); i = i + 1; }
print strlen(s);
fun gcd(a, b) { if (b == 0) { return a; } return gcd(b, a % b); }
print gcd(1071, 462);
")

(define (checksum values)
  (let loop ((vs values) (sum 0))
    (if (null? vs)
        sum
        (loop (cdr vs)
              (+ sum (if (string? (car vs)) (string-length (car vs)) (car vs)))))))

(define (run-all n)
  (let loop ((i 0) (total 0))
    (if (= i n)
        total
        (loop (+ i 1)
              (+ total
                 (checksum (run-mini program-fib))
                 (checksum (run-mini program-sieve))
                 (checksum (run-mini program-sort))
                 (checksum (run-mini program-closures)))))))

(display (run-mini program-sort))
(newline)
(display (run-all 3))
(newline)
