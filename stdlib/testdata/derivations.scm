;; (fruix derivations): computing derivations purely, Nix-style.
(use-modules (fruix derivations))

(define hello (derivation "hello" "/bin/sh" '("-c" "echo hi > $out")
                          #:env-vars '(("greeting" . "hi"))))
(test-assert "derivation?" (and (derivation? hello) (not (derivation? "hello"))))
(test-equal "name" "hello" (derivation-name hello))
(test-equal "builder" "/bin/sh" (derivation-builder hello))
(test-equal "args" '("-c" "echo hi > $out") (derivation-builder-arguments hello))
(test-equal "default system" "x86_64-freebsd" (derivation-system hello))
(test-assert "file name in /frx/store"
  (string-prefix? "/frx/store/" (derivation-file-name hello)))
(test-assert "file name ends in -hello.drv"
  (string-suffix? "-hello.drv" (derivation-file-name hello)))
(test-equal "outputs" '("out") (map car (derivation-outputs hello)))
(test-equal "output path" (cdr (assoc "out" (derivation-outputs hello))) (derivation->output-path hello))
(test-equal "output path named" (derivation->output-path hello) (derivation->output-path hello "out"))
(test-equal "env has the outputs" `(("greeting" . "hi") ("out" . ,(derivation->output-path hello)))
  (derivation-env-vars hello))
(test-assert "text is ATerm" (string-prefix? "Derive([(\"out\"," (derivation->text hello)))
(test-equal "printing"
  (string-append "#<derivation " (derivation-file-name hello) " => " (derivation->output-path hello) ">")
  (call-with-output-string (lambda (port) (write hello port))))

;; Pure and deterministic: the same arguments give the same derivation.
(test-equal "deterministic" (derivation-file-name hello)
  (derivation-file-name (derivation "hello" "/bin/sh" '("-c" "echo hi > $out")
                                    #:env-vars '(("greeting" . "hi")))))
(test-assert "env changes the paths"
  (not (equal? (derivation->output-path hello)
               (derivation->output-path (derivation "hello" "/bin/sh" '("-c" "echo hi > $out")
                                                    #:env-vars '(("greeting" . "ho")))))))

;; Several outputs, and inputs with output names.
(define multi (derivation "multi" "/bin/sh" '() #:outputs '("out" "dev" "doc") #:system "x86_64-linux"))
(test-equal "outputs out first" '("out" "dev" "doc") (map car (derivation-outputs multi)))
(test-assert "dev path" (string-suffix? "-multi-dev" (derivation->output-path multi "dev")))
(test-equal "system" "x86_64-linux" (derivation-system multi))
(define user (derivation "user" "/bin/sh" '()
                         #:inputs (list hello (list multi "dev" "out") "/frx/store/00000000000000000000000000000000-src")))
(test-assert "inputs, sorted by .drv path"
  (let ((inputs (derivation-inputs user)))
    (and (= 2 (length inputs))
         (member (list hello "out") inputs)
         (member (list multi "dev" "out") inputs)
         (string<? (derivation-file-name (car (car inputs))) (derivation-file-name (car (cadr inputs)))))))
(test-equal "sources" '("/frx/store/00000000000000000000000000000000-src") (derivation-sources user))
(test-assert "input changes the paths"
  (not (equal? (derivation-file-name user)
               (derivation-file-name (derivation "user" "/bin/sh" '() #:inputs (list hello))))))

;; Fixed-output derivations: the path follows from the hash alone.
(define fixed-a (derivation "src.tar" "/bin/fetch" '("a") #:hash-algo 'sha256
                            #:hash "sha256:1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s"))
(define fixed-b (derivation "src.tar" "/bin/fetch" '("b") #:hash-algo 'sha256
                            #:hash "sha256:1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s"))
(test-assert "fixed-output?" (and (fixed-output-derivation? fixed-a) (not (fixed-output-derivation? hello))))
(test-equal "fixed output independent of builder" (derivation->output-path fixed-a) (derivation->output-path fixed-b))
(test-assert "but not the .drv" (not (equal? (derivation-file-name fixed-a) (derivation-file-name fixed-b))))
(test-equal "dependents of fixed outputs agree"
  (derivation->output-path (derivation "use" "/bin/sh" '() #:inputs (list fixed-a)))
  (derivation->output-path (derivation "use" "/bin/sh" '() #:inputs (list fixed-b))))
(test-equal "bytevector hash is the digest"
  (derivation->output-path
   (derivation "zero" "/bin/fetch" '() #:hash (make-bytevector 32 0)))
  (derivation->output-path
   (derivation "zero" "/bin/fetch" '() #:hash (make-string 64 #\0))))
(test-assert "recursive changes the path"
  (not (equal? (derivation->output-path (derivation "zero" "/bin/fetch" '() #:hash (make-bytevector 32 0)))
               (derivation->output-path (derivation "zero" "/bin/fetch" '() #:hash (make-bytevector 32 0) #:recursive? #t)))))

;; The store directory is a parameter.
(test-assert "%store-directory"
  (string-prefix? "/nix/store/"
    (parameterize ((%store-directory "/nix/store"))
      (derivation-file-name (derivation "x" "/bin/sh" '())))))
(test-equal "%current-system" "aarch64-freebsd"
  (parameterize ((%current-system "aarch64-freebsd"))
    (derivation-system (derivation "x" "/bin/sh" '()))))

;; Errors name the argument.
(test-error "bad name" "derivation: argument 1 (name): " (derivation "a b" "/bin/sh" '()))
(test-error "unknown hash algorithm" "derivation: #:hash-algo: unknown hash algorithm \"sha257\"" (derivation "x" "/bin/sh" '() #:hash "00" #:hash-algo 'sha257))
(test-error "bad hash length" "derivation: #:hash: a sha256 hash is 32 bytes, got 20" (derivation "x" "/bin/sh" '() #:hash (make-bytevector 20 0)))
(test-error "bad hash string" "derivation: #:hash: hash \"abc\": length 3 fits no encoding" (derivation "x" "/bin/sh" '() #:hash "abc"))
(test-error "unknown keyword" "derivation: #:input: unknown keyword; did you mean `inputs'?" (derivation "x" "/bin/sh" '() #:input '()))
(test-error "bad builder" "derivation: argument 2 (builder): want string, got integer" (derivation "x" 5 '()))
(test-error "bad args" "derivation: argument 3 (args): element 2: want string, got 1" (derivation "x" "/bin/sh" '("a" 1)))
(test-error "bad env" "derivation: #:env-vars: want (name . value) with two strings, got (\"a\" . 1)" (derivation "x" "/bin/sh" '() #:env-vars '(("a" . 1))))
(test-error "bad input" "derivation: #:inputs: want a derivation, (derivation output ...) or a store path, got 5" (derivation "x" "/bin/sh" '() #:inputs '(5)))
(test-error "missing input output" "derivation: #:inputs: derivation hello has no output `bin'" (derivation "x" "/bin/sh" '() #:inputs (list (list hello "bin"))))
(test-error "source outside the store" "derivation: #:inputs: " (derivation "x" "/bin/sh" '() #:inputs '("/etc/passwd")))
(test-error "fixed output with other outputs" "derivation: #:outputs: a fixed-output derivation" (derivation "x" "/bin/sh" '() #:outputs '("out" "dev") #:hash (make-bytevector 32 0)))
(test-error "hash-algo without hash" "derivation: #:hash-algo: given without #:hash" (derivation "x" "/bin/sh" '() #:hash-algo 'sha1))
(test-error "no such output" "derivation->output-path: argument 2: derivation hello has no output `dev' (outputs: out)" (derivation->output-path hello "dev"))
(test-error "accessor wrong type" "derivation-file-name: argument 1: want derivation, got string" (derivation-file-name "x"))
(test-error "bad store directory" "%store-directory" (parameterize ((%store-directory "relative")) (derivation "x" "/bin/sh" '())))
