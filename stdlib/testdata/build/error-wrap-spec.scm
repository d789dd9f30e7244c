;; expect-error: 6:3: wrap-program: tool: bad variable spec ("PATH" ":" before ("/a")): how to set it must be =, prefix or suffix; want (variable [separator] = | prefix | suffix (value ...))
;; A bad spec is named whole, with what a spec must look like.
(use-modules (fruix build primitives))
(call-with-output-file "tool" (lambda (port) (display "#!/bin/sh\n" port)))
(chmod "tool" #o755)
  (wrap-program "tool" #:sh "/bin/sh" '("PATH" ":" before ("/a")))
