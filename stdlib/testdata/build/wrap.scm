;; wrap-program, patch-shebang and patch-shebangs of (fruix build
;; primitives), in a fresh, empty working directory.
(use-modules (fruix build utils) (fruix build primitives) (ice-9 textual-ports) (ice-9 popen))

(define (write-file name text)
  (call-with-output-file name (lambda (port) (display text port))))
(define (read-file name)
  (call-with-input-file name get-string-all))
(define (run-output . command)
  (let* ((port (apply open-pipe* OPEN_READ command))
         (text (get-string-all port)))
    (close-pipe port)
    text))
(define here (getcwd))
(setenv "PATH" "/bin:/usr/bin")

;; wrap-program: the program moves to .NAME-real, NAME sets the variables
;; and runs it with its arguments.
(mkdir-p "out/bin")
(write-file "out/bin/show" "#!/bin/sh\necho \"$GREETING|$LIST|$TAIL|$SEMI|$1\"\n")
(chmod "out/bin/show" #o755)
(setenv "LIST" "old")
(unsetenv "TAIL")
(unsetenv "SEMI")
(wrap-program "out/bin/show" #:sh "/bin/sh"
              '("GREETING" = ("hello"))
              '("LIST" prefix ("/a" "/b"))
              '("TAIL" suffix ("/t"))
              '("SEMI" ";" suffix ("x" "y")))
(test-assert "the program is moved aside" (file-exists? "out/bin/.show-real"))
(test-assert "wrapped-program?" (wrapped-program? "out/bin/.show-real"))
(test-assert "the wrapper is not a wrapped program" (not (wrapped-program? "out/bin/show")))
(test-equal "the wrapper is executable" #o755 (stat:perms (stat "out/bin/show")))
(test-equal "the wrapper"
  (string-append "#!/bin/sh\n"
                 "export GREETING=\"hello\"\n"
                 "export LIST=\"/a:/b${LIST:+:}$LIST\"\n"
                 "export TAIL=\"$TAIL${TAIL:+:}/t\"\n"
                 "export SEMI=\"$SEMI${SEMI:+;}x;y\"\n"
                 "exec \"" here "/out/bin/.show-real\" \"$@\"\n")
  (read-file "out/bin/show"))
(test-equal "running the wrapper" "hello|/a:/b:old|/t|x;y|arg\n" (run-output "out/bin/show" "arg"))

;; Wrapping again adds to the wrapper.
(wrap-program "out/bin/show" '("GREETING" ":" = ("again")))
(test-equal "wrapping twice" "again|/a:/b:old|/t|x;y|\n" (run-output "out/bin/show"))
(test-assert "wrapping twice keeps one exec line"
  (= 1 (length (filter (lambda (l) (string-prefix? "exec " l)) (string-split (read-file "out/bin/show") #\newline)))))

;; Values are quoted for the shell: they reach the program as written.
(write-file "out/bin/echo-var" "#!/bin/sh\nprintf '%s\\n' \"$ODD\"\n")
(chmod "out/bin/echo-var" #o755)
(wrap-program "out/bin/echo-var" '("ODD" = ("a\"b$c`d\\e")))
(test-equal "quoted values" "a\"b$c`d\\e\n" (run-output "out/bin/echo-var"))

;; #:sh defaults to the sh found in PATH.
(write-file "plain" "#!/bin/sh\necho plain\n")
(chmod "plain" #o755)
(wrap-program "plain" '("X" = ("1")))
(test-assert "default #:sh" (string-prefix? "#!/" (read-file "plain")))
(test-equal "default #:sh runs" "plain\n" (run-output "./plain"))

;; Errors are wrap errors naming the program.
(define (wrap-failure thunk) (guard (e ((wrap-error? e) e)) (thunk) #f))
(define missing (wrap-failure (lambda () (wrap-program "out/bin/nothing" '("X" = ("1"))))))
(test-assert "missing program: a wrap error" (wrap-error? missing))
(test-equal "missing program: its name" "out/bin/nothing" (wrap-error-program missing))
(test-equal "missing program: the type" 'no-such-file (wrap-error-type missing))
(test-error "missing program: the message" "wrap-program: out/bin/nothing: no such file"
            (wrap-program "out/bin/nothing" '("X" = ("1"))))
(test-equal "bad spec: the type" 'bad-spec
            (wrap-error-type (wrap-failure (lambda () (wrap-program "plain" '("X" before ("1")))))))
(test-error "bad spec: how" "wrap-program: plain: bad variable spec (\"X\" before (\"1\")): how to set it must be =, prefix or suffix"
            (wrap-program "plain" '("X" before ("1"))))
(test-error "bad spec: values" "the values must be a list of strings" (wrap-program "plain" '("X" = "1")))
(test-error "bad spec: variable" "must be a string naming a shell variable" (wrap-program "plain" '("A-B" = ("1"))))
(test-error "bad spec: length" "not a list of 3 or 4 elements" (wrap-program "plain" '("X" ("1"))))
(test-error "bad spec: separator" "the separator must be a string" (wrap-program "plain" '("X" #\: = ("1"))))
(test-equal "wrapping the wrapped program" 'wrapped-program
            (wrap-error-type (wrap-failure (lambda () (wrap-program "out/bin/.show-real" '("X" = ("1")))))))
(test-equal "a directory" 'not-a-regular-file
            (wrap-error-type (wrap-failure (lambda () (wrap-program "out/bin" '("X" = ("1")))))))
(test-equal "#:sh must be absolute" 'no-shell
            (wrap-error-type (wrap-failure (lambda () (write-file "p2" "x") (wrap-program "p2" #:sh "sh" '("X" = ("1")))))))
(test-error "unknown keyword" "unknown keyword #:shell; did you mean `#:sh'?" (wrap-program "plain" #:shell "/bin/sh"))
(test-error "#:sh without a value" "wrap-program: #:sh without a value" (wrap-program "plain" '("X" = ("1")) #:sh))
(test-error "invoke-error-program of another error" "want invoke error" (invoke-error-program (guard (e (#t e)) (error "other"))))
(test-error "wrap-error-type of another error" "want wrap error" (wrap-error-type (guard (e (#t e)) (error "other"))))
(test-assert "wrap-error? of another error" (not (wrap-error? (guard (e (#t e)) (error "other")))))

;; patch-shebang finds the interpreter in the given directories.
(mkdir-p "interp/bin")
(write-file "interp/bin/tclsh" "#!/bin/sh\necho \"tclsh: $*\"\n")
(chmod "interp/bin/tclsh" #o755)
(define bin (string-append here "/interp/bin"))
(write-file "script" "#!/usr/local/bin/tclsh -x -y\nbody\n")
(chmod "script" #o750)
(utime "script" 1000000 1000000)
(test-assert "patch-shebang patches" (patch-shebang "script" (list "/nonexistent" bin)))
(test-equal "the interpreter is replaced, its arguments kept"
  (string-append "#!" bin "/tclsh -x -y\nbody\n") (read-file "script"))
(test-equal "permissions kept" #o750 (stat:perms (stat "script")))
(test-equal "mtime kept" 1000000 (stat:mtime (stat "script")))
(test-assert "patching again changes nothing" (not (patch-shebang "script" (list bin))))
(test-equal "the patched script runs" (string-append "tclsh: -x -y " here "/script\n") (run-output (string-append here "/script")))

(write-file "env-script" "#!/usr/bin/env -S tclsh --fast\nbody\n")
(patch-shebang "env-script" (list bin) #:keep-mtime? #f)
(test-equal "#!/usr/bin/env" (string-append "#!" bin "/tclsh --fast\nbody\n") (read-file "env-script"))

(write-file "unknown" "#!/opt/bin/nothing-like-it\n")
(test-assert "an interpreter not found is left alone" (not (patch-shebang "unknown" (list bin))))
(test-equal "left alone" "#!/opt/bin/nothing-like-it\n" (read-file "unknown"))
(write-file "no-shebang" "just text\n")
(test-assert "no #! line" (not (patch-shebang "no-shebang" (list bin))))
(symlink "env-script" "link-to-script")
(write-file "env-script" "#!/bin/tclsh\n")
(test-assert "a symbolic link is followed" (patch-shebang "link-to-script" (list bin)))
(test-assert "the link stays a link" (symbolic-link? "link-to-script"))
(test-equal "its target is patched" (string-append "#!" bin "/tclsh\n") (read-file "env-script"))
(test-error "missing file" "patch-shebang: lstat no-such-script" (patch-shebang "no-such-script" (list bin)))
(test-error "bad path" "want list of directories" (patch-shebang "script" "/bin"))
(test-error "one path at most" "got 3 arguments before the keywords" (patch-shebang "script" (list bin) (list bin)))
(test-error "keywords after the path" "unknown keyword #:keep" (patch-shebang "script" (list bin) #:keep #t))

;; patch-shebangs patches the executable files of a tree.
(mkdir-p "tree/bin")
(mkdir-p "tree/share")
(write-file "tree/bin/a" "#!/usr/bin/tclsh\n")
(write-file "tree/bin/b" "#!/usr/bin/tclsh\n")
(write-file "tree/share/data" "#!/usr/bin/tclsh\n")
(chmod "tree/bin/a" #o755)
(chmod "tree/bin/b" #o755)
(symlink "a" "tree/bin/c")
(test-equal "patch-shebangs" (list "tree/bin/a" "tree/bin/b") (patch-shebangs "tree" (list bin)))
(test-equal "a data file is left alone" "#!/usr/bin/tclsh\n" (read-file "tree/share/data"))
(test-assert "a link is left a link" (symbolic-link? "tree/bin/c"))
(test-equal "patch-shebangs again" '() (patch-shebangs '("tree") (list bin)))
(test-error "patch-shebangs of a missing directory" "patch-shebangs" (patch-shebangs "no-tree" (list bin)))
(test-error "patch-shebangs wants a directory or a list of them"
  "patch-shebangs: argument 1: want directory or list of directories" (patch-shebangs '("tree" 5) (list bin)))

;; A script with CR LF line ends keeps them.
(write-file "dos-script" "#!/usr/bin/tclsh -v\r\nbody\r\n")
(test-assert "CR LF: patched" (patch-shebang "dos-script" (list bin)))
(test-equal "CR LF: kept" (string-append "#!" bin "/tclsh -v\r\nbody\r\n") (read-file "dos-script"))
