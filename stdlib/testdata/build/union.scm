;; (fruix build union), in a fresh, empty working directory.
(use-modules (fruix build union) (fruix build utils) (ice-9 textual-ports) (ice-9 ftw))

(define (write-file name text)
  (mkdir-p (dirname name))
  (call-with-output-file name (lambda (port) (display text port))))
(define (read-file name)
  (call-with-input-file name get-string-all))
(define here (getcwd))
(define (in-here f) (string-append here "/" f))

(write-file "one/bin/hello" "hello 1")
(write-file "one/share/doc/hello/README" "readme")
(write-file "one/etc/same" "same")
(write-file "two/bin/hello" "hello 2")
(write-file "two/bin/world" "world")
(write-file "two/share/man/man1/world.1" "man")
(write-file "two/etc/same" "same")
(write-file "three/lib/libx.so" "lib")

(define warnings
  (with-error-to-string
   (lambda ()
     (union-build (in-here "profile") (map in-here '("one" "two" "three"))))))

(test-equal "a directory in one input is a link to it" (in-here "three/lib")
  (readlink "profile/lib"))
(test-eqv "a directory in several inputs is a real directory" 'directory
  (stat:type (lstat "profile/bin")))
(test-equal "merged recursively" (in-here "two/share/man")
  (readlink "profile/share/man"))
(test-equal "files are links" (in-here "two/bin/world") (readlink "profile/bin/world"))
(test-equal "a collision: the first input wins" (in-here "one/bin/hello")
  (readlink "profile/bin/hello"))
(test-equal "through the links" "hello 1" (read-file "profile/bin/hello"))
(test-equal "the collision is reported, naming both files, and identical files are not"
  (string-append "warning: collision encountered:\n  " (in-here "one/bin/hello")
                 "\n  " (in-here "two/bin/hello") "\nwarning: choosing "
                 (in-here "one/bin/hello") "\n")
  warnings)
(test-equal "the output's top level" '("profile/bin" "profile/etc" "profile/lib" "profile/share")
  (find-files "profile" (lambda (f st) (string=? (dirname f) "profile"))
              #:directories? #t))
(union-build (in-here "quiet") (list (in-here "one") (in-here "two")) #:log-port (open-output-string))
(test-assert "#:log-port" (file-exists? "quiet/bin/world"))
(test-error "an input that is not a directory" "union-build: input is not a directory:"
  (union-build (in-here "bad") (list (in-here "one/bin/hello"))))
(test-error "an existing output" "mkdir" (union-build (in-here "profile") (list (in-here "one"))))

;; An input whose directory is a symbolic link to a directory is merged
;; like a directory.
(write-file "real/doc/a" "a")
(mkdir-p "four")
(symlink (in-here "real/doc") "four/share")
(union-build (in-here "linked") (list (in-here "one") (in-here "four")))
(test-equal "a linked directory is merged with a real one" '("a" "doc")
  (scandir "linked/share" (lambda (n) (not (member n '("." ".."))))))
(test-equal "its entries are links into it" (in-here "four/share/a") (readlink "linked/share/a"))
