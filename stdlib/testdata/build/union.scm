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

;; #:resolve-collision chooses among files that differ; identical ones are
;; no collision. #:symlink makes the entries.
(write-file "five/bin/hello" "hello 5")
(write-file "five/etc/same" "same")
(define seen '())
(union-build (in-here "last") (map in-here '("one" "two" "five"))
             #:resolve-collision (lambda (files) (set! seen files) (car (last-pair files))))
(test-equal "#:resolve-collision gets the files that differ, first input first"
  (map in-here '("one/bin/hello" "two/bin/hello" "five/bin/hello"))
  seen)
(test-equal "its choice is linked" (in-here "five/bin/hello") (readlink "last/bin/hello"))
(test-equal "identical files are no collision" (in-here "one/etc/same") (readlink "last/etc/same"))
(define (copy-files old new)
  (if (eq? 'directory (stat:type (stat old)))
      (symlink old new)
      (copy-file old new)))
(define copy-warnings
  (with-error-to-string
   (lambda ()
     (union-build (in-here "copied") (map in-here '("one" "two")) #:symlink copy-files))))
(test-eqv "#:symlink: a file copied" 'regular (stat:type (lstat "copied/bin/world")))
(test-equal "#:symlink: its content" "world" (read-file "copied/bin/world"))
(test-eqv "#:symlink: a directory in one input still linked" 'symlink (stat:type (lstat "copied/share/man")))
(test-equal "#:symlink: the chosen file of a collision copied" "hello 1" (read-file "copied/bin/hello"))
(test-assert "warn-about-collision still reports" (string-contains copy-warnings "warning: choosing"))
(define logged (open-output-string))
(union-build (in-here "logged") (map in-here '("one" "two")) #:log-port logged)
(test-assert "the default report goes to #:log-port"
  (string-contains (get-output-string logged) "collision encountered"))
(define chosen #f)
(test-equal "warn-about-collision reports on the current error port"
  "warning: collision encountered:\n  a\n  b\nwarning: choosing a\n"
  (with-error-to-string (lambda () (set! chosen (warn-about-collision '("a" "b"))))))
(test-equal "warn-about-collision chooses the first" "a" chosen)
