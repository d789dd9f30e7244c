;; expect-error: 4:1: copy-recursively: lstat no-such-dir: no such file or directory
;; copy-recursively of a missing source names it.
(use-modules (fruix build utils))
(copy-recursively "no-such-dir" "out")
