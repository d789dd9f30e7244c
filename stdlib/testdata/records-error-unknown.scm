;; expect-error: 7:3: operating-system: unknown field `hostname'; did you mean `host-name'?
(use-modules (fruix records))
(define-record-type* <operating-system> operating-system make-operating-system operating-system?
  (host-name operating-system-host-name)
  (kernel operating-system-kernel (default "generic")))
(operating-system
  (hostname "vm"))
