;; (fruix build utils), in a fresh, empty working directory.
(use-modules (fruix build utils) (ice-9 regex) (ice-9 textual-ports) (ice-9 binary-ports) (srfi srfi-1))

(define (write-file name text)
  (call-with-output-file name (lambda (port) (display text port))))
(define (read-file name)
  (call-with-input-file name get-string-all))

;; mkdir-p
(test-assert "mkdir-p relative" (mkdir-p "a/b/c"))
(test-assert "mkdir-p made every level" (directory-exists? "a/b/c"))
(test-assert "mkdir-p of an existing directory" (mkdir-p "a/b"))
(mkdir-p (string-append (getcwd) "/abs//x/") #o700)
(test-equal "mkdir-p absolute, with mode" #o700
  (logand #o700 (stat:perms (stat (string-append (getcwd) "/abs/x")))))
(write-file "a/file" "x")
(test-error "mkdir-p through a file" "mkdir" (mkdir-p "a/file/sub"))

;; predicates
(test-assert "directory-exists?" (and (directory-exists? "a") (not (directory-exists? "a/file"))))
(test-assert "directory-exists? of a missing file" (not (directory-exists? "nothing")))
(test-assert "regular-file?" (and (regular-file? "a/file") (not (regular-file? "a"))))
(write-file "tool" "#!/bin/sh\necho tool ran\n")
(chmod "tool" #o755)
(test-assert "executable-file?" (and (executable-file? "tool") (not (executable-file? "a/file"))))
(symlink "tool" "tool-link")
(test-assert "symbolic-link?" (and (symbolic-link? "tool-link") (not (symbolic-link? "tool"))))
(test-assert "symbolic-link? of a missing file" (not (symbolic-link? "nothing")))
(chmod "a/file" #o444)
(make-file-writable "a/file")
(test-equal "make-file-writable" #o644 (stat:perms (stat "a/file")))

;; file names
(test-equal "file-name-directory" "/frx/store/abc-x/bin" (file-name-directory "/frx/store/abc-x/bin/sh"))
(test-equal "file-name-directory of a bare name" "." (file-name-directory "sh"))
(test-equal "basename" "sh" (basename "/frx/store/abc-x/bin/sh"))

;; install-file
(install-file "tool" "out/bin")
(test-equal "install-file" "#!/bin/sh\necho tool ran\n" (read-file "out/bin/tool"))
(test-equal "install-file keeps the mode" #o755 (stat:perms (stat "out/bin/tool")))

;; copy-recursively
(mkdir-p "src/sub/deep")
(write-file "src/one" "1")
(write-file "src/sub/two" "22")
(write-file "src/sub/deep/three" "333")
(chmod "src/sub/two" #o600)
(symlink "../one" "src/sub/link")
(utime "src/one" 1000 1000)
(define log
  (with-output-to-string (lambda () (copy-recursively "src" "dst"))))
(test-equal "copy-recursively logs every file, in order"
  "`src/one' -> `dst/one'\n`src/sub/deep/three' -> `dst/sub/deep/three'\n`src/sub/link' -> `dst/sub/link'\n`src/sub/two' -> `dst/sub/two'\n"
  log)
(test-equal "copy-recursively contents" '("1" "22" "333")
  (map read-file '("dst/one" "dst/sub/two" "dst/sub/deep/three")))
(test-equal "copy-recursively keeps links" "../one" (readlink "dst/sub/link"))
(test-equal "copy-recursively keeps permissions" #o600 (stat:perms (stat "dst/sub/two")))
(define old-umask (umask #o022))
(write-file "src-shared" "g")
(chmod "src-shared" #o664)
(copy-recursively "src-shared" "dst-shared" #:log #f)
(test-equal "copy-recursively keeps permissions the umask would clear" #o664 (stat:perms (stat "dst-shared")))
(chmod "src-shared" #o600)
(copy-recursively "src-shared" "dst-shared" #:log #f)
(test-equal "copy-recursively over an existing file gives it the source's permissions" #o600 (stat:perms (stat "dst-shared")))
(umask old-umask)
(test-assert "copy-recursively does not keep mtimes by default" (not (= 1000 (stat:mtime (stat "dst/one")))))
(copy-recursively "src" "dst2" #:log #f #:keep-mtime? #t #:keep-permissions? #f #:follow-symlinks? #t)
(test-equal "#:keep-mtime?" 1000 (stat:mtime (stat "dst2/one")))
(test-equal "#:keep-permissions? #f" #o644 (stat:perms (stat "dst2/sub/two")))
(test-equal "#:follow-symlinks? copies the target" 'regular (stat:type (lstat "dst2/sub/link")))
(copy-recursively "src" "dst3" #:log #f
                  #:select? (lambda (file st) (not (eq? 'directory (stat:type st)))))
(test-equal "#:select? sees each file with its stat" '("dst3/one")
  (find-files "dst3"))
(copy-recursively "src" "dst5" #:log #f
                  #:copy-file (lambda (from to)
                                (call-with-output-file to (lambda (p) (display (string-append "copied " from) p)))))
(test-equal "#:copy-file copies each regular file" "copied src/sub/two" (read-file "dst5/sub/two"))
(test-equal "#:copy-file leaves links alone" "../one" (readlink "dst5/sub/link"))
(copy-recursively "src/one" "single" #:log #f)
(test-equal "copy-recursively of a single file" "1" (read-file "single"))
(test-error "copy-recursively of a missing source" "copy-recursively" (copy-recursively "missing" "x" #:log #f))
(test-error "copy-recursively wants a port or #f for #:log" "#:log: want output port or #f, got integer"
  (copy-recursively "src" "dst4" #:log 5))
(test-error "copy-recursively names the keyword a misspelt one was meant to be"
  "unknown keyword #:follow-symlink; did you mean `#:follow-symlinks?'?"
  (copy-recursively "src" "dst4" #:follow-symlink #t))

;; find-files
(test-equal "find-files, everything" '("src/one" "src/sub/deep/three" "src/sub/link" "src/sub/two")
  (find-files "src"))
(test-equal "find-files with a pattern on base names" '("src/sub/deep/three" "src/sub/two")
  (find-files "src" "^t"))
(test-equal "find-files with a regexp" '("src/one")
  (find-files "src" (make-regexp "ONE" regexp/icase)))
(test-equal "find-files with a predicate" '("src/sub/link")
  (find-files "src" (lambda (file st) (eq? 'symlink (stat:type st)))))
(test-equal "find-files #:stat stat follows links" '()
  (find-files "src" (lambda (file st) (eq? 'symlink (stat:type st))) #:stat stat))
(test-equal "find-files #:directories?" '("src" "src/sub" "src/sub/deep")
  (find-files "src" (lambda (file st) (eq? 'directory (stat:type st))) #:directories? #t))
(test-equal "find-files of a missing directory" '() (find-files "missing"))
(test-error "find-files #:fail-on-error? of a missing directory" 'file-error
  (find-files "missing" #:fail-on-error? #t))
(test-error "find-files with a bad pattern" "bad regular expression" (find-files "src" "("))
(test-error "find-files with a bad #:stat" "#:stat must be stat or lstat" (find-files "src" #:stat car))

;; symbolic link loops, when links are followed
(mkdir-p "loop/sub")
(write-file "loop/sub/f" "f")
(symlink ".." "loop/sub/up")
(define loop-files #f)
(test-equal "find-files #:stat stat reports a link loop"
  "find-files: walk loop/sub/up: too many levels of symbolic links\n"
  (with-error-to-string (lambda () (set! loop-files (find-files "loop" #:stat stat)))))
(test-equal "and goes on" '("loop/sub/f") loop-files)
(test-error "find-files #:stat stat #:fail-on-error? fails on a link loop" "too many levels of symbolic links"
  (find-files "loop" #:stat stat #:fail-on-error? #t))
(test-error "copy-recursively #:follow-symlinks? fails on a link loop" "copy-recursively: walk loop/sub/up: too many levels of symbolic links"
  (copy-recursively "loop" "loop-copy" #:follow-symlinks? #t #:log #f))
(delete-file-recursively "loop-copy")

;; delete-file-recursively
(mkdir-p "doomed/ro/inner")
(write-file "doomed/ro/inner/f" "f")
(symlink (string-append (getcwd) "/src") "doomed/link-out")
(chmod "doomed/ro/inner" #o555)
(chmod "doomed/ro" #o555)
(delete-file-recursively "doomed")
(test-assert "delete-file-recursively, read-only directories included" (not (file-exists? "doomed")))
(test-assert "delete-file-recursively does not follow links out" (file-exists? "src/one"))
(test-assert "delete-file-recursively of a missing directory" (begin (delete-file-recursively "missing") #t))

;; with-directory-excursion
(define here (getcwd))
(test-equal "with-directory-excursion" (string-append here "/src/sub")
  (with-directory-excursion "src/sub" (getcwd)))
(test-equal "with-directory-excursion restores the directory" here (getcwd))
(test-equal "with-directory-excursion restores it after an error" here
  (begin (guard (e (#t #f)) (with-directory-excursion "src" (error "boom"))) (getcwd)))

;; substitute*
(write-file "conf" "prefix=/usr/local\nname=hello world\nCC=cc\n# end\n")
(chmod "conf" #o640)
(substitute* "conf"
  (("/usr/local") "/frx/store/abc-hello")
  (("^name=([a-z]+) ([a-z]+)" all first second) (string-append "name=" second " " first))
  (("CC=([a-z]+)" _ cc) (string-append "CC=" (string-upcase cc)))
  (("end\n$") "END\n"))
(test-equal "substitute*: literal, groups, _, whole-match variables; lines keep their newline"
  "prefix=/frx/store/abc-hello\nname=world hello\nCC=CC\n# END\n"
  (read-file "conf"))
(test-equal "substitute* keeps the permissions" #o640 (stat:perms (stat "conf")))
(write-file "many" "a-a-a\nb\n")
(write-file "many2" "xa\n")
(substitute* '("many" "many2")
  (("a") "A")
  (("A-A") "B"))
(test-equal "substitute*: every match, clauses in order, several files" '("B-A\nb\n" "xA\n")
  (map read-file '("many" "many2")))
(test-error "substitute* of a missing file" 'file-error (substitute* "missing" (("a") "b")))

;; which and invoke
(setenv "PATH" (string-append here ":/bin:/usr/bin"))
(test-equal "which" (string-append here "/tool") (which "tool"))
(test-equal "which of a missing program" #f (which "no-such-program-fruix"))
(test-equal "which skips what is not an executable file" #f (which "a"))
(setenv "PATH" (string-append ":" here))
(test-equal "which: an empty PATH entry is the current directory, made absolute" (string-append here "/tool") (which "tool"))
(setenv "PATH" (string-append here ":/bin:/usr/bin"))
(test-equal "invoke" "tool ran\n" (with-output-to-string (lambda () (invoke "tool"))))
(test-assert "invoke returns #t" (invoke "true"))
(define failure (guard (e ((invoke-error? e) e)) (invoke "sh" "-c" "exit 2" "ignored")))
(test-equal "invoke-error-program" "sh" (invoke-error-program failure))
(test-equal "invoke-error-arguments" '("-c" "exit 2" "ignored") (invoke-error-arguments failure))
(test-equal "invoke-error-exit-status" 2 (invoke-error-exit-status failure))
(test-equal "invoke-error-term-signal" #f (invoke-error-term-signal failure))
(test-equal "the invoke error's message" "invoke: command \"sh\" \"-c\" \"exit 2\" \"ignored\" failed with status 2"
  (error-object-message failure))
(define killed (guard (e ((invoke-error? e) e)) (invoke "sh" "-c" "kill -9 $$")))
(test-equal "invoke of a killed program" '(#f 9)
  (list (invoke-error-exit-status killed) (invoke-error-term-signal killed)))
(define missing (guard (e ((invoke-error? e) e)) (invoke "no-such-program-fruix" "x")))
(test-assert "invoke of a missing program"
  (string-prefix? "invoke: command \"no-such-program-fruix\" \"x\" could not run: not found in PATH ("
                  (error-object-message missing)))
(test-equal "invoke of a missing program: status 127" 127 (invoke-error-exit-status missing))
(test-assert "invoke-error? of another error" (not (invoke-error? (guard (e (#t e)) (error "other")))))

;; dump-port, call-with-output-file, set-file-time
(call-with-output-file "copy"
  (lambda (out)
    (call-with-input-file "src/sub/deep/three"
      (lambda (in) (test-equal "dump-port returns the bytes copied" 3 (dump-port in out))))))
(test-equal "dump-port" "333" (read-file "copy"))
(test-equal "dump-port #:buffer-size" #u8(1 2 3 4 5)
  (let ((out (open-output-bytevector)))
    (dump-port (open-bytevector-input-port #u8(1 2 3 4 5)) out #:buffer-size 2)
    (get-output-bytevector out)))
(utime "src/one" 1111 2222 33 44)
(set-file-time "copy" (stat "src/one"))
(test-equal "set-file-time" '(1111 2222 33 44)
  (let ((st (stat "copy")))
    (list (stat:atime st) (stat:mtime st) (stat:atimensec st) (stat:mtimensec st))))
;; search paths
(mkdir-p "in1/bin")
(mkdir-p "in2/bin")
(mkdir-p "in2/sbin")
(write-file "in1/sbin" "not a directory")
(test-equal "search-path-as-list" '("in1/bin" "in2/bin" "in2/sbin")
  (search-path-as-list '("bin" "sbin") '("in1" "in2" "missing")))
(test-equal "search-path-as-list #:type" '("in1/sbin")
  (search-path-as-list '("sbin") '("in1" "in2") #:type 'regular))
(test-equal "set-path-environment-variable says what it set"
  "environment variable `FRUIX_TEST_PATH' set to `in1/bin:in2/bin'\n"
  (with-output-to-string
    (lambda () (set-path-environment-variable "FRUIX_TEST_PATH" '("bin") '("in1" "in2")))))
(test-equal "set-path-environment-variable" "in1/bin:in2/bin" (getenv "FRUIX_TEST_PATH"))
(with-output-to-string
  (lambda () (set-path-environment-variable "FRUIX_TEST_PATH" '("lib") '("in1"))))
(test-equal "set-path-environment-variable with nothing found unsets" #f (getenv "FRUIX_TEST_PATH"))

;; substitute* keeps the bytes of files that are not UTF-8
(call-with-port (open-binary-output-file "latin1")
  (lambda (p) (put-bytevector p #u8(99 97 102 233 32 88 10 0 1 255 32 88 10))))
(substitute* "latin1" (("X") "Y"))
(test-equal "substitute* edits a non-UTF-8 file byte for byte"
  #u8(99 97 102 233 32 89 10 0 1 255 32 89 10)
  (call-with-port (open-binary-input-file "latin1") get-bytevector-all))
(test-error "substitute* cannot put a non-Latin-1 character in such a file"
  "latin1 is not UTF-8, so it was edited as ISO-8859-1, which cannot hold the character #\\λ"
  (substitute* "latin1" (("Y") "λ")))
(write-file "utf8" "café X λ\n")
(substitute* "utf8" (("X") "Y"))
(test-equal "substitute* of a UTF-8 file" "café Y λ\n" (read-file "utf8"))
(test-equal "substitute* leaves no temporary file" '("./utf8")
  (find-files "." "utf8"))

;; What (fruix build primitives) has for packagers, as Guix's
;; (guix build utils) has it.
(test-assert "wrap-program and patch-shebang from (fruix build utils)"
  (and (procedure? wrap-program) (procedure? patch-shebang) (procedure? patch-shebangs)
       (procedure? wrap-error?) (procedure? wrapped-program?)))
