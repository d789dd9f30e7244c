;;; (fruix build utils): what build programs do with files and programs,
;;; in the shape Guix's (guix build utils) has. It runs on the build side
;;; (shipped into a build with with-imported-modules) and on the host.
;;; The file-tree walks (copy-recursively, find-files,
;;; delete-file-recursively), dump-port, invoke, which, wrap-program and
;;; patch-shebang are Go primitives of (fruix build primitives),
;;; re-exported here; this file adds what is simple in Scheme.

(define-module (fruix build utils)
  #:use-module (fruix build primitives)
  #:use-module (ice-9 regex)
  #:use-module (srfi srfi-1)
  #:export (directory-exists? executable-file? symbolic-link? regular-file?
            file-name-directory mkdir-p make-file-writable install-file
            with-directory-excursion substitute substitute* set-file-time
            search-path-as-list set-path-environment-variable)
  #:re-export (copy-recursively delete-file-recursively find-files dump-port
               invoke invoke-error? invoke-error-program invoke-error-arguments
               invoke-error-exit-status invoke-error-term-signal which
               wrap-program wrapped-program? wrap-error? wrap-error-program
               wrap-error-type patch-shebang patch-shebangs))

(define %stat stat)
(define %lstat lstat)

(define (directory-exists? dir)
  "Whether DIR exists and is a directory (following symbolic links)."
  (let ((st (%stat dir #f)))
    (and st (eq? (stat:type st) 'directory))))

(define (executable-file? file)
  "Whether FILE exists and its owner may execute it."
  (let ((st (%stat file #f)))
    (and st (not (zero? (logand (stat:mode st) #o100))))))

(define (symbolic-link? file)
  "Whether FILE is a symbolic link."
  (let ((st (%lstat file #f)))
    (and st (eq? (stat:type st) 'symlink))))

(define (regular-file? file)
  "Whether FILE is a regular file (following symbolic links)."
  (let ((st (%stat file #f)))
    (and st (eq? (stat:type st) 'regular))))

(define (file-name-directory file)
  "The directory part of FILE, as dirname gives it."
  (dirname file))

(define* (mkdir-p dir #:optional mode)
  "Create DIR and its missing parents, with MODE (default #o777 less the
umask) for the new ones. An existing directory is not an error; an
existing file of another kind is."
  (let loop ((parts (filter (lambda (s) (not (string-null? s)))
                            (string-split dir #\/)))
             (path (if (string-prefix? "/" dir) "" ".")))
    (if (pair? parts)
        (let ((next (string-append path "/" (car parts))))
          (if (not (file-is-directory? next))
              (if mode (mkdir next mode) (mkdir next)))
          (loop (cdr parts) next))
        #t)))

(define (make-file-writable file)
  "Make FILE writable by its owner."
  (chmod file (logior #o200 (stat:perms (%stat file)))))

(define (install-file file directory)
  "Copy FILE into DIRECTORY, creating DIRECTORY if needed."
  (mkdir-p directory)
  (copy-file file (string-append directory "/" (basename file))))

(define-syntax-rule (with-directory-excursion dir body ...)
  (let ((init (getcwd)))
    (dynamic-wind
      (lambda () (chdir dir))
      (lambda () body ...)
      (lambda () (chdir init)))))

(define (set-file-time file st)
  "Give FILE the access and modification times of the stat object ST."
  (utime file (stat:atime st) (stat:mtime st)
         (stat:atimensec st) (stat:mtimensec st)))

(define (substitute file rx+procs)
  "Edit FILE line by line: RX+PROCS is a list of (regexp . proc), where
regexp is a pattern string or a regexp and proc, called as (proc line
matches) on each line (its newline included) that regexp matches,
returns the new line. Each pair applies, in order, to what the previous
ones made of the line. FILE keeps its permissions. A file that is not
valid UTF-8 is edited as ISO-8859-1, so the bytes no pattern touched are
kept as they were."
  (let* ((rxs (map (lambda (r+p)
                     (cons (if (string? (car r+p))
                               (make-regexp (car r+p) regexp/extended)
                               (car r+p))
                           (cdr r+p)))
                   rx+procs))
         (text+encoding (%read-file-text file))
         (in (open-input-string (car text+encoding)))
         (out (open-output-string)))
    (let loop ()
      (let ((line (read-line in 'concat)))
        (if (not (eof-object? line))
            (begin
              (write-string
               (let edit ((line line) (rxs rxs))
                 (if (null? rxs)
                     line
                     (let ((matches (list-matches (caar rxs) line)))
                       (edit (if (null? matches)
                                 line
                                 ((cdar rxs) line matches))
                             (cdr rxs)))))
               out)
              (loop)))))
    (%write-file-text file (get-output-string out) (cdr text+encoding))))

;; (let-matches index match (var ...) body ...) binds each var to the
;; text of the group of match with its index, from index on: the first
;; var names the whole match.
(define-syntax let-matches
  (syntax-rules ()
    ((_ index match () body ...)
     (let () body ...))
    ((_ index match (var vars ...) body ...)
     (let ((var (match:substring match index)))
       (let-matches (+ 1 index) match (vars ...) body ...)))))

(define (replace-matches line matches replace)
  (let loop ((matches matches) (start 0) (parts '()))
    (if (null? matches)
        (apply string-append (reverse (cons (substring line start) parts)))
        (let ((m (car matches)))
          (loop (cdr matches) (match:end m)
                (cons (replace m)
                      (cons (substring line start (match:start m)) parts)))))))

(define-syntax substitute*
  (syntax-rules ()
    ((_ file ((regexp match-var ...) body ...) ...)
     (let ((edit (lambda (f)
                   (substitute
                    f
                    (list (cons regexp
                                (lambda (line matches)
                                  (replace-matches
                                   line matches
                                   (lambda (m)
                                     (let-matches 0 m (match-var ...)
                                                  body ...)))))
                          ...))))
           (files file))
       (if (string? files)
           (edit files)
           (for-each edit files))))))

(define* (search-path-as-list files input-dirs #:key (type 'directory))
  "The list of DIR/FILE, for each directory DIR of INPUT-DIRS and each
FILE of FILES (in that order), that exist and are of TYPE ('directory,
'regular, 'symlink... as stat:type says, or 'any)."
  (append-map (lambda (dir)
                (filter-map (lambda (file)
                              (let* ((path (string-append dir "/" file))
                                     (st (%stat path #f)))
                                (and st (or (eq? type 'any) (eq? (stat:type st) type))
                                     path)))
                            files))
              input-dirs))

(define* (set-path-environment-variable env-var files input-dirs
                                        #:key (separator ":") (type 'directory))
  "Set the environment variable ENV-VAR to the SEPARATOR-joined
search-path-as-list of FILES in INPUT-DIRS, or unset it when there is
none; say so on the current output port."
  (let ((path (search-path-as-list files input-dirs #:type type)))
    (if (null? path)
        (unsetenv env-var)
        (setenv env-var (string-join path separator)))
    (format #t "environment variable `~a' set to `~a'~%"
            env-var (string-join path separator))))
