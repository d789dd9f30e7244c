;; Records that lower through define-gexp-compiler, and gexp->derivation's options.
(use-modules (fruix gexp) (fruix derivations) (fruix records))

(define-record-type* <motd> motd make-motd motd?
  (text motd-text (default "Welcome.\n")))

(define-gexp-compiler (motd-compiler (m <motd>) system target)
  (plain-file "motd" (motd-text m)))

(define m (motd (text "Hello.\n")))
(test-assert "file-like?" (file-like? m))
(test-equal "lowers like its file" (lower-object (plain-file "motd" "Hello.\n")) (lower-object m))
(test-equal "inserted in a gexp" `(cat ,(lower-object m)) (gexp->sexp #~(cat #$m)))
(test-assert "usable in a file-union" (derivation? (lower-object (file-union "etc" `(("motd" ,m))))))

;; The compiler sees the system; target may be left out.
(define-record-type* <sys> sys make-sys sys?)
(define-gexp-compiler (sys-compiler (s <sys>) system)
  (computed-file (string-append "for-" system) #~(mkdir #$output)))
(test-equal "system passed" "for-aarch64-freebsd"
            (derivation-name (lower-object (sys) "aarch64-freebsd")))

;; The general form, with an expander.
(define-record-type* <tool> tool make-tool tool?
  (program tool-program))
(define-gexp-compiler tool-compiler <tool>
  compiler => (lambda (t system target) (plain-file "tool" (tool-program t)))
  expander => (lambda (t lowered output) (string-append lowered "/bin/" (tool-program t))))
(define hello (tool (program "hello")))
(test-equal "expander" `(exec ,(string-append (lower-object hello) "/bin/hello"))
            (gexp->sexp #~(exec #$hello)))
(test-assert "expander records the dependency"
             (member (lower-object hello)
                     (derivation-sources (gexp->derivation "run" #~(exec #$hello)))))

;; gexp->derivation: outputs, fixed outputs, environment, system, modules.
(define two (gexp->derivation "two" #~(begin (mkdir #$output) (mkdir #$output:doc))))
(test-equal "outputs from the code" '("out" "doc") (derivation-output-names two))
(test-equal "explicit outputs" '("out" "lib")
            (derivation-output-names (gexp->derivation "x" #~(mkdir #$output) #:outputs '("out" "lib"))))
(define fixed (gexp->derivation "fetched" #~(mkdir #$output)
                                #:hash "0000000000000000000000000000000000000000000000000000"
                                #:hash-algo 'sha256 #:recursive? #t))
(test-assert "fixed output" (fixed-output-derivation? fixed))
(define fixed2 (gexp->derivation "fetched" #~(begin (display "another way") (mkdir #$output))
                                 #:hash "0000000000000000000000000000000000000000000000000000"
                                 #:hash-algo 'sha256 #:recursive? #t))
(test-equal "fixed output path ignores the code" (derivation->output-path fixed) (derivation->output-path fixed2))
(test-equal "env-vars" "a b" (assoc-ref (derivation-env-vars (gexp->derivation "e" #~(mkdir #$output) #:env-vars '(("__hostPaths" . "a b")))) "__hostPaths"))
(test-equal "#:system" "aarch64-freebsd" (derivation-system (gexp->derivation "s" #~(mkdir #$output) #:system "aarch64-freebsd")))
(test-assert "#:modules" (assoc-ref (derivation-env-vars (gexp->derivation "m" #~(mkdir #$output) #:modules '((fruix build utils)))) "FRUIX_MODULES"))
(test-error "fixed output with two outputs" "single output" (gexp->derivation "f" #~(mkdir #$output:doc) #:hash "0000000000000000000000000000000000000000000000000000" #:recursive? #t))

;; A module given as a file-like.
(define my-module (plain-file "helpers.scm" "(define-module (my helpers)) (define-public x 1)\n"))
(define with-mine (with-imported-modules `(((my helpers) => ,my-module)) #~(use-modules (my helpers))))
(test-equal "module => file" '((my helpers)) (gexp-imported-modules with-mine))
(test-assert "module => file lowers" (derivation? (gexp->derivation "mine" with-mine)))
(test-error "module => not a file" wrong-type-arg (with-imported-modules '(((my helpers) => 42)) #~(a)))

;; Lowering is pure: the store directory need not exist.
(test-assert "another store directory"
             (string-prefix? "/nowhere/store/" (parameterize ((%store-directory "/nowhere/store")) (lower-object (plain-file "a" "b")))))
