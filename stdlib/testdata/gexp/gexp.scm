;; G-expressions: escapes, splicing, outputs, nesting, imported modules.
(use-modules (fruix gexp) (fruix derivations))

(define hosts (plain-file "hosts" "127.0.0.1 localhost\n"))
(define hosts-path (lower-object hosts))
(define drv (derivation "tool" "/bin/sh" '() #:outputs '("out" "doc")))

(test-assert "gexp?" (gexp? #~(a b)))
(test-assert "not a gexp" (not (gexp? '(a b))))
(test-equal "plain code" '(display "hi") (gexp->sexp #~(display "hi")))

;; Escapes are evaluated in the user's scope, when the gexp is made.
(define n 41)
(define g (let ((n (+ n 1))) #~(list #$n #$(* n 2))))
(set! n 0)
(test-equal "ungexp values" '(list 42 84) (gexp->sexp g))
(test-equal "file-like becomes its path" `(cat ,hosts-path) (gexp->sexp #~(cat #$hosts)))
(test-equal "derivation output" `(run ,(derivation->output-path drv)) (gexp->sexp #~(run #$drv)))
(test-equal "#$drv:doc" `(run ,(derivation->output-path drv "doc")) (gexp->sexp #~(run #$drv:doc)))
(test-equal "(ungexp drv output)" `(run ,(derivation->output-path drv "doc"))
            (gexp->sexp #~(run (ungexp drv "doc"))))
(define which "doc")
(test-equal "output name computed" `(run ,(derivation->output-path drv "doc"))
            (gexp->sexp #~(run (ungexp drv which))))
(test-equal "gexp-input" `(run ,(derivation->output-path drv "doc"))
            (gexp->sexp #~(run #$(gexp-input drv "doc"))))
(test-equal "splicing" `(list 1 ,hosts-path 3) (gexp->sexp #~(list #$@(list 1 hosts 3))))
(test-equal "native escapes" `(list ,hosts-path 1 2) (gexp->sexp #~(list #+hosts #+@'(1 2))))
(test-equal "list of file-likes" `(quote (,hosts-path "x")) (gexp->sexp #~(quote #$(list hosts "x"))))
(test-equal "escape in a quoted datum" `(quote (a ,hosts-path)) (gexp->sexp #~'(a #$hosts)))
(test-equal "file-append" `(exec ,(string-append (derivation->output-path drv) "/bin/tool"))
            (gexp->sexp #~(exec #$(file-append drv "/bin/" "tool"))))

;; The derivation's own outputs are read from the environment.
(test-equal "#$output" '(mkdir ((@ (guile) getenv) "out")) (gexp->sexp #~(mkdir #$output)))
(test-equal "#$output:lib" '(mkdir ((@ (guile) getenv) "lib")) (gexp->sexp #~(mkdir #$output:lib)))
(test-equal "#$(output \"lib\")" '(mkdir ((@ (guile) getenv) "lib")) (gexp->sexp #~(mkdir #$(output "lib"))))

;; Nesting: a gexp inserted in a gexp is its code; so is a #~ inside #~.
(define inner #~(display #$hosts))
(test-equal "ungexp of a gexp" `(begin (display ,hosts-path) (newline))
            (gexp->sexp #~(begin #$inner (newline))))
(test-equal "literal nesting" `(begin (display ,hosts-path))
            (gexp->sexp #~(begin #~(display #$hosts))))

;; Imported modules: captured when the gexp is made, merged from nested gexps.
(define with-utils (with-imported-modules '((fruix build utils)) #~(mkdir-p #$output)))
(test-equal "imported modules" '((fruix build utils)) (gexp-imported-modules with-utils))
(test-equal "no modules outside" '() (gexp-imported-modules #~(mkdir-p #$output)))
(test-equal "nested modules" '((fruix build utils))
            (gexp-imported-modules #~(begin #$with-utils)))
(test-equal "parameter restored" '() (%current-imported-modules))

;; Printing shows the escapes as written and where the gexp was made.
(test-assert "printer" (string-prefix? "#<gexp (mkdir #<gexp-output out>) " (object->string #~(mkdir #$output))))
(test-assert "printer position" (string-contains (object->string #~(a)) "gexp.scm:"))
(test-equal "printer escape" "#<gexp (cat #$#<plain-file \"hosts\">)"
            (substring (object->string #~(cat #$hosts)) 0 36))
(test-equal "approximate sexp" `(cat ,hosts) (gexp->approximate-sexp #~(cat #$hosts)))

;; Gexps from syntax-rules templates lose the renaming.
(define-syntax shout
  (syntax-rules () ((_ x) #~(display (string-upcase #$x)))))
(test-equal "gexp in a macro" '(display (string-upcase "hi")) (gexp->sexp (shout "hi")))

;; Errors in escapes.
(test-error "splicing a non-list" "#$@ wants a list" (gexp->sexp #~(list #$@5)))
(test-error "procedure in a gexp" "cannot insert" (gexp->sexp #~(f #$car)))
(test-error "source has no dev output" "no output `dev'" (gexp->sexp #~(f #$hosts:dev)))
(test-error "gexp->sexp wants a gexp" wrong-type-arg (gexp->sexp '(a)))
(test-error "bad module list" wrong-type-arg (with-imported-modules '("utils") #~(a)))
(test-eqv "system argument" #t (pair? (gexp->sexp #~(a #$hosts) "aarch64-freebsd")))

;; The code returned is the caller's to change: the gexp is not affected.
(define fixed #~(list 1 2 #$n))
(define code (gexp->sexp fixed))
(set-car! (cdr code) 'changed)
(test-equal "gexp->sexp returns a copy" '(list 1 2 0) (gexp->sexp fixed))
(define approx (gexp->approximate-sexp fixed))
(set-car! approx 'changed)
(test-equal "gexp->approximate-sexp returns a copy" '(list 1 2 0) (gexp->approximate-sexp fixed))
(define circular (list 1 2))
(set-cdr! (cdr circular) circular)
(test-assert "approximate sexp of circular data" (pair? (gexp->approximate-sexp #~(f #$circular))))
(test-assert "approximate sexp of circular spliced data" (pair? (gexp->approximate-sexp #~(f #$@circular))))
(test-assert "printing circular data" (string? (object->string #~(f #$@circular #$circular))))
(test-error "lowering circular spliced data" "circular" (gexp->sexp #~(f #$@circular)))
