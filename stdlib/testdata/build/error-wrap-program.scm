;; expect-error: 5:3: wrap-program: bin/tool: no such file
;; An uncaught wrap error names the program and what was wrong, at the
;; call.
(use-modules (fruix build primitives))
  (wrap-program "bin/tool" #:sh "/bin/sh" '("PATH" prefix ("/frx/store/x/bin")))
