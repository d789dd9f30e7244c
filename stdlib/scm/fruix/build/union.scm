;;; (fruix build union): union-build, a directory of symbolic links that
;;; merges several directories, as Guix's (guix build union) makes
;;; profiles. It needs nothing but the core, so a build that imports it
;;; needs no other shipped module.

(define-module (fruix build union)
  #:use-module (srfi srfi-1)
  #:use-module (ice-9 ftw)
  #:use-module (ice-9 binary-ports)
  #:export (union-build))

(define (directory? file)
  (let ((st (stat file #f)))
    (and st (eq? (stat:type st) 'directory))))

(define (entries dir)
  (or (scandir dir (lambda (name) (not (member name '("." ".."))))) '()))

(define (file-bytes file)
  (call-with-port (open-binary-input-file file) get-bytevector-all))

(define (same-file? a b)
  "Whether A and B are the same file, or regular files with the same
bytes: then a collision between them is no conflict."
  (let ((sa (stat a #f)) (sb (stat b #f)))
    (and sa sb
         (or (and (= (stat:dev sa) (stat:dev sb)) (= (stat:ino sa) (stat:ino sb)))
             (and (eq? (stat:type sa) 'regular) (eq? (stat:type sb) 'regular)
                  (= (stat:size sa) (stat:size sb))
                  (equal? (file-bytes a) (file-bytes b)))))))

(define (merge! dest dirs log-port)
  ;; Fill the directory DEST with the entries of DIRS.
  (for-each
   (lambda (name)
     (let ((files (filter-map (lambda (dir)
                                (let ((file (string-append dir "/" name)))
                                  (and (lstat file #f) file)))
                              dirs))
           (target (string-append dest "/" name)))
       (cond ((null? (cdr files))
              (symlink (car files) target))
             ((every directory? files)
              (mkdir target)
              (merge! target files log-port))
             (else
              (for-each (lambda (other)
                          (if (not (same-file? (car files) other))
                              (format log-port "warning: collision encountered:~%  ~a~%  ~a~%warning: choosing ~a~%"
                                      (car files) other (car files))))
                        (cdr files))
              (symlink (car files) target)))))
   (sort (delete-duplicates (append-map entries dirs)) string<?)))

(define* (union-build output inputs #:key (log-port (current-error-port)))
  "Make OUTPUT a directory that merges the directories INPUTS with
symbolic links: an entry found in one input is a link to it; a directory
found in several is a real directory merging them, recursively; a file
found in several inputs is a link to the first, and unless they are the
same the collision is reported on LOG-PORT."
  (for-each (lambda (dir)
              (if (not (directory? dir))
                  (error "union-build: input is not a directory:" dir)))
            inputs)
  (mkdir output)
  (merge! output inputs log-port))
