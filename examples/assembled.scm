;;; assembled.scm: one directory assembled from several inputs, with
;;; directory-union: a tree of configuration files, a program, and
;;; documentation produced by a build step.
;;;
;;;   bin/fruix-eval examples/assembled.scm
;;;   bin/fruix-eval --build examples/assembled.scm

(use-modules (fruix gexp))

(define config
  (file-union "site-config"
              `(("etc/site.conf" ,(plain-file "site.conf" "mirror=https://pkg.example.org\n"))
                ("etc/motd" ,(local-file "etc/motd")))))

(define tools
  (file-union "site-tools"
              `(("bin/greet"
                 ,(program-file "greet"
                                #~(let ((names (cdr (command-line))))
                                    (display "hello, ")
                                    (display (if (null? names) "world" (car names)))
                                    (newline)))))))

(define docs
  (computed-file "site-docs"
                 (with-imported-modules '((fruix build utils))
                   #~(begin
                       (use-modules (fruix build utils))
                       (mkdir-p (string-append #$output "/share/doc/site"))
                       (call-with-output-file
                           (string-append #$output "/share/doc/site/README")
                         (lambda (port)
                           (display "This tree was assembled by directory-union.\n" port)
                           (display "Configuration: " port)
                           (display #$config port)
                           (newline port)))))))

(directory-union "site" (list config tools docs))
