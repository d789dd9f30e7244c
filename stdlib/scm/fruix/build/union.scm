;;; (fruix build union): union-build, a directory of symbolic links that
;;; merges several directories, as Guix's (guix build union) makes
;;; profiles. It needs nothing but the core, so a build that imports it
;;; needs no other shipped module.

(define-module (fruix build union)
  #:use-module (srfi srfi-1)
  #:use-module (ice-9 ftw)
  #:use-module (ice-9 binary-ports)
  #:export (union-build warn-about-collision))

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

(define (warn-about-collision files)
  "Handle a collision among FILES, which differ, by reporting it on the
current error port and choosing the first: the default of union-build's
#:resolve-collision."
  (let ((port (current-error-port)))
    (display "warning: collision encountered:\n" port)
    (for-each (lambda (file) (display "  " port) (display file port) (newline port))
              files)
    (display "warning: choosing " port)
    (display (car files) port)
    (newline port)
    (car files)))

(define (merge! dest dirs log-port make-link resolve-collision)
  ;; Fill the directory DEST with the entries of DIRS.
  (for-each
   (lambda (name)
     (let ((files (filter-map (lambda (dir)
                                (let ((file (string-append dir "/" name)))
                                  (and (lstat file #f) file)))
                              dirs))
           (target (string-append dest "/" name)))
       (cond ((null? (cdr files))
              (make-link (car files) target))
             ((every directory? files)
              (mkdir target)
              (merge! target files log-port make-link resolve-collision))
             (else
              (let ((differing (cons (car files)
                                     (remove (lambda (other) (same-file? (car files) other))
                                             (cdr files)))))
                (make-link (if (null? (cdr differing))
                               (car files)
                               (parameterize ((current-error-port log-port))
                                 (resolve-collision differing)))
                           target))))))
   (sort (delete-duplicates (append-map entries dirs)) string<?)))

(define* (union-build output inputs
                      #:key (log-port (current-error-port))
                      (symlink symlink)
                      (resolve-collision warn-about-collision))
  "Make OUTPUT a directory that merges the directories INPUTS: an entry
found in one input is made with SYMLINK (a procedure of the entry and the
name to give it, symbolic links by default); a directory found in several
is a real directory merging them, recursively; for a file found in
several inputs that are not the same, RESOLVE-COLLISION is called with
the list of them, first input first, and returns the one to use. It runs
with the current error port set to LOG-PORT; the default,
warn-about-collision, reports there and chooses the first."
  (for-each (lambda (dir)
              (if (not (directory? dir))
                  (error "union-build: input is not a directory:" dir)))
            inputs)
  (mkdir output)
  (merge! output inputs log-port symlink resolve-collision))
