;; expect-error: 3:14: open-input-file: open /nonexistent/fruix.scm: no such file or directory
;; A missing file is a file error naming the procedure and the file.
(define port (open-input-file "/nonexistent/fruix.scm"))
