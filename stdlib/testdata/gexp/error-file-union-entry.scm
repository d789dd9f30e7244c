;; expect-error: 4:3: file-union: entry "../etc/hosts": want a clean relative file name
(use-modules (fruix gexp))
(define hosts (plain-file "hosts" "x"))
  (file-union "etc" `(("../etc/hosts" ,hosts)))
