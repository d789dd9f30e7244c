;; File-like objects and their lowering.
(use-modules (fruix gexp) (fruix derivations))

(define (source-path? x) (and (string? x) (string-prefix? "/frx/store/" x)))

;; plain-file: a text path, which depends only on the name and content.
(define hosts (plain-file "hosts" "127.0.0.1 localhost\n"))
(test-assert "plain-file?" (plain-file? hosts))
(test-assert "file-like?" (file-like? hosts))
(test-equal "plain-file-name" "hosts" (plain-file-name hosts))
(test-equal "plain-file-content" "127.0.0.1 localhost\n" (plain-file-content hosts))
(test-equal "plain-file path" "/frx/store/xl1bcfnpqsnv7pkx7q046xrq7bc6vsfx-hosts" (lower-object hosts))
(test-equal "same content, same path" (lower-object hosts)
            (lower-object (plain-file "hosts" "127.0.0.1 localhost\n")))
(test-assert "other content, other path"
             (not (equal? (lower-object hosts) (lower-object (plain-file "hosts" "::1 localhost\n")))))
(test-assert "bytevector content" (source-path? (lower-object (plain-file "bin" #vu8(0 1 2)))))
(test-equal "printer" "#<plain-file \"hosts\">" (object->string hosts))

;; local-file: relative to this file's directory, flat or recursive.
(define motd (local-file "files/motd"))
(test-assert "local-file?" (local-file? motd))
(test-equal "local-file-name" "motd" (local-file-name motd))
(test-equal "local-file-file" "files/motd" (local-file-file motd))
(test-assert "absolute name" (string-suffix? "/testdata/gexp/files/motd" (local-file-absolute-file-name motd)))
(test-assert "flat path" (source-path? (lower-object motd)))
(test-assert "recursive file differs from flat"
             (not (equal? (lower-object motd) (lower-object (local-file "files/motd" #:recursive? #t)))))
(define etc (local-file "files/etc" "etc-dir" #:recursive? #t))
(test-assert "local-file-recursive?" (local-file-recursive? etc))
(test-assert "directory path" (string-suffix? "-etc-dir" (lower-object etc)))
(test-equal "memoized" (lower-object etc) (lower-object etc))

;; computed-file: a builtin:scheme derivation running the gexp.
(define step (computed-file "greeting"
                            #~(call-with-output-file #$output
                                (lambda (port) (display (string-append "hi from " #$hosts) port)))))
(test-assert "computed-file?" (computed-file? step))
(test-equal "computed-file-name" "greeting" (computed-file-name step))
(test-assert "computed-file-gexp" (gexp? (computed-file-gexp step)))
(define step-drv (lower-object step))
(test-assert "lowers to a derivation" (derivation? step-drv))
(test-equal "builder" "builtin:scheme" (derivation-builder step-drv))
(test-equal "system" "x86_64-freebsd" (derivation-system step-drv))
(test-equal "version" "1" (assoc-ref (derivation-env-vars step-drv) "FRUIX_BUILTIN_VERSION"))
(test-assert "no modules, no FRUIX_MODULES" (not (assoc-ref (derivation-env-vars step-drv) "FRUIX_MODULES")))
(define script (car (derivation-builder-arguments step-drv)))
(test-assert "script named after the derivation" (string-suffix? "-greeting-builder" script))
(test-equal "sources: the script and the plain file" (sort (list script (lower-object hosts)) string<?)
            (derivation-sources step-drv))
(test-assert "memoized: the same derivation" (eq? step-drv (lower-object step)))
(test-equal "other system" "aarch64-freebsd" (derivation-system (lower-object step "aarch64-freebsd")))
(test-equal "parameterized system" "i386-freebsd"
            (derivation-system (parameterize ((%current-system "i386-freebsd")) (lower-object step))))
(define step-env (computed-file "env" #~(mkdir #$output) #:options '(#:env-vars (("A" . "b")) #:local-build? #t)))
(test-equal "options" "b" (assoc-ref (derivation-env-vars (lower-object step-env)) "A"))

;; A computed file used by another one is an input derivation.
(define user (computed-file "user" #~(symlink #$step #$output)))
(test-equal "input derivation" `((,step-drv "out")) (derivation-inputs (lower-object user)))

;; Imported modules go into a source tree named by FRUIX_MODULES.
(define with-utils
  (computed-file "with-utils"
                 (with-imported-modules '((fruix build utils))
                   #~(begin (use-modules (fruix build utils)) (mkdir-p #$output)))))
(define modules-dir (assoc-ref (derivation-env-vars (lower-object with-utils)) "FRUIX_MODULES"))
(test-assert "FRUIX_MODULES" (string-suffix? "-module-import" modules-dir))
(test-assert "module tree is a source" (member modules-dir (derivation-sources (lower-object with-utils))))

;; program-file: an executable script.
(define prog (program-file "greet" #~(display "hello\n")))
(test-assert "program-file?" (program-file? prog))
(test-assert "program-file lowers to a derivation" (derivation? (lower-object prog)))
(test-assert "program-file with an interpreter file-like"
             (derivation? (lower-object (program-file "sh" #~(x) #:interpreter (file-append step "/bin/fruix-eval")))))
(test-equal "interpreter input" `((,step-drv "out"))
            (derivation-inputs (lower-object (program-file "sh2" #~(x) #:interpreter (file-append step "/bin/fruix-eval")))))

;; scheme-file and mixed-text-file: texts; sources when they name only sources.
(test-assert "scheme-file source" (source-path? (lower-object (scheme-file "conf.scm" #~(define hosts #$hosts)))))
(test-assert "scheme-file of a derivation" (derivation? (lower-object (scheme-file "c.scm" #~(load #$step)))))
(test-assert "scheme-file splice" (source-path? (lower-object (scheme-file "s.scm" #~((define a 1) (define b 2)) #:splice? #t))))
(define rc (mixed-text-file "rc.conf" "hostname=\"vm\"\n" "hosts=" hosts "\n"))
(test-assert "mixed-text-file?" (mixed-text-file? rc))
(test-assert "mixed-text-file source" (source-path? (lower-object rc)))
(test-assert "mixed-text-file with a derivation" (derivation? (lower-object (mixed-text-file "x" "a" step))))

;; file-append
(define sh (file-append step "/bin/" "sh"))
(test-assert "file-append?" (file-append? sh))
(test-assert "file-append-base" (eq? step (file-append-base sh)))
(test-equal "file-append-suffix" '("/bin/" "sh") (file-append-suffix sh))
(test-assert "file-append lowers to its base" (eq? step-drv (lower-object sh)))

;; file-union and directory-union
(define etc-union (file-union "etc" `(("hosts" ,hosts) ("ssh/sshd_config" ,(local-file "files/etc/sshd_config")) ("motd" ,motd))))
(test-assert "file-union?" (file-union? etc-union))
(test-equal "file-union-name" "etc" (file-union-name etc-union))
(define etc-drv (lower-object etc-union))
(test-assert "file-union derivation" (derivation? etc-drv))
(test-assert "file-union ships the build utilities"
             (assoc-ref (derivation-env-vars etc-drv) "FRUIX_MODULES"))
(test-assert "file-union sources" (member (lower-object hosts) (derivation-sources etc-drv)))
(define both (directory-union "both" (list etc-union step)))
(test-assert "directory-union?" (directory-union? both))
(test-equal "directory-union inputs" (sort (list (derivation-file-name etc-drv) (derivation-file-name step-drv)) string<?)
            (map (lambda (in) (derivation-file-name (car in))) (derivation-inputs (lower-object both))))
(test-assert "union of one is itself" (eq? etc-drv (lower-object (directory-union "one" (list etc-union)))))
(test-assert "directory-union options make another derivation"
  (not (equal? (derivation-file-name (lower-object both))
               (derivation-file-name (lower-object (directory-union "both" (list etc-union step) #:copy? #t))))))
(test-assert "directory-union #:quiet? and #:resolve-collision make other derivations"
  (let ((plain (derivation-file-name (lower-object both)))
        (quiet (derivation-file-name (lower-object (directory-union "both" (list etc-union step) #:quiet? #t))))
        (last (derivation-file-name (lower-object (directory-union "both" (list etc-union step) #:resolve-collision 'last)))))
    (and (not (equal? plain quiet)) (not (equal? plain last)) (not (equal? quiet last)))))
(test-assert "directory-union without options is the same as with the defaults"
  (equal? (derivation-file-name (lower-object both))
          (derivation-file-name (lower-object (directory-union "both" (list etc-union step) #:copy? #f #:quiet? #f)))))
(test-assert "directory-union #:resolve-collision as a gexp"
  (derivation? (lower-object (directory-union "both" (list etc-union step) #:resolve-collision #~(lambda (files) (car files))))))

;; Wrong types, each naming the procedure and argument.
(test-error "plain-file name" wrong-type-arg (plain-file 'hosts "x"))
(test-error "plain-file content" "want string or bytevector" (plain-file "hosts" 42))
(test-error "plain-file bad name" "cannot name a store item" (plain-file "my hosts" "x"))
(test-error "computed-file gexp" "want gexp" (computed-file "x" '(mkdir out)))
(test-error "computed-file keyword" "unknown keyword #:option" (computed-file "x" #~(a) #:option '()))
(test-error "computed-file options" "unknown keyword #:sytem" (computed-file "x" #~(a) #:options '(#:sytem "x")))
(test-error "program-file interpreter" "#:interpreter" (program-file "x" #~(a) #:interpreter 'guile))
(test-error "mixed-text-file part" "want string or file-like object" (mixed-text-file "x" "a" 42))
(test-error "file-append base" wrong-type-arg (file-append "/bin" "/sh"))
(test-error "file-union entries" "want a clean relative file name" (file-union "x" `(("/etc/hosts" ,hosts))))
(test-error "file-union duplicate" "given twice" (file-union "x" `(("hosts" ,hosts) ("hosts" ,motd))))
(test-error "file-union file in the way" "inside entry" (file-union "x" `(("a" ,hosts) ("a/b" ,motd))))
(test-error "file-union not file-like" "want a file-like object" (file-union "x" '(("a" "b"))))
(test-error "directory-union empty" wrong-type-arg (directory-union "x" '()))
(test-error "directory-union keyword" "unknown keyword #:copy; did you mean `#:copy?'?" (directory-union "x" (list etc-union) #:copy #t))
(test-error "directory-union #:resolve-collision" "#:resolve-collision: want a symbol naming a procedure" (directory-union "x" (list etc-union) #:resolve-collision "last"))
(test-error "lower-object of a gexp" wrong-type-arg (lower-object #~(a)))
(test-error "lower-object system" wrong-type-arg (lower-object hosts 'x86_64-freebsd))
(test-error "local-file name" "cannot name a store item" (local-file "files/motd" "my motd"))
(test-error "local-file keyword" "unknown keyword #:recursive" (local-file "files/motd" #:recursive #t))

;; #:select? keeps some files of a directory.
(define conf-only
  (local-file "files/etc" "conf-only" #:recursive? #t
              #:select? (lambda (file stat) (not (string-suffix? ".sh" file)))))
(test-assert "select? lowers to a tree" (string-suffix? "-conf-only" (lower-object conf-only)))
(test-assert "select? changes the path"
             (not (equal? (lower-object conf-only)
                          (lower-object (local-file "files/etc" "conf-only" #:recursive? #t)))))
(define keep-all (local-file "files/etc" "etc-all" #:recursive? #t #:select? (lambda (file stat) #t)))
(test-equal "selecting everything is the whole tree"
            (lower-object (local-file "files/etc" "etc-all" #:recursive? #t)) (lower-object keep-all))
(test-error "select? without recursive?" "#:select? chooses" (local-file "files/etc" #:select? (lambda (f s) #t)))
(test-error "select? not a procedure" "want a procedure" (local-file "files/etc" #:recursive? #t #:select? 5))

;; Circular lists where lists are wanted are errors, not hangs.
(define circ (list (list "a" hosts)))
(set-cdr! circ circ)
(test-error "file-union of a circular list" wrong-type-arg (file-union "x" circ))
(test-error "directory-union of a circular list" wrong-type-arg (directory-union "x" circ))
(test-error "computed-file options circular" "#:options" (computed-file "x" #~(a) #:options circ))
(test-error "imported modules circular" wrong-type-arg (with-imported-modules circ #~(a)))
(test-error "gexp->derivation outputs circular" "want a proper list" (gexp->derivation "x" #~(a) #:outputs circ))
(test-error "gexp->derivation env-vars circular" "want a proper list" (gexp->derivation "x" #~(a) #:env-vars circ))

;; A symbolic link adds the file it points to, under the link's name.
(define via-link (local-file "files/motd-link"))
(test-equal "link name" "motd-link" (local-file-name via-link))
(test-assert "link resolved" (string-suffix? "/files/motd" (local-file-absolute-file-name via-link)))

;; A program with imported modules is told where they are.
(define prog-mods (program-file "with-utils" (with-imported-modules '((fruix build utils))
                                               #~(begin (use-modules (fruix build utils)) (display (basename "/a/b"))))))
(define prog-mods-drv (lower-object prog-mods))
(test-assert "module tree is a source of the program"
             (let ((tree (assoc-ref (derivation-env-vars (lower-object (computed-file "t" (with-imported-modules '((fruix build utils)) #~(x))))) "FRUIX_MODULES")))
               (member tree (derivation-sources prog-mods-drv))))
(test-assert "file-append of a gexp-input lowers to its object"
             (eq? step-drv (lower-object (file-append (gexp-input step "out") "/bin"))))

;; text-file: a text with its references declared.
(define hosts-path (lower-object hosts))
(define tf (text-file "uses-hosts" (string-append "include " hosts-path "\n") (list hosts)))
(test-assert "text-file?" (text-file? tf))
(test-assert "text-file with source references is a source" (string? (lower-object tf)))
(test-assert "text-file without references"
             (not (equal? (lower-object tf) (lower-object (text-file "uses-hosts" (string-append "include " hosts-path "\n"))))))
(test-equal "same as plain-file without references" (lower-object (plain-file "t" "x")) (lower-object (text-file "t" "x")))
(test-assert "text-file with a derivation reference is built" (derivation? (lower-object (text-file "t2" "x" (list step)))))
(test-error "text-file references" wrong-type-arg (text-file "t" "x" '("not a file")))
