;;; etc-files.scm: configuration files gathered into one directory with
;;; file-union, the way a system's /etc is assembled.
;;;
;;;   bin/fruix-eval examples/etc-files.scm           # the derivation graph
;;;   bin/fruix-eval --build examples/etc-files.scm   # build it (as root)
;;;
;;; Each file is a file-like object: a literal text (plain-file), a text
;;; assembled from parts (mixed-text-file) and a file of this repository
;;; (local-file, found relative to this file, not to the current
;;; directory). Nothing is written while the graph is computed.

(use-modules (fruix gexp))

(define host-name "fruix-vm")

(define hosts
  (plain-file "hosts"
              (string-append "::1\t\tlocalhost " host-name "\n"
                             "127.0.0.1\tlocalhost " host-name "\n")))

(define rc.conf
  (mixed-text-file "rc.conf"
                   "hostname=\"" host-name "\"\n"
                   "ifconfig_vtnet0=\"DHCP\"\n"
                   "sshd_enable=\"YES\"\n"))

(define motd (local-file "etc/motd"))

(file-union "etc"
            `(("hosts" ,hosts)
              ("rc.conf" ,rc.conf)
              ("motd" ,motd)))
